package io.sluice.bench;

import io.sluice.bench.BenchResults.KafkaCeiling;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stage 2, the Kafka produce ceiling: the backlog produced as fast as one producer can, with settings chosen for
 * throughput (big lingering batches, lz4, leader-only acks). The topic it fills is the backlog that the baseline and
 * Sluice then drain, so all three work on the same records. The timed loop is also the stage's CPU window (the
 * broker, this JVM as the producer, Cassandra idling).
 */
final class KafkaCeilingStage {

    /** Throughput-first producer settings; reported verbatim. */
    static Map<String, String> bestSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ProducerConfig.ACKS_CONFIG, "1");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(64 << 20));
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        return settings;
    }

    private final BenchStack stack;
    private final DemoRecords records;
    private final CpuLedger cpu;

    KafkaCeilingStage(BenchStack stack, DemoRecords records, CpuLedger cpu) {
        this.stack = stack;
        this.records = records;
        this.cpu = cpu;
    }

    KafkaCeiling run(String topic, int partitions, long count) {
        stack.createTopic(topic, partitions);
        Map<String, String> settings = bestSettings();
        AtomicLong errors = new AtomicLong();
        long bytes = 0;
        long start;
        long end;
        try (KafkaProducer<String, byte[]> producer = producer(stack.bootstrapServers(), settings);
             CpuWindow window = cpu.open()) {
            start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                byte[] value = records.value(i);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, records.key(i), value), (meta, failure) -> {
                    if (failure != null) {
                        errors.incrementAndGet();
                    }
                });
            }
            producer.flush();
            end = System.nanoTime();
            cpu.record(CpuLedger.KAFKA_CEILING, window.finish(CpuLedger.stageName(CpuLedger.KAFKA_CEILING), count));
        }
        double seconds = (end - start) / 1e9;
        return new KafkaCeiling(count, bytes, seconds, count / seconds, bytes / seconds / 1e6, errors.get(),
                new TreeMap<>(settings));
    }

    static KafkaProducer<String, byte[]> producer(String bootstrapServers, Map<String, String> settings) {
        Map<String, Object> config = new LinkedHashMap<>(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-bench");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
