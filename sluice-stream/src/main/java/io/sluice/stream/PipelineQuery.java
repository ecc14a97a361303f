package io.sluice.stream;

import io.sluice.config.PipelineConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/** Wires one pipeline into a running streaming query: Kafka source -> {@link RecordParser} -> {@link MicroBatchWriter}. */
final class PipelineQuery {
    private PipelineQuery() {
    }

    static StreamingQuery start(SparkSession spark, PipelineConfig config, RecordParser parser, SinkProjection projection,
                                Path checkpointDir, Path progressFile, boolean availableNow) throws TimeoutException {
        Dataset<Row> kafka = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", config.kafkaBootstrapServers())
                .option("subscribe", config.kafkaTopic())
                .option("startingOffsets", config.streamStartingOffsets())
                // The flow control of the seed notes: at most this many records per micro-batch, the rest wait in Kafka.
                .option("maxOffsetsPerTrigger", Long.toString(config.streamMaxOffsetsPerTrigger()))
                .option("groupIdPrefix", "sluice-" + config.name())
                .load();

        MicroBatchWriter writer = new MicroBatchWriter(projection, config.streamPartitions(),
                CassandraOptions.write(config), SkippedRecords.COUNT_ONLY, progressFile, Clock.systemUTC());

        return parser.parse(kafka).writeStream()
                .queryName("sluice_" + config.name())
                .option("checkpointLocation", checkpointDir.toString())
                // AvailableNow still honours maxOffsetsPerTrigger: the backlog drains in capped batches.
                .trigger(availableNow ? Trigger.AvailableNow()
                        : Trigger.ProcessingTime(config.streamTriggerInterval().toMillis()))
                .foreachBatch(writer)
                .start();
    }
}
