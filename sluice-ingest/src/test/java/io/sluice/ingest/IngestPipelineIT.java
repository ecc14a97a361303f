package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.stack.KafkaServer;
import io.sluice.stack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REST API → RestPollSource → queue → throttle → idempotent producer → a real Kafka broker (sluice-stack). */
class IngestPipelineIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PAGES = 20;
    private static final int PER_PAGE = 25;
    private static final int N = PAGES * PER_PAGE;

    private static Path dataDir;
    private static KafkaServer kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        dataDir = Files.createTempDirectory("sluice-ingest-it");
        kafka = new KafkaServer().withDataDir(dataDir).withPort(Ports.findFree()).withControllerPort(Ports.findFree())
                .withAutoCreateTopics(false).start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static PipelineConfig config(String topic, String url) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("pipeline.name", "ingest_it");
        overrides.put("source.url", url);
        overrides.put("source.interval", "20ms");
        overrides.put("source.timeout", "5s");
        overrides.put("producer.records_per_second", "2000");
        overrides.put("producer.linger", "10ms");
        overrides.put("kafka.bootstrap_servers", kafka.bootstrapServers());
        overrides.put("kafka.topic", topic);
        overrides.put("kafka.partitions", "3");
        return TestConfigs.config(overrides);
    }

    @Test
    void everyPolledRecordLandsInTheTopicExactlyOnceKeyedByItsNaturalKey() throws Exception {
        String topic = "it_users_created";
        IngestMetrics.Snapshot m;
        try (FakeUsersApi api = new FakeUsersApi(PAGES, PER_PAGE);
             IngestPipeline pipeline = IngestPipeline.create(config(topic, api.url()))) {
            pipeline.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (pipeline.metrics().recordsSent() < N && pipeline.failure().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            pipeline.stop();
            assertThat(pipeline.failure()).as("the pipeline ran without failing").isEmpty();
            m = pipeline.metrics();

            assertThat(m.recordsPolled()).as("every well-formed user served was polled").isEqualTo(N);
            assertThat(m.recordsSent()).as("every polled record was acknowledged by Kafka").isEqualTo(N);
            assertThat(m.distinctKeysAcked()).as("distinct natural keys acknowledged").isEqualTo(N);
            assertThat(m.malformed()).as("the user without uuid and the bare number were counted").isEqualTo(2);
            assertThat(m.deadLettered().values().stream().mapToLong(Long::longValue).sum())
                    .as("both unreadable elements reached the dead-letter topic").isEqualTo(2);
            assertThat(m.pollErrors()).as("the 503 answer was counted and retried").isGreaterThanOrEqualTo(1);
            assertThat(m.sendErrors()).isZero();
            assertThat(m.droppedTotal()).isZero();
            assertThat(m.lastCommittedPosition()).as("positions were committed after acknowledgement").isNotNull();

            List<ConsumerRecord<String, byte[]>> records = readAll(topic, N);
            assertThat(records).as("exactly N records in the topic: none lost, none duplicated by retries").hasSize(N);
            Set<String> keys = records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
            assertThat(keys).as("keys are the served login.uuid values, each once").hasSize(N).isEqualTo(api.servedUuids());
            for (ConsumerRecord<String, byte[]> r : records) {
                assertThat(MAPPER.readTree(r.value()).path("login").path("uuid").asText())
                        .as("each value is the user's JSON, keyed by its own uuid").isEqualTo(r.key());
            }
        }
        try (Admin admin = admin()) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                    .as("the topic was created with kafka.partitions").hasSize(3);
        }
    }

    @Test
    void anExistingTopicWithAnotherPartitionCountIsLeftAloneAndReported() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("it_two_partitions", 2, (short) 1))).all().get();
            TopicProvisioner provisioner = new TopicProvisioner(admin, kafka.bootstrapServers());

            assertThat(provisioner.ensure("it_two_partitions", new TopicProvisioner.TopicSettings(3, 1, 1)))
                    .isEqualTo(TopicProvisioner.Outcome.EXISTS_WITH_OTHER_SETTINGS);
            assertThat(provisioner.ensure("it_two_partitions", new TopicProvisioner.TopicSettings(2, 1, 1))).isEqualTo(TopicProvisioner.Outcome.EXISTS);
            assertThat(provisioner.ensure("it_fresh", new TopicProvisioner.TopicSettings(4, 1, 1))).isEqualTo(TopicProvisioner.Outcome.CREATED);
            assertThat(admin.describeTopics(List.of("it_two_partitions")).allTopicNames().get()
                    .get("it_two_partitions").partitions()).as("Sluice never alters an existing topic").hasSize(2);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> all = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(all::add);
            }
            assertThat(end.values().stream().mapToLong(Long::longValue).sum())
                    .as("the topic's end offsets add up to %d records", expected).isEqualTo(expected);
            return all;
        }
    }
}
