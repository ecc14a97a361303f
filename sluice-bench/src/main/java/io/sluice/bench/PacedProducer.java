package io.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces records at a steady rate (latency and flood runs), each stamped with its produce time. Records are sent
 * on schedule rather than as fast as possible, so a slow moment is caught up in small steps, never in one burst.
 */
final class PacedProducer implements AutoCloseable {

    /** The pipeline's own producer settings: what a real Sluice ingest would send with. */
    static Map<String, String> pipelineSettings(io.sluice.config.PipelineConfig config) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(config.producerLinger().toMillis()));
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, Long.toString(config.producerBatchSize()));
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.producerCompression());
        return settings;
    }

    private final KafkaProducer<String, byte[]> producer;
    private final DemoRecords records;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private long nextIndex;

    PacedProducer(BenchStack stack, DemoRecords records, String topic, Map<String, String> settings, long firstIndex) {
        this.producer = KafkaCeilingStage.producer(stack.bootstrapServers(), settings);
        this.records = records;
        this.topic = topic;
        this.nextIndex = firstIndex;
    }

    /** Sends {@code perSecond} records a second for {@code duration}, then waits for every acknowledgement. */
    long produce(double perSecond, Duration duration) {
        long count = Math.round(perSecond * duration.toNanos() / 1e9);
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                sleep(wait);
            }
            long index = nextIndex++;
            producer.send(new ProducerRecord<>(topic, records.key(index), records.value(index, Instant.now())),
                    (meta, failure) -> (failure == null ? acked : errors).incrementAndGet());
            sent.incrementAndGet();
        }
        producer.flush();
        return count;
    }

    /** Records handed to the producer so far (the flood sampler reads it from another thread). */
    long sent() {
        return sent.get();
    }

    long acked() {
        return acked.get();
    }

    long errors() {
        return errors.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        }
    }
}
