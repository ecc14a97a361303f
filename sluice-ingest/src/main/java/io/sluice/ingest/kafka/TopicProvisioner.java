package io.sluice.ingest.kafka;

import io.sluice.config.ConnectionFailures;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.KafkaClientProperties;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.KafkaUnavailableException;
import io.sluice.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure {@code kafka.topic} exists before producing: creates it with {@code kafka.partitions},
 * {@code kafka.replication_factor} and {@code kafka.min_insync_replicas} when missing. An existing topic is never
 * altered; settings that differ from the pipeline's are reported (a WARN naming the topic, what it has and what the
 * pipeline asks), because they change how keys spread over partitions and how many broker losses a write survives.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public enum Outcome { CREATED, EXISTS, EXISTS_WITH_OTHER_SETTINGS }

    /** What a topic has, or what the pipeline asks it to have. */
    public record TopicSettings(int partitions, int replicationFactor, int minInsyncReplicas) {
        public static TopicSettings of(PipelineConfig config) {
            return new TopicSettings(config.kafkaPartitions(), config.kafkaReplicationFactor(), config.kafkaMinInsyncReplicas());
        }
    }

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
            TopicSettings wanted = TopicSettings.of(config);
            provisioner.ensure(config.quarantineTopic(), wanted);
            return provisioner.ensure(config.kafkaTopic(), wanted);
        } catch (KafkaUnavailableException e) {
            // A refused password or certificate is the user's to fix in the pipeline file: say which key.
            ConnectionRefusedException refused = ConnectionFailures.kafka(e, config);
            throw refused != null ? refused : e;
        }
    }

    public Outcome ensure(String topic, TopicSettings wanted) {
        TopicDescription existing = describe(topic);
        if (existing == null) {
            NewTopic newTopic = new NewTopic(topic, wanted.partitions(), (short) wanted.replicationFactor())
                    .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(wanted.minInsyncReplicas())));
            Throwable error = await(admin.createTopics(List.of(newTopic)).all());
            if (error instanceof InvalidReplicationFactorException) {
                throw new ConfigException("Kafka at " + bootstrapServers + " cannot create topic `" + topic + "` with "
                        + "replication factor " + wanted.replicationFactor() + " (`kafka.replication_factor`): "
                        + error.getMessage() + " Lower `kafka.replication_factor` to the number of brokers or fewer.");
            }
            if (!(error instanceof TopicExistsException)) {
                throwIfFailed(error, topic, "create");
                awaitLeaders(topic);
                LOG.info("Created Kafka topic {} with {} partitions, replication factor {}, min.insync.replicas {}", topic,
                        wanted.partitions(), wanted.replicationFactor(), wanted.minInsyncReplicas());
                return Outcome.CREATED;
            }
            existing = describe(topic); // someone else created it meanwhile
        }
        if (existing == null) {
            return Outcome.EXISTS;
        }
        TopicSettings actual = new TopicSettings(existing.partitions().size(),
                existing.partitions().get(0).replicas().size(), minInsyncReplicas(topic));
        List<String> differences = differences(actual, wanted);
        if (!differences.isEmpty()) {
            LOG.warn("Kafka topic {} already exists with {}; Sluice leaves it as it is. Change the topic with "
                    + "kafka-topics.sh / kafka-configs.sh (or kafka-reassign-partitions.sh for the replication factor) if "
                    + "the pipeline's settings are the ones you want", topic, String.join(", ", differences));
            return Outcome.EXISTS_WITH_OTHER_SETTINGS;
        }
        return Outcome.EXISTS;
    }

    /** Each setting the topic has that the pipeline does not ask for, as "what it has, but what the config asks". */
    static List<String> differences(TopicSettings actual, TopicSettings wanted) {
        List<String> out = new ArrayList<>();
        if (actual.partitions() != wanted.partitions()) {
            out.add(actual.partitions() + " partitions, but `kafka.partitions` is " + wanted.partitions()
                    + " (keys spread over " + actual.partitions() + ")");
        }
        if (actual.replicationFactor() != wanted.replicationFactor()) {
            out.add("replication factor " + actual.replicationFactor() + ", but `kafka.replication_factor` is "
                    + wanted.replicationFactor());
        }
        if (actual.minInsyncReplicas() != wanted.minInsyncReplicas()) {
            out.add("min.insync.replicas " + actual.minInsyncReplicas() + ", but `kafka.min_insync_replicas` is "
                    + wanted.minInsyncReplicas());
        }
        return out;
    }

    /** The topic's effective {@code min.insync.replicas} (its own setting, or the broker's default). */
    private int minInsyncReplicas(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        KafkaFuture<Map<ConfigResource, Config>> future = admin.describeConfigs(List.of(resource)).all();
        throwIfFailed(await(future), topic, "describe the settings of");
        try {
            ConfigEntry entry = future.get().get(resource).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            return entry == null || entry.value() == null ? 1 : Integer.parseInt(entry.value());
        } catch (ExecutionException | InterruptedException e) {
            throw unavailable(topic, "describe the settings of", e);
        }
    }

    /**
     * Waits until the leader of every partition of a topic just created serves it. A broker applies a new partition a
     * little after the controller names its leader; an idempotent producer that sends in that window can have its first
     * batch refused (NOT_LEADER_OR_FOLLOWER) and its second accepted, and then every retry of the first is answered
     * with an {@code OutOfOrderSequenceException} (KAFKA-15591, seen in CI). A ListOffsets goes to each partition's
     * leader; it is asked again until every leader answers for its partition, so the first produce request lands in
     * order.
     */
    private void awaitLeaders(String topic) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            TopicDescription description = describe(topic);
            if (description != null && !description.partitions().isEmpty()
                    && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                        OffsetSpec.latest()));
                last = await(admin.listOffsets(latest).all());
                if (last == null) {
                    return;
                }
                // A broker that has not yet applied the new topic answers "unknown topic" or "not leader": ask again.
                if (!(last instanceof RetriableException)) {
                    throw unavailable(topic, "wait for the partition leaders of", last);
                }
            }
            pause(topic);
        }
        throw unavailable(topic, "wait for the partition leaders of", last != null ? last
                : new TimeoutException("no leader within " + TIMEOUT));
    }

    private void pause(String topic) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(topic, "wait for the partition leaders of", e);
        }
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
