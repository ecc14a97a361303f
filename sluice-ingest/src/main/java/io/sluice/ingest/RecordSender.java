package io.sluice.ingest;

import io.sluice.ingest.source.SourceRecord;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends one record at a time through the {@link Throttle} into the Kafka producer, which batches ({@code linger.ms},
 * {@code batch.size}) and retries on its own. Acknowledgements advance the {@link PositionTracker}; a record Kafka
 * finally refuses is reported to {@code onFailure}, which stops the pipeline.
 */
final class RecordSender {
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Throttle throttle;
    private final PositionTracker positions;
    private final IngestMetrics metrics;
    private final String retryHint;
    private final Consumer<SendFailedException> onFailure;

    RecordSender(Producer<String, byte[]> producer, String topic, Throttle throttle, PositionTracker positions,
                 IngestMetrics metrics, String retryHint, Consumer<SendFailedException> onFailure) {
        this.producer = producer;
        this.topic = topic;
        this.throttle = throttle;
        this.positions = positions;
        this.metrics = metrics;
        this.retryHint = retryHint;
        this.onFailure = onFailure;
    }

    /** Waits for the throttle, then hands the record to the producer without waiting for the acknowledgement. */
    void send(SourceRecord record) throws InterruptedException {
        throttle.acquire(record.sizeInBytes());
        long sequence = positions.register(record.position());
        String key = record.key();
        try {
            producer.send(new ProducerRecord<>(topic, key, record.value()), (metadata, error) -> {
                if (error == null) {
                    positions.acknowledged(sequence);
                    metrics.recordAcked(key);
                } else {
                    metrics.recordSendError();
                    onFailure.accept(failure(record, error));
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            metrics.recordSendError();
            throw failure(record, e);
        }
    }

    private SendFailedException failure(SourceRecord record, Throwable error) {
        return new SendFailedException("Kafka did not accept a record for topic `" + topic + "` (source position "
                + record.position() + ") " + retryHint + ": " + error.getClass().getSimpleName() + ": " + error.getMessage()
                + ". Nothing after the last committed position is lost: a restart re-reads from there where the source "
                + "can resume", error);
    }
}
