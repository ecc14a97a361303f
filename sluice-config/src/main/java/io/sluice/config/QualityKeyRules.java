package io.sluice.config;

import java.util.List;

/** Rules that tie the {@code dq.*}, {@code quarantine.*} and new {@code sink.*} write keys to each other and to the rest. */
final class QualityKeyRules {
    private QualityKeyRules() {
    }

    static void check(PipelineConfig config, List<ConfigProblem> problems) {
        String bucketColumn = config.sinkTimeBucketColumn();
        String bucketExpression = config.sinkTimeBucketExpression();
        if ((bucketColumn == null) != (bucketExpression == null)) {
            String missing = bucketColumn == null ? "sink.time_bucket.column" : "sink.time_bucket.expression";
            String present = bucketColumn == null ? "sink.time_bucket.expression" : "sink.time_bucket.column";
            problems.add(new ConfigProblem(missing, null, "is required when `" + present + "` is set: a time bucket "
                    + "needs both the column that holds it and the expression that computes it"));
        }
        if (bucketColumn != null) {
            if (bucketColumn.equals(config.sinkKeyColumn())) {
                problems.add(new ConfigProblem("sink.time_bucket.column", bucketColumn,
                        "must differ from `sink.key_column`; the bucket joins the key in the partition key"));
            }
            if (config.sinkColumns().containsKey(bucketColumn)) {
                problems.add(new ConfigProblem("sink.time_bucket.column", bucketColumn,
                        "must not also be in `sink.columns`; Sluice fills it from `sink.time_bucket.expression`"));
            }
        }
        if (config.quarantineTable().equals(config.sinkTable())) {
            problems.add(new ConfigProblem("quarantine.table", config.quarantineTable(),
                    "must differ from `sink.table`, or bad records would land among the good ones"));
        }
        if (config.quarantineTopic().equals(config.kafkaTopic())) {
            problems.add(new ConfigProblem("quarantine.topic", config.quarantineTopic(),
                    "must differ from `kafka.topic`, or quarantined records would be read again forever"));
        }
        if (Validators.cqlIdentifier().check(config.quarantineTable()) != null) {
            problems.add(new ConfigProblem("quarantine.table", config.quarantineTable(),
                    Validators.cqlIdentifier().check(config.quarantineTable()) + "; set `quarantine.table` to a shorter name"));
        }
        if (Validators.cqlIdentifier().check(config.dqMetricsTable()) != null) {
            problems.add(new ConfigProblem("sink.table", config.sinkTable(), "is too long to derive the metrics table "
                    + config.dqMetricsTable() + " from; use a table name of at most 37 characters"));
        }
    }
}
