package io.sluice.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.PipelineConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Shapes parsed records into table rows: the key column (a name-based UUID of {@code record.key}) plus every
 * {@code sink.columns} expression, cast to text.
 */
public final class SinkProjection {
    private final String keyColumn;
    private final String keyPath;
    private final Map<String, String> columns;

    public SinkProjection(String keyColumn, String keyPath, Map<String, String> columns) {
        this.keyColumn = keyColumn;
        this.keyPath = keyPath;
        this.columns = new LinkedHashMap<>(columns);
    }

    public static SinkProjection fromConfig(PipelineConfig config) {
        return new SinkProjection(config.sinkKeyColumn(), config.recordKey(), config.sinkColumns());
    }

    public String keyColumn() {
        return keyColumn;
    }

    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    public Dataset<Row> apply(Dataset<Row> parsed) {
        List<Column> out = new ArrayList<>();
        out.add(NameUuid.of(col(keyPath)).as(keyColumn));
        columns.forEach((name, expression) -> out.add(expr(expression).cast("string").as(name)));
        return parsed.select(out.toArray(Column[]::new));
    }

    /**
     * Resolves every column expression against the record schema before the stream starts, so a typo in one
     * expression is a config error naming that column, not a failed micro-batch minutes later.
     */
    public void validate(SparkSession spark, StructType recordSchema, String origin) {
        Dataset<Row> empty = spark.createDataFrame(List.of(), recordSchema);
        List<ConfigProblem> problems = new ArrayList<>();
        columns.forEach((name, expression) -> {
            try {
                empty.select(expr(expression).cast("string").as(name));
            } catch (Exception e) { // AnalysisException is checked in Java's eyes but thrown undeclared
                problems.add(new ConfigProblem("sink.columns." + name, expression,
                        "is not a Spark SQL expression over `record.schema` (" + Messages.firstLine(e.getMessage()) + ")"));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(origin, problems);
        }
    }
}
