package io.sluice.cli.kafka;

import io.sluice.config.KafkaClientProperties;
import io.sluice.config.PipelineConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** Reads a topic's end offsets: how many records Kafka holds, and the mark the stream job must reach to have drained it. */
public final class TopicOffsets implements AutoCloseable {
    private final Admin admin;

    public TopicOffsets(String bootstrapServers) {
        this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** For the pipeline's Kafka, with its security settings. */
    public TopicOffsets(PipelineConfig config) {
        this(KafkaClientProperties.of(config));
    }

    private TopicOffsets(Map<String, Object> clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        this.admin = Admin.create(props);
    }

    /** End offset of every partition of {@code topic}; empty when the topic does not exist. */
    public Map<Integer, Long> endOffsets(String topic) {
        try {
            if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                return Map.of();
            }
            TopicDescription description = admin.describeTopics(java.util.List.of(topic)).allTopicNames()
                    .get(15, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<Integer, Long> out = new HashMap<>();
            admin.listOffsets(request).all().get(15, TimeUnit.SECONDS)
                    .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets of " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read offsets of topic " + topic + ": " + e.getMessage(), e);
        }
    }

    public static long total(Map<Integer, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Deletes the topic if it exists, waiting until Kafka no longer lists it. */
    public void deleteTopic(String topic) {
        try {
            if (admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                admin.deleteTopics(java.util.List.of(topic)).all().get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
