package io.sluice.stream;

import io.sluice.config.KafkaClientProperties;
import io.sluice.config.PipelineConfig;
import io.sluice.stream.adaptive.AdaptiveSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Wires one pipeline into a running streaming query: Kafka source -> {@link MicroBatchWriter} (parse, rules, upsert,
 * quarantine, metrics).
 */
final class PipelineQuery {
    /** More than a default fetch holds (1 MiB of records of 500 bytes or more). */
    static final int MAX_POLL_RECORDS = 2_000;

    private PipelineQuery() {
    }

    /**
     * The query is the Kafka source alone: {@code writer} parses, checks and writes each batch's rows, so Spark has next
     * to nothing to plan for a micro-batch, and plans the same code for every one.
     */
    static StreamingQuery start(SparkSession spark, PipelineConfig config, PipelineSink.Handler writer,
                                Path checkpointDir, boolean availableNow) throws TimeoutException {
        Dataset<Row> kafka = spark.readStream()
                .format("kafka")
                // Spark asks the broker for the partition's first and last offsets after every poll (two ListOffsets
                // round trips), and a poll returns 500 records by default: polls that take a whole fetch (1 MiB) make
                // those round trips rarer. Before the pipeline's own settings, so kafka.properties can change it.
                .option("kafka.max.poll.records", Integer.toString(MAX_POLL_RECORDS))
                .options(KafkaClientProperties.sparkOptions(config))
                .option("subscribe", config.kafkaTopic())
                .option("startingOffsets", config.streamStartingOffsets())
                // The flow control of the seed notes: at most this many records per micro-batch, the rest wait in Kafka.
                .option("maxOffsetsPerTrigger", Long.toString(config.streamMaxOffsetsPerTrigger()))
                .option("groupIdPrefix", "sluice-" + config.name())
                .load();

        return PipelineSink.attach(kafka.writeStream(), writer)
                .queryName("sluice_" + config.name())
                .option("checkpointLocation", checkpointDir.toString())
                // AvailableNow still honours maxOffsetsPerTrigger: the backlog drains in capped batches.
                .trigger(availableNow ? Trigger.AvailableNow()
                        : Trigger.ProcessingTime(config.streamTriggerInterval().toMillis()))
                .start();
    }

    /** The writer with every part the pipeline asks for: rules, quarantine, metrics and the halt monitor. */
    static MicroBatchWriter writer(SparkConf sparkConf, PipelineConfig config, RecordParser parser, DataQuality quality,
                                   SinkProjection projection, QualityMetricsStore metrics, Path progressFile,
                                   Path checkpointDir) {
        Clock clock = Clock.systemUTC();
        DriverRowWriter driverWriter = "driver".equals(config.sinkWriter())
                ? driverWriter(sparkConf, config, projection) : null;
        return new MicroBatchWriter(new MicroBatchWriter.Parts(parser, quality, projection, config.streamPartitions(),
                config.streamMaxOffsetsPerTrigger(), CassandraOptions.write(config), driverWriter,
                new QuarantineWriter(config, clock), metrics,
                HaltMonitor.fromConfig(config, clock), progressFile, new BatchTimes(checkpointDir), clock));
    }

    /**
     * {@code sink.max_rows_per_second} holds for the whole job: each batch splits it over its tasks, whatever the
     * number of executors ({@link TaskShares}).
     */
    private static DriverRowWriter driverWriter(SparkConf sparkConf, PipelineConfig config, SinkProjection projection) {
        List<String> columns = new ArrayList<>(projection.partitionKey());
        columns.addAll(projection.columnNames());
        return new DriverRowWriter(config.cassandraConnection(),
                config.sinkKeyspace(), config.sinkTable(),
                columns, projection.hasRowTtl() ? SinkProjection.ROW_TTL : null,
                (int) Math.min(Integer.MAX_VALUE, config.sinkTtl().toSeconds()), config.sinkConsistency(),
                config.sinkConcurrentWrites(), config.sinkMaxRowsPerSecond(), isLocal(sparkConf),
                config.sinkBatchGrouping(), config.sinkBatchSizeRows() == null ? 1 : config.sinkBatchSizeRows(),
                config.sinkBatchBufferSize())
                .withWriteControl(config.sinkAdaptive() ? AdaptiveSettings.from(config, config.sinkMaxRowsPerSecond()) : null,
                        config.sinkWriteRetryTimeout());
    }

    private static boolean isLocal(SparkConf sparkConf) {
        return sparkConf.get("spark.master", "local").startsWith("local");
    }
}
