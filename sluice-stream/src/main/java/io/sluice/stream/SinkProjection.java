package io.sluice.stream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

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
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Shapes parsed records into table rows: the key column (a name-based UUID of {@code record.key}), the optional time
 * bucket column, every {@code sink.columns} expression cast to text, and the optional per-row TTL.
 */
public final class SinkProjection {
    /** Bound by the connector as {@code USING TTL :sluice_row_ttl}; not a table column. A CQL bind name must start with a letter. */
    public static final String ROW_TTL = "sluice_row_ttl";

    private final String keyColumn;
    private final String keyPath;
    private final Map<String, String> columns;
    private final String bucketColumn;
    private final String bucketExpression;
    private final String ttlExpression;
    private final long defaultTtlSeconds;

    public SinkProjection(String keyColumn, String keyPath, Map<String, String> columns) {
        this(keyColumn, keyPath, columns, null, null, null, 0);
    }

    public SinkProjection(String keyColumn, String keyPath, Map<String, String> columns, String bucketColumn,
                          String bucketExpression, String ttlExpression, long defaultTtlSeconds) {
        this.keyColumn = keyColumn;
        this.keyPath = keyPath;
        this.columns = new LinkedHashMap<>(columns);
        this.bucketColumn = bucketColumn;
        this.bucketExpression = bucketExpression;
        this.ttlExpression = ttlExpression;
        this.defaultTtlSeconds = defaultTtlSeconds;
    }

    public static SinkProjection fromConfig(PipelineConfig config) {
        return new SinkProjection(config.sinkKeyColumn(), config.recordKey(), config.sinkColumns(),
                config.sinkTimeBucketColumn(), config.sinkTimeBucketExpression(), config.sinkTtlColumn(),
                config.sinkTtl().toSeconds());
    }

    public String keyColumn() {
        return keyColumn;
    }

    /** The Cassandra partition key, in order: the time bucket (when configured), then the key column. */
    public List<String> partitionKey() {
        return bucketColumn == null ? List.of(keyColumn) : List.of(bucketColumn, keyColumn);
    }

    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    public boolean hasRowTtl() {
        return ttlExpression != null;
    }

    public Dataset<Row> apply(Dataset<Row> parsed) {
        List<Column> out = new ArrayList<>();
        expressions().forEach((name, expression) -> out.add(expression.as(name)));
        return parsed.select(out.toArray(Column[]::new));
    }

    /**
     * The table row's columns, each evaluated only where {@code condition} holds (null elsewhere), so rows that will
     * not be written do not pay for the key hash or the column expressions. Each is named
     * {@link MicroBatchWriter#tableColumn}, beside the record's own fields.
     */
    public List<Column> columnsWhere(Column condition) {
        List<Column> out = new ArrayList<>();
        expressions().forEach((name, expression) -> out.add(when(condition, expression).as(MicroBatchWriter.tableColumn(name))));
        return out;
    }

    /** Output name -> expression: key, optional time bucket, every sink column as text, optional row TTL. */
    private Map<String, Column> expressions() {
        Map<String, Column> out = new LinkedHashMap<>();
        out.put(keyColumn, NameUuid.of(col(keyPath)));
        if (bucketColumn != null) {
            out.put(bucketColumn, expr(bucketExpression).cast("string"));
        }
        columns.forEach((name, expression) -> out.put(name, expr(expression).cast("string")));
        if (ttlExpression != null) {
            // A null, negative or absurd TTL falls back to sink.ttl; 0 means "no TTL" to Cassandra.
            Column seconds = expr(ttlExpression).cast("long");
            Column usable = when(seconds.between(0, Integer.MAX_VALUE), seconds);
            out.put(ROW_TTL, coalesce(usable, lit(defaultTtlSeconds)).cast("int"));
        }
        return out;
    }

    /**
     * Resolves every expression against the record schema before the stream starts, so a typo in one expression is a
     * config error naming that key, not a failed micro-batch minutes later. Also refuses a partition key that is not a
     * pure function of the record: a replayed record must land on the row it wrote the first time.
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
        if (bucketExpression != null) {
            String keyProblem = KeyDeterminism.check(empty, bucketExpression);
            if (keyProblem != null) {
                problems.add(new ConfigProblem("sink.time_bucket.expression", bucketExpression, keyProblem));
            }
        }
        if (ttlExpression != null) {
            try {
                var type = empty.select(expr(ttlExpression)).schema().fields()[0].dataType();
                if (!(type instanceof NumericType)) {
                    problems.add(new ConfigProblem("sink.ttl_column", ttlExpression,
                            "must give a number of seconds, but it gives " + type.simpleString()));
                }
            } catch (Exception e) {
                problems.add(new ConfigProblem("sink.ttl_column", ttlExpression,
                        "is not a Spark SQL expression over `record.schema` (" + Messages.firstLine(e.getMessage()) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(origin, problems);
        }
    }
}
