package io.sluice.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** End offsets of a topic: records that are in Kafka. Lag = end offsets minus what the job reports written. */
final class KafkaLag {
    private final Admin admin;
    private final Map<TopicPartition, OffsetSpec> latest;

    KafkaLag(Admin admin, String topic, int partitions) {
        this.admin = admin;
        this.latest = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest(), (a, b) -> a, HashMap::new));
    }

    long endOffsets() {
        try {
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while reading Kafka offsets", e);
        } catch (ExecutionException e) {
            throw new BenchException("could not read Kafka end offsets: " + e.getCause().getMessage(), e);
        }
    }
}
