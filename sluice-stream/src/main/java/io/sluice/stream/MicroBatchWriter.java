package io.sluice.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code foreachBatch} body: one parsed micro-batch in; valid rows upserted into Cassandra, quarantined rows to
 * the quarantine table and dead-letter topic, one metrics row, one progress line; then the halt check.
 *
 * <p>The checked batch is cached because it is read several times (the writes and a small summary aggregation);
 * without the cache Spark would fetch the same offsets from Kafka again and re-run the rules. With
 * {@code sink.writer: driver} the valid rows go first, straight from the tasks that build the cache
 * ({@link DriverRowWriter}: bounded in flight, paced to {@code sink.max_rows_per_second}). With the connector they are
 * hash-partitioned on the Cassandra partition key so each Spark task writes a disjoint set of partitions, and the
 * write is bounded by the connector's in-flight, batch and throughput limits from the pipeline file.
 */
final class MicroBatchWriter implements VoidFunction2<Dataset<Row>, Long> {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchWriter.class);

    /** Everything one writer needs; it runs on the driver only (foreachBatch does not ship its function). */
    record Parts(DataQuality quality, SinkProjection projection, int partitions, Map<String, String> writeOptions,
                 DriverRowWriter driverWriter, SkippedRecords skippedRecords, QualityMetricsStore metrics,
                 HaltMonitor halt, Path progressFile, Clock clock) {
    }

    private final transient Parts parts;

    MicroBatchWriter(Parts parts) {
        this.parts = parts;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        long startNanos = System.nanoTime();
        Instant batchTime = parts.clock().instant();
        Dataset<Row> checked = parts.quality().apply(batch, batchTime).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (parts.driverWriter() != null) {
                // Written first, straight from the Kafka partitions: the tasks that parse and cache the batch send its
                // rows as they go, so Spark's parsing overlaps Cassandra's writing and no shuffle stands between them.
                // The pacing is shared by all tasks of an executor, so the spread of rows over tasks does not matter.
                parts.projection().apply(checked.filter(col(DataQuality.VALID))).foreachPartition(parts.driverWriter());
            }
            BatchSummary summary = BatchSummary.of(checked, parts.quality().rules());
            if (parts.driverWriter() == null && summary.validRows() > 0) {
                Column[] partitionKey = parts.projection().partitionKey().stream().map(c -> col(c)).toArray(Column[]::new);
                parts.projection().apply(checked.filter(col(DataQuality.VALID)))
                        .repartition(parts.partitions(), partitionKey)
                        .write()
                        .format(CassandraOptions.FORMAT)
                        .options(parts.writeOptions())
                        .mode(SaveMode.Append) // the connector's append is an upsert by primary key
                        .save();
            }
            if (summary.quarantinedRows() > 0) {
                parts.skippedRecords().handle(checked.filter(not(col(DataQuality.VALID))), batchId, summary.quarantinedRows());
            }
            if (parts.metrics() != null) {
                parts.metrics().record(batchId, batchTime, summary);
            }
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
            Map<String, Long> reasons = summary.quarantineReasons(parts.quality().rules());
            LOG.info("batch {}: {} records in, {} written, {} quarantined {}, {} warned, rule failures {}, {} ms", batchId,
                    summary.inputRows(), summary.validRows(), summary.quarantinedRows(), reasons, summary.warnedRows(),
                    summary.ruleFailures(), durationMs);
            if (parts.progressFile() != null) {
                ProgressFile.append(parts.progressFile(), StreamProgress.batch(batchId, parts.clock().instant(),
                        summary.inputRows(), summary.validRows(), summary.quarantinedRows(), summary.parseFailures(),
                        durationMs, summary.endOffsets(), summary.warnedRows(), summary.ruleFailures()));
            }
            if (parts.halt() != null) {
                parts.halt().record(summary.inputRows(), summary.quarantinedRows(), reasons);
            }
        } finally {
            checked.unpersist();
        }
    }
}
