package io.sluice.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code foreachBatch} body: one parsed micro-batch in, upserts into Cassandra out, one progress line.
 *
 * <p>The batch is cached because it is read twice (a small summary aggregation, then the write); without the cache
 * Spark would fetch the same offsets from Kafka again. Rows are hash-partitioned on the key column so each Spark task
 * writes a disjoint set of Cassandra partitions, and the write itself is bounded by the connector's in-flight and
 * throughput limits from the pipeline file.
 */
final class MicroBatchWriter implements VoidFunction2<Dataset<Row>, Long> {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchWriter.class);

    // Runs on the driver only (foreachBatch does not ship its function to executors), hence transient.
    private final transient SinkProjection projection;
    private final transient Map<String, String> writeOptions;
    private final transient SkippedRecords skippedRecords;
    private final transient Path progressFile;
    private final transient Clock clock;
    private final int partitions;

    MicroBatchWriter(SinkProjection projection, int partitions, Map<String, String> writeOptions,
                     SkippedRecords skippedRecords, Path progressFile, Clock clock) {
        this.projection = projection;
        this.partitions = partitions;
        this.writeOptions = Map.copyOf(writeOptions);
        this.skippedRecords = skippedRecords;
        this.progressFile = progressFile;
        this.clock = clock;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        long startNanos = System.nanoTime();
        Dataset<Row> parsed = batch.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            BatchSummary summary = BatchSummary.of(parsed);
            if (summary.okRows() > 0) {
                projection.apply(parsed.filter(col(RecordParser.PARSE_OK)))
                        .repartition(partitions, col(projection.keyColumn()))
                        .write()
                        .format(CassandraOptions.FORMAT)
                        .options(writeOptions)
                        .mode(SaveMode.Append) // the connector's append is an upsert by primary key
                        .save();
            }
            if (summary.skippedRows() > 0) {
                skippedRecords.handle(parsed.filter(not(col(RecordParser.PARSE_OK))), batchId, summary.skippedRows());
            }
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
            LOG.info("batch {}: {} records in, {} rows written, {} skipped {}, {} ms", batchId, summary.inputRows(),
                    summary.okRows(), summary.skippedRows(), summary.skippedByReason(), durationMs);
            if (progressFile != null) {
                ProgressFile.append(progressFile, StreamProgress.batch(batchId, clock.instant(), summary.inputRows(),
                        summary.okRows(), summary.skippedRows(), summary.skippedByReason(), durationMs, summary.endOffsets()));
            }
        } finally {
            parsed.unpersist();
        }
    }
}
