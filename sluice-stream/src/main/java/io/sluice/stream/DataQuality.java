package io.sluice.stream;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.DqRule;
import io.sluice.config.PipelineConfig;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Compiles {@code dq.rules} into Spark Column expressions and adds the verdict to every parsed row, so the whole check
 * is part of one query plan over the micro-batch (no per-row callback, no extra pass):
 *
 * <ul>
 *   <li>{@code _dq_fail_<i>}: true when rule i failed (never null; false for rows that did not parse);</li>
 *   <li>{@link #REASONS}: every quarantine reason of the row: {@code parse:<detail>} for a row that did not parse,
 *       otherwise {@code rule:<name>} for every {@code action: quarantine} rule it failed;</li>
 *   <li>{@link #WARNINGS}: {@code rule:<name>} for every {@code action: warn} rule it failed;</li>
 *   <li>{@link #VALID}: no quarantine reason, so the row goes to the table;</li>
 *   <li>{@link #WARNED}: a warning reason.</li>
 * </ul>
 *
 * <p>Null handling follows SQL CHECK constraints: regex, in_set, range and length pass a null value (only
 * {@code not_null} catches nulls), while {@code max_age} fails a record without an event time and {@code expr} fails
 * when its expression is null.
 */
public final class DataQuality {
    public static final String VALID = "_dq_valid";
    public static final String REASONS = "_dq_reasons";
    public static final String WARNINGS = "_dq_warnings";
    /** True when the row failed an {@code action: warn} rule (so {@link #WARNINGS} is not empty). */
    public static final String WARNED = "_dq_warned";
    public static final String PARSE_PREFIX = "parse:";

    private final List<DqRule> rules;
    private final String keyPath;

    public DataQuality(List<DqRule> rules, String keyPath) {
        this.rules = List.copyOf(rules);
        this.keyPath = keyPath;
    }

    public static DataQuality fromConfig(PipelineConfig config) {
        return new DataQuality(config.dqRules(), config.recordKey());
    }

    public List<DqRule> rules() {
        return rules;
    }

    static String failColumn(int index) {
        return "_dq_fail_" + index;
    }

    /** Adds the verdict columns; {@code batchTime} is "now" for {@code max_age}, fixed per batch so a batch is judged once. */
    public Dataset<Row> apply(Dataset<Row> parsed, Instant batchTime) {
        return apply(parsed, lit(Timestamp.from(batchTime)));
    }

    /**
     * As {@link #apply(Dataset, Instant)} with "now" as a column: the stream job's is the micro-batch's own time, a
     * column of each row ({@link MicroBatchWriter#BATCH_TIME}).
     */
    public Dataset<Row> apply(Dataset<Row> parsed, Column now) {
        Column parsedOk = col(RecordParser.PARSE_OK);
        List<Column> failures = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            failures.add(parsedOk.and(coalesce(failure(rules.get(i), now), lit(false))).as(failColumn(i)));
        }
        Dataset<Row> checked = rules.isEmpty() ? parsed : parsed.select(withAll(parsed, failures));

        List<Column> quarantineReasons = new ArrayList<>();
        List<Column> warnReasons = new ArrayList<>();
        Column anyQuarantineRuleFailed = lit(false);
        Column anyWarnRuleFailed = lit(false);
        for (int i = 0; i < rules.size(); i++) {
            DqRule rule = rules.get(i);
            Column failed = col(failColumn(i));
            Column reason = when(failed, lit(rule.reason()));
            if (rule.quarantine()) {
                quarantineReasons.add(reason);
                anyQuarantineRuleFailed = anyQuarantineRuleFailed.or(failed);
            } else {
                warnReasons.add(reason);
                anyWarnRuleFailed = anyWarnRuleFailed.or(failed);
            }
        }
        Column reasons = when(not(parsedOk), array(concat(lit(PARSE_PREFIX), col(RecordParser.PARSE_ERROR))))
                .otherwise(reasonArray(quarantineReasons));
        // The verdict flags read the fail columns (never null), not the size of the reason arrays: array_compact is a
        // higher-order function that Spark interprets row by row, and the write path needs only the flags, so Spark
        // now builds the arrays only for the records that go to the quarantine. Same answers: no reason means valid.
        // One select per step (not a withColumn per column): each Dataset step analyses the whole plan again.
        Dataset<Row> withReasons = checked.select(withAll(checked, List.of(reasons.as(REASONS),
                reasonArray(warnReasons).as(WARNINGS))));
        return withReasons.select(withAll(withReasons, List.of(parsedOk.and(not(anyQuarantineRuleFailed)).as(VALID),
                anyWarnRuleFailed.as(WARNED))));
    }

    private static Column[] withAll(Dataset<Row> parsed, List<Column> extra) {
        List<Column> all = new ArrayList<>();
        for (String name : parsed.columns()) {
            all.add(col(name));
        }
        all.addAll(extra);
        return all.toArray(Column[]::new);
    }

    private static Column reasonArray(List<Column> reasons) {
        return reasons.isEmpty() ? expr("CAST(array() AS ARRAY<STRING>)")
                : array_compact(array(reasons.toArray(Column[]::new)));
    }

    /** True when the row breaks the rule; null is read as "passed" by the caller's coalesce. */
    private Column failure(DqRule rule, Column now) {
        Column value = rule.column() == null ? null : expr(rule.column());
        return switch (rule.type()) {
            case DqRule.NOT_NULL -> value.isNull();
            case DqRule.REGEX -> value.isNotNull().and(not(value.cast("string").rlike(rule.pattern())));
            case DqRule.IN_SET -> value.isNotNull().and(not(value.cast("string").isin(rule.values().toArray())));
            case DqRule.RANGE -> {
                Column number = value.cast("double");
                yield value.isNotNull().and(number.isNull().or(outside(number, rule)));
            }
            case DqRule.LENGTH -> value.isNotNull().and(outside(length(value.cast("string")), rule));
            case DqRule.MAX_AGE -> {
                Column eventTime = value.cast("timestamp");
                yield eventTime.isNull().or(eventTime.lt(now.minus(lit(rule.maxAge()))));
            }
            case DqRule.UNIQUE_IN_BATCH -> {
                Column key = value != null ? value : col(keyPath);
                // Keep the newest copy (highest Kafka position), the one an upsert would leave anyway.
                Column rank = row_number().over(Window.partitionBy(when(col(RecordParser.PARSE_OK), key))
                        .orderBy(col(RecordParser.PARTITION).desc(), col(RecordParser.OFFSET).desc()));
                yield key.isNotNull().and(rank.gt(1));
            }
            case DqRule.EXPR -> not(coalesce(value, lit(false)));
            default -> throw new IllegalStateException("rule type checked at load: " + rule.type());
        };
    }

    private static Column outside(Column number, DqRule rule) {
        Column below = rule.min() == null ? lit(false) : number.lt(rule.min());
        Column above = rule.max() == null ? lit(false) : number.gt(rule.max());
        return below.or(above);
    }

    /**
     * Resolves every rule against {@code record.schema} before the stream starts, so a typo is a config problem
     * naming the rule rather than a failed micro-batch later.
     */
    public void validate(SparkSession spark, StructType recordSchema, String origin) {
        StructType withMeta = recordSchema
                .add(RecordParser.PARTITION, DataTypes.IntegerType)
                .add(RecordParser.OFFSET, DataTypes.LongType)
                .add(RecordParser.PARSE_OK, DataTypes.BooleanType);
        Dataset<Row> empty = spark.createDataFrame(List.of(), withMeta);
        List<ConfigProblem> problems = new ArrayList<>();
        for (DqRule rule : rules) {
            String field = rule.type().equals(DqRule.EXPR) ? "expr" : "column";
            try {
                if (rule.column() != null) {
                    DataType type = empty.select(expr(rule.column())).schema().fields()[0].dataType();
                    if (rule.type().equals(DqRule.EXPR) && !(type instanceof BooleanType)) {
                        problems.add(new ConfigProblem(rule.configKey() + ".expr", rule.column(),
                                "must be a boolean expression (true = good record), but it gives " + type.simpleString()));
                        continue;
                    }
                }
                empty.select(coalesce(failure(rule, lit(Timestamp.from(Instant.EPOCH))), lit(false))).schema();
            } catch (Exception e) { // AnalysisException is checked in Java's eyes but thrown undeclared
                problems.add(new ConfigProblem(rule.configKey() + "." + field, rule.column(),
                        "does not resolve against `record.schema` (" + Messages.firstLine(e.getMessage()) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(origin, problems);
        }
    }
}
