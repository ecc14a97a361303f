package io.sluice.ingest.kafka;

import io.sluice.config.ConnectionFailures;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.KafkaClientProperties;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.KafkaUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure {@code kafka.topic} exists before producing: creates it with {@code kafka.partitions} and
 * {@code kafka.replication_factor} when missing. An existing topic is never altered; a different partition count is
 * reported, because it changes how keys spread over partitions.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public enum Outcome { CREATED, EXISTS, EXISTS_WITH_OTHER_PARTITION_COUNT }

    private final Admin admin;
    private final String bootstrapServers;

    public TopicProvisioner(Admin admin, String bootstrapServers) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Connects to {@code kafka.bootstrap_servers}, ensures the pipeline's topic and its dead-letter topic
     * ({@code quarantine.topic}: ingest sends the payloads it cannot read there), disconnects.
     */
    public static Outcome ensure(PipelineConfig config) {
        Map<String, Object> props = new HashMap<>(KafkaClientProperties.of(config));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-ingest-admin-" + config.name());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(15).toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(props)) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.kafkaBootstrapServers());
            short replication = (short) config.kafkaReplicationFactor();
            provisioner.ensure(config.quarantineTopic(), config.kafkaPartitions(), replication);
            return provisioner.ensure(config.kafkaTopic(), config.kafkaPartitions(), replication);
        } catch (KafkaUnavailableException e) {
            // A refused password or certificate is the user's to fix in the pipeline file: say which key.
            ConnectionRefusedException refused = ConnectionFailures.kafka(e, config);
            throw refused != null ? refused : e;
        }
    }

    public Outcome ensure(String topic, int partitions, short replicationFactor) {
        TopicDescription existing = describe(topic);
        if (existing == null) {
            Throwable error = await(admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor))).all());
            if (!(error instanceof TopicExistsException)) {
                throwIfFailed(error, topic, "create");
                awaitLeaders(topic);
                LOG.info("Created Kafka topic {} with {} partitions, replication factor {}", topic, partitions, replicationFactor);
                return Outcome.CREATED;
            }
            existing = describe(topic); // someone else created it meanwhile
        }
        int actual = existing == null ? partitions : existing.partitions().size();
        if (actual != partitions) {
            LOG.warn("Kafka topic {} already exists with {} partitions, but `kafka.partitions` is {}; Sluice leaves it as "
                    + "it is. Keys spread over {} partitions; change the topic with kafka-topics.sh if that is not intended",
                    topic, actual, partitions, actual);
            return Outcome.EXISTS_WITH_OTHER_PARTITION_COUNT;
        }
        return Outcome.EXISTS;
    }

    /**
     * Waits until every partition of a topic just created has a leader. An idempotent producer that starts sending
     * while leadership is still settling can see its first batch refused and a later one accepted, which the broker
     * answers with a fatal {@code OutOfOrderSequenceException} (seen on a fresh broker in CI).
     */
    private void awaitLeaders(String topic) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            TopicDescription description = describe(topic);
            if (description != null && !description.partitions().isEmpty()
                    && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(topic, "wait for the partition leaders of", e);
            }
        }
        throw unavailable(topic, "wait for the partition leaders of", new TimeoutException("no leader within " + TIMEOUT));
    }

    /** The topic's description, or null if it does not exist. */
    private TopicDescription describe(String topic) {
        KafkaFuture<Map<String, TopicDescription>> future = admin.describeTopics(List.of(topic)).allTopicNames();
        Throwable error = await(future);
        if (error instanceof UnknownTopicOrPartitionException) {
            return null;
        }
        throwIfFailed(error, topic, "describe");
        try {
            return future.get().get(topic); // already complete
        } catch (ExecutionException | InterruptedException e) {
            throw unavailable(topic, "describe", e);
        }
    }

    /** Waits for an admin call; returns its error, or null on success. */
    private static Throwable await(KafkaFuture<?> future) {
        try {
            future.get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private void throwIfFailed(Throwable error, String topic, String action) {
        if (error != null) {
            throw unavailable(topic, action, error);
        }
    }

    private KafkaUnavailableException unavailable(String topic, String action, Throwable cause) {
        return new KafkaUnavailableException("could not " + action + " Kafka topic `" + topic + "` at " + bootstrapServers
                + " (`kafka.bootstrap_servers`): " + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                + ". Is Kafka running there? `./sluice up` starts a local one", cause);
    }
}
