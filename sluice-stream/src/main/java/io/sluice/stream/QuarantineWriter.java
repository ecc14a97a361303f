package io.sluice.stream;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.sluice.config.KafkaClientProperties;
import io.sluice.config.PipelineConfig;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Sends the quarantined records of a micro-batch to both places a person looks for them:
 *
 * <ul>
 *   <li>the dead-letter topic {@code quarantine.topic}: key and value are the original Kafka bytes, untouched;
 *       everything Sluice adds is in headers ({@code sluice.reasons} comma-separated, {@code sluice.source.topic},
 *       {@code sluice.source.partition}, {@code sluice.source.offset}, {@code sluice.pipeline}, {@code sluice.batch_id},
 *       all UTF-8 text), so a fixed record can be re-produced to the source topic as it is;</li>
 *   <li>the Cassandra table {@code quarantine.table}, one row per Kafka position, with {@code quarantine.ttl}.</li>
 * </ul>
 *
 * Both run before the batch is committed, so a crash repeats them: the table row is overwritten, the topic may hold
 * the record twice (deduplicate by the {@code sluice.source.*} headers).
 */
final class QuarantineWriter implements SkippedRecords {
    private final String pipeline;
    private final Map<String, String> kafkaOptions;
    private final String topic;
    private final Map<String, String> tableOptions;
    private final Clock clock;

    QuarantineWriter(PipelineConfig config, Clock clock) {
        this.pipeline = config.name();
        this.kafkaOptions = KafkaClientProperties.sparkOptions(config);
        this.topic = config.quarantineTopic();
        this.tableOptions = CassandraOptions.quarantine(config);
        this.clock = clock;
    }

    @Override
    public void handle(Dataset<Row> skipped, long batchId, long count) {
        toTable(skipped, batchId);
        toTopic(skipped, batchId);
    }

    private void toTable(Dataset<Row> skipped, long batchId) {
        skipped.select(
                        col(RecordParser.TOPIC).as("source_topic"),
                        col(RecordParser.PARTITION).as("source_partition"),
                        col(RecordParser.OFFSET).as("source_offset"),
                        lit(pipeline).as("pipeline"),
                        lit(batchId).as("batch_id"),
                        col(DataQuality.REASONS).as("reasons"),
                        col(RecordParser.KAFKA_KEY).as("kafka_key"),
                        col(RecordParser.RAW_BYTES).as("raw_value"),
                        lit(Timestamp.from(clock.instant())).as("quarantined_at"))
                .write()
                .format(CassandraOptions.FORMAT)
                .options(tableOptions)
                .mode(SaveMode.Append)
                .save();
    }

    private void toTopic(Dataset<Row> skipped, long batchId) {
        Column headers = array(
                header("sluice.reasons", concat_ws(",", col(DataQuality.REASONS))),
                header("sluice.source.topic", col(RecordParser.TOPIC)),
                header("sluice.source.partition", col(RecordParser.PARTITION).cast("string")),
                header("sluice.source.offset", col(RecordParser.OFFSET).cast("string")),
                header("sluice.pipeline", lit(pipeline)),
                header("sluice.batch_id", lit(Long.toString(batchId))));
        skipped.select(col(RecordParser.KAFKA_KEY).as("key"), col(RecordParser.RAW_BYTES).as("value"), headers.as("headers"))
                .write()
                .format("kafka")
                .options(kafkaOptions)
                .option("topic", topic)
                .option("kafka.acks", "all")
                // A source record may be up to the broker's limit; the headers must not push it over the producer's.
                .option("kafka.max.request.size", Integer.toString(DeadLetterTopic.MAX_MESSAGE_BYTES))
                .save();
    }

    private static Column header(String key, Column text) {
        return struct(lit(key).as("key"), text.cast("binary").as("value"));
    }
}
