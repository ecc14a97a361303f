package io.sluice.stream;

import io.sluice.config.KafkaClientProperties;
import io.sluice.config.PipelineConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@code quarantine.topic} before the stream starts, so the first bad record has somewhere to go, with the
 * pipeline's replication factor and {@code min.insync.replicas}. An existing one is left as it is (ingest's
 * TopicProvisioner reports settings that differ).
 */
final class DeadLetterTopic {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopic.class);
    /** Room for the largest record a default broker accepts plus Sluice's headers. */
    static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    private DeadLetterTopic() {
    }

    static void ensure(PipelineConfig config) throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.putAll(KafkaClientProperties.of(config));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (topics.contains(config.quarantineTopic())) {
                return;
            }
            NewTopic topic = new NewTopic(config.quarantineTopic(), config.kafkaPartitions(),
                    (short) config.kafkaReplicationFactor())
                    .configs(Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES),
                            "min.insync.replicas", Integer.toString(config.kafkaMinInsyncReplicas())));
            try {
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                LOG.info("created dead-letter topic {}", config.quarantineTopic());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // created meanwhile by another job: fine
                    throw e;
                }
            }
        }
    }
}
