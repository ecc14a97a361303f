package io.sluice.ingest;

import io.sluice.ingest.source.SourceRecord;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends one record at a time through the {@link Throttle} into the Kafka producer, which batches ({@code linger.ms},
 * {@code batch.size}) and retries on its own. A record goes to {@code kafka.topic}; a payload the source rejected goes
 * to the dead-letter topic as a {@link DeadLetter}. Both advance the {@link PositionTracker} only when acknowledged, so
 * a position after an unreadable payload is committed only once its dead letter is safe. A record Kafka finally
 * refuses is reported to {@code onFailure}, which stops the pipeline.
 */
final class RecordSender {
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final DeadLetter deadLetter;
    private final Throttle throttle;
    private final PositionTracker positions;
    private final IngestMetrics metrics;
    private final String retryHint;
    private final Consumer<SendFailedException> onFailure;
    private final Ticker ticker;

    RecordSender(Producer<String, byte[]> producer, String topic, DeadLetter deadLetter, Throttle throttle, PositionTracker positions,
                 IngestMetrics metrics, String retryHint, Consumer<SendFailedException> onFailure) {
        this(producer, topic, deadLetter, throttle, positions, metrics, retryHint, onFailure, Ticker.SYSTEM);
    }

    /** @param ticker times each send until Kafka's acknowledgement ({@code sluice.producer.latency}) */
    RecordSender(Producer<String, byte[]> producer, String topic, DeadLetter deadLetter, Throttle throttle, PositionTracker positions,
                 IngestMetrics metrics, String retryHint, Consumer<SendFailedException> onFailure, Ticker ticker) {
        this.ticker = ticker;
        this.producer = producer;
        this.topic = topic;
        this.deadLetter = deadLetter;
        this.throttle = throttle;
        this.positions = positions;
        this.metrics = metrics;
        this.retryHint = retryHint;
        this.onFailure = onFailure;
    }

    /** Waits for the throttle, then hands the record to the producer without waiting for the acknowledgement. */
    void send(SourceRecord record) throws InterruptedException {
        throttle.acquire(record.sizeInBytes());
        long sentAt = ticker.nanoTime();
        long sequence = positions.register(record.position());
        String key = record.key();
        boolean rejected = record.isRejected();
        ProducerRecord<String, byte[]> out = rejected ? deadLetter.toRecord(record) : new ProducerRecord<>(topic, key, record.value());
        try {
            metrics.recordHanded();
            producer.send(out, (metadata, error) -> {
                if (error == null) {
                    metrics.recordAckLatency(ticker.nanoTime() - sentAt);
                    positions.acknowledged(sequence);
                    if (rejected) {
                        metrics.recordDeadLettered(record.rejection().reason());
                    } else {
                        metrics.recordAcked(key);
                    }
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
        String target = record.isRejected() ? "dead-letter topic `" + deadLetter.topic() : "topic `" + topic;
        return new SendFailedException("Kafka did not accept a record for " + target + "` (source position "
                + record.position() + ") " + retryHint + ": " + error.getClass().getSimpleName() + ": " + error.getMessage()
                + ". Nothing after the last committed position is lost: a restart re-reads from there where the source "
                + "can resume", error);
    }
}
