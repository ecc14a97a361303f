package io.sluice.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.sluice.stream.kafka.KafkaBatchReads;
import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline does with each micro-batch that its sink ({@link PipelineSink}) hands over: Kafka rows in, parsed
 * and checked here; valid rows upserted into Cassandra, quarantined rows to the quarantine table and dead-letter topic,
 * one metrics row, one progress line; then the halt check.
 *
 * <p>With {@code sink.writer: driver} (the default) the batch is read from Kafka, parsed, checked and written in one
 * pass: {@link DriverRowWriter} sends the valid rows as the tasks produce them (bounded in flight, paced to
 * {@code sink.max_rows_per_second}) and counts every row for the summary. Nothing is cached, so the first rows reach
 * Cassandra while the rest of the batch is still being parsed. Only a batch with quarantined rows is read a second
 * time, to send those rows to the quarantine.
 *
 * <p>With the connector the checked batch is cached, because it is read several times (the summary aggregation, the
 * write, the quarantine); the valid rows are hash-partitioned on the Cassandra partition key so each Spark task writes
 * a disjoint set of partitions, and the write is bounded by the connector's in-flight, batch and throughput limits.
 */
final class MicroBatchWriter implements PipelineSink.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchWriter.class);
    /**
     * The batch's own time ({@link BatchTimes}), a column this writer adds to each Kafka row: "now" for the rules, so a
     * batch replayed after a restart is judged as the first time.
     */
    static final String BATCH_TIME = "_sluice_batch_time";
    /** The columns whose value is the same for every row of a batch: {@link #BATCH_TIME}. */
    static final StructType PER_BATCH = new StructType().add(BATCH_TIME, DataTypes.TimestampType, false);

    /** The values of {@link #PER_BATCH} for a batch judged at {@code judgedAt}, as Spark holds them internally. */
    static InternalRow perBatchValues(Instant judgedAt) {
        return new GenericInternalRow(new Object[] {DateTimeUtils.instantToMicros(judgedAt)});
    }

    /** Everything one writer needs; it runs on the driver only (the sink does not ship it). */
    record Parts(RecordParser parser, DataQuality quality, SinkProjection projection, int partitions,
                 long maxRecordsPerBatch, Map<String, String> writeOptions, DriverRowWriter driverWriter,
                 SkippedRecords skippedRecords, QualityMetricsStore metrics, HaltMonitor halt, Path progressFile,
                 BatchTimes batchTimes, Clock clock) {
    }

    private final transient Parts parts;
    /** When the previous batch ended, for the trigger delay; -1 before the first. */
    private long lastEndNanos = -1;
    /** Planned at the first batch of the driver writer: empty when the rules need Spark to plan each batch. */
    private Optional<PrecompiledProjection> precompiled;
    /** Whether the last batch was read by {@link KafkaBatchReads}; null before the first, logged when it changes. */
    private Boolean ownReader;

    MicroBatchWriter(Parts parts) {
        this.parts = parts;
    }

    @Override
    public void handle(MicroBatch batch, long batchId) {
        long startNanos = System.nanoTime();
        Instant batchTime = parts.clock().instant();
        Instant judgedAt = parts.batchTimes().of(batch.session(), batchId);
        if (parts.driverWriter() != null) {
            BatchCounts counts = writeInOnePass(batch, judgedAt);
            BatchSummary summary = counts.toSummary(parts.quality().rules());
            if (summary.quarantinedRows() > 0) {
                // Read again from Kafka (the same offsets, judged at the same batch time), keeping only the few rows
                // that are quarantined.
                Dataset<Row> skipped = checked(atBatchTime(batch.dataset(), judgedAt))
                        .filter(not(col(DataQuality.VALID))).persist(StorageLevel.MEMORY_AND_DISK());
                try {
                    parts.skippedRecords().handle(skipped, batchId, summary.quarantinedRows());
                } finally {
                    skipped.unpersist();
                }
            }
            finish(batchId, batchTime, summary, startNanos, counts.writes().figures());
            return;
        }
        Dataset<Row> checked = checked(atBatchTime(batch.dataset(), judgedAt)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            BatchSummary summary = BatchSummary.of(checked, parts.quality().rules());
            if (summary.validRows() > 0) {
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
            finish(batchId, batchTime, summary, startNanos, StreamProgress.WriteFigures.NONE);
        } finally {
            checked.unpersist();
        }
    }

    /** The batch's Kafka rows with {@link #BATCH_TIME}, for Spark to plan. */
    private static Dataset<Row> atBatchTime(Dataset<Row> batch, Instant judgedAt) {
        return batch.withColumn(BATCH_TIME, lit(Timestamp.from(judgedAt)));
    }

    /**
     * The batch's Kafka rows (with {@link #BATCH_TIME}) parsed and judged, with the verdict columns. "Now" for the
     * rules ({@code max_age}) is the batch's own time.
     */
    private Dataset<Row> checked(Dataset<Row> batch) {
        Dataset<Row> parsed = parts.parser().parse(batch, List.of(BATCH_TIME));
        return parts.quality().apply(parsed, col(BATCH_TIME));
    }

    /** What {@link #writeInOnePass} makes of each Kafka row: checked, plus the table columns; what the writer reads. */
    private Dataset<Row> toWrite(Dataset<Row> batch) {
        Column[] reads = parts.driverWriter().reads(parts.quality().rules().size()).stream()
                .map(name -> col("`" + name + "`")).toArray(Column[]::new);
        return writeColumns(checked(batch), parts.projection()).select(reads);
    }

    /**
     * One pass over Spark's internal rows (no conversion of each row to an external {@code Row} and of each text to a
     * Java {@code String}). The streaming query is only the Kafka source; the parse, the rules and the table columns
     * run as a {@link PrecompiledProjection}, planned at the first batch, not for every one. Rules that compare the
     * rows of a batch ({@code unique_in_batch}) or read the clock cannot be planned once, so Spark plans those batches.
     */
    private BatchCounts writeInOnePass(MicroBatch batch, Instant judgedAt) {
        int rules = parts.quality().rules().size();
        if (precompiled == null) { // the Kafka source's columns are fixed, so one plan serves every batch
            precompiled = PrecompiledProjection.plan(batch.session(), RecordParser.valueReadInPlace(batch.schema()),
                    PER_BATCH, this::toWrite);
            LOG.info(precompiled.isPresent() ? "each row is parsed, checked and projected by one chain planned at start"
                    : "a rule compares the rows of a batch or reads the clock: Spark plans every micro-batch");
        }
        if (precompiled.isPresent()) {
            PrecompiledProjection projection = precompiled.get();
            return BatchWriteJob.run(kafkaRows(batch), parts.maxRecordsPerBatch(),
                    projection.withPerBatch(perBatchValues(judgedAt)), parts.driverWriter(), projection.schema(), rules);
        }
        Dataset<Row> toWrite = toWrite(atBatchTime(batch.dataset(), judgedAt));
        return BatchWriteJob.run(toWrite.queryExecution().toRdd(), parts.maxRecordsPerBatch(), null,
                parts.driverWriter(), toWrite.schema(), rules);
    }

    /**
     * The batch's Kafka rows, read by Sluice's own reader from the offset ranges Spark's Kafka source planned
     * ({@link KafkaBatchReads}), or as Spark planned them where the plan is not one that reader knows.
     */
    private RDD<InternalRow> kafkaRows(MicroBatch batch) {
        RDD<InternalRow> scanned = batch.scanRows();
        int tasks = BatchWriteJob.tasks(scanned.getNumPartitions(), parts.maxRecordsPerBatch());
        Optional<KafkaBatchReads> reads = KafkaBatchReads.of(scanned, batch.schema());
        if (ownReader == null || ownReader != reads.isPresent()) {
            ownReader = reads.isPresent();
            if (ownReader) {
                LOG.info("micro-batches are read from Kafka by Sluice's reader, the offset ranges as Spark planned them");
            } else {
                LOG.info("micro-batches are read by Spark's Kafka reader: Sluice's does not take this plan: {}",
                        scanned.toDebugString());
            }
        }
        return reads.isPresent() ? reads.get().rows(tasks) : MicroBatch.plannedRows(batch.dataset());
    }

    /** The column that carries table column {@code name} for the driver writer: null unless the row is valid. */
    static String tableColumn(String name) {
        return "_sink_" + name;
    }

    /**
     * Every checked column, then the table columns (null unless valid; prefixed by {@link #tableColumn}, since a table
     * column may share its name with a record field).
     */
    static Dataset<Row> writeColumns(Dataset<Row> checked, SinkProjection projection) {
        List<Column> out = new ArrayList<>();
        for (String name : checked.columns()) {
            out.add(col("`" + name + "`"));
        }
        for (Column column : projection.columnsWhere(col(DataQuality.VALID))) {
            out.add(column);
        }
        return checked.select(out.toArray(Column[]::new));
    }

    private void finish(long batchId, Instant batchTime, BatchSummary summary, long startNanos,
                        StreamProgress.WriteFigures writes) {
        long triggerDelayMs = lastEndNanos < 0 ? 0 : Math.max(0, (startNanos - lastEndNanos) / 1_000_000);
        lastEndNanos = System.nanoTime();
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
                    durationMs, summary.endOffsets(), summary.warnedRows(), summary.ruleFailures())
                    .withFlow(triggerDelayMs, writes));
        }
        if (parts.halt() != null) {
            parts.halt().record(summary.inputRows(), summary.quarantinedRows(), reasons);
        }
    }
}
