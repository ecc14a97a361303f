package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.sluice.config.ConfigException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.stack.ClusterNode;
import io.sluice.stack.ClusterStack;
import io.sluice.stack.Ports;
import io.sluice.stream.KeyspaceProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three-broker, three-node stack on loopback addresses, shared by the class: every node is a real server that
 * answers; the keyspace and topics get the replication the pipeline configures, and existing ones with other settings
 * are reported and left alone; one broker and one Cassandra node SIGKILLed at once leave acks=all produce and LOCAL_QUORUM writes working,
 * and each comes back on its own data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterStackIT {
    static final Path CLUSTER_PIPELINE = Path.of(System.getProperty("sluice.home", "..")).resolve("pipelines/cluster-users.yaml");

    @TempDir
    static Path dataDir;
    static ClusterStack stack;

    @BeforeAll
    static void startCluster() {
        int cql = Ports.findFree();
        stack = new ClusterStack().withDataDir(dataDir)
                .withKafkaPorts(new int[] {Ports.findFree(), Ports.findFree(), Ports.findFree()},
                        new int[] {Ports.findFree(), Ports.findFree(), Ports.findFree()})
                .withCassandraPorts(cql, Ports.findFree())
                .withJmxPorts(Ports.findFree());
        long started = System.nanoTime();
        stack.start();
        System.out.printf("ClusterStackIT: 3 brokers + 3 Cassandra nodes ready in %.1f s; RSS %s%n",
                (System.nanoTime() - started) / 1e9, rss());
    }

    @AfterAll
    static void stopCluster() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    @Order(1)
    void everyNodeIsItsOwnLiveProcessAtItsOwnAddress() {
        List<ClusterNode> nodes = stack.nodes();

        assertThat(nodes).extracting(ClusterNode::name).as("three brokers and three Cassandra nodes")
                .containsExactly("kafka-1", "kafka-2", "kafka-3", "cassandra-1", "cassandra-2", "cassandra-3");
        assertThat(nodes).as("every node is alive").allSatisfy(n -> assertThat(n.alive()).as(n.toString()).isTrue());
        assertThat(nodes.stream().map(n -> n.pid().getAsLong()).distinct().count()).as("each node is its own JVM").isEqualTo(6);
        assertThat(nodes.stream().filter(n -> n.name().startsWith("cassandra")).map(ClusterNode::address))
                .as("the Cassandra nodes listen on 127.0.0.1, .2 and .3")
                .containsExactly("127.0.0.1:" + port(0), "127.0.0.2:" + port(0), "127.0.0.3:" + port(0));
        assertThat(stack.status()).as("every node answers a real query")
                .allSatisfy(s -> assertThat(s.ready()).as(s.toString()).isTrue());
        try (Admin admin = admin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).as("one Kafka cluster of three brokers").hasSize(3);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try (CqlSession session = cql()) {
            assertThat(session.execute("SELECT peer FROM system.peers").all()).as("the node sees two peers in its ring").hasSize(2);
        }
    }

    @Test
    @Order(2)
    void replicationIsCreatedAsConfiguredAndExistingSettingsAreReportedNotChanged() throws Exception {
        PipelineConfig config = PipelineConfig.load(CLUSTER_PIPELINE, Map.of(
                "kafka.bootstrap_servers", stack.kafkaBootstrap(), "kafka.topic", "replicated_users",
                "cassandra.contact_points", stack.cassandraContactPoints(), "sink.keyspace", "replicated"));

        assertThat(TopicProvisioner.ensure(config)).as("the topic is new").isEqualTo(TopicProvisioner.Outcome.CREATED);
        try (Admin admin = admin(); CqlSession session = cql()) {
            assertThat(replicasPerPartition(admin, "replicated_users")).as("replication factor 3 on every partition")
                    .containsOnly(3);
            assertThat(minInsyncReplicas(admin, "replicated_users")).isEqualTo("2");
            assertThat(replicasPerPartition(admin, "replicated_users.dlq")).as("the dead-letter topic too").containsOnly(3);
            assertThat(minInsyncReplicas(admin, "replicated_users.dlq")).isEqualTo("2");

            assertThat(KeyspaceProvisioner.ensure(session, "replicated", config.sinkReplication()))
                    .isEqualTo(KeyspaceProvisioner.Outcome.CREATED);
            assertThat(KeyspaceProvisioner.replicationOf(session, "replicated")).as("system_schema holds what the pipeline asked")
                    .containsEntry("class", "org.apache.cassandra.locator.SimpleStrategy")
                    .containsEntry("replication_factor", "3");
            assertThat(KeyspaceProvisioner.ensure(session, "replicated", config.sinkReplication()))
                    .as("a second start finds it as configured").isEqualTo(KeyspaceProvisioner.Outcome.EXISTS);

            admin.createTopics(List.of(new NewTopic("legacy_topic", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            session.execute("CREATE KEYSPACE legacy WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            TopicProvisioner provisioner = new TopicProvisioner(admin, stack.kafkaBootstrap());
            assertThat(provisioner.ensure("legacy_topic", TopicProvisioner.TopicSettings.of(config)))
                    .as("a topic with replication factor 1 is reported").isEqualTo(TopicProvisioner.Outcome.EXISTS_WITH_OTHER_SETTINGS);
            assertThat(replicasPerPartition(admin, "legacy_topic")).as("and left as it was").containsOnly(1);
            assertThat(KeyspaceProvisioner.ensure(session, "legacy", config.sinkReplication()))
                    .as("a keyspace with replication factor 1 is reported").isEqualTo(KeyspaceProvisioner.Outcome.EXISTS_WITH_OTHER_REPLICATION);
            assertThat(KeyspaceProvisioner.replicationOf(session, "legacy")).as("and left as it was")
                    .containsEntry("replication_factor", "1");
        }
        PipelineConfig tooMany = PipelineConfig.load(CLUSTER_PIPELINE, Map.of("kafka.bootstrap_servers", stack.kafkaBootstrap(),
                "kafka.topic", "four_replicas", "kafka.replication_factor", "4"));
        assertThatThrownBy(() -> TopicProvisioner.ensure(tooMany)).as("more replicas than brokers is the config's fault")
                .isInstanceOf(ConfigException.class).hasMessageContaining("`kafka.replication_factor`");
    }

    @Test
    @Order(3)
    void aKilledBrokerAndAKilledCassandraNodeCostNoWriteAndComeBack() throws Exception {
        String topic = "cluster_kill";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (CqlSession session = cql()) {
            session.execute("CREATE KEYSPACE kills WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
            session.execute("CREATE TABLE kills.rows (id int PRIMARY KEY, v text)");
        }
        long brokerPid = stack.nodes().get(1).pid().getAsLong();

        assertThat(stack.kill("kafka-2").forced()).as("kafka-2 was SIGKILLed").isTrue();
        assertThat(stack.kill("cassandra-3").forced()).as("cassandra-3 was SIGKILLed").isTrue();
        assertThat(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false)).as("kafka-2's JVM is gone").isFalse();
        assertThat(stack.nodes()).filteredOn(n -> !n.alive()).extracting(ClusterNode::name)
                .as("the node list shows exactly the killed nodes as stopped").containsExactlyInAnyOrder("kafka-2", "cassandra-3");

        int records = 200;
        produce(topic, 0, records);
        writeRows(0, records);

        stack.restart("kafka-2");
        stack.restart("cassandra-3");
        assertThat(stack.nodes()).as("both killed nodes run again").allSatisfy(n -> assertThat(n.alive()).as(n.toString()).isTrue());
        produce(topic, records, records);
        writeRows(records, records);

        assertThat(consumeValues(topic, 2 * records)).as("every record produced with acks=all, before and after the restart, is in Kafka once")
                .hasSize(2 * records).doesNotHaveDuplicates();
        try (CqlSession session = cql()) {
            long rows = session.execute(SimpleStatement.newInstance("SELECT count(*) FROM kills.rows")
                    .setConsistencyLevel(DefaultConsistencyLevel.ALL)).one().getLong(0);
            assertThat(rows).as("every LOCAL_QUORUM row reads back at ALL once all three nodes are up (hints replayed or repaired on read)")
                    .isEqualTo(2 * records);
        }
    }

    private static void produce(String topic, int from, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            for (var send : sends) {
                send.get(2, TimeUnit.MINUTES);
            }
        }
    }

    /** Reads the topic from the start until {@code expected} distinct values arrived (or 90 s passed). */
    private static List<String> consumeValues(String topic, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.kafkaBootstrap());
        props.put("group.id", "cluster-it-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            Set<String> seen = new HashSet<>();
            while (System.nanoTime() < deadline && seen.size() < expected) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                    seen.add(record.value());
                }
            }
        }
        return values;
    }

    private static void writeRows(int from, int count) {
        try (CqlSession session = cql()) {
            var insert = session.prepare("INSERT INTO kills.rows (id, v) VALUES (?, ?)");
            for (int i = from; i < from + count; i++) {
                session.execute(insert.bind(i, "v" + i).setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM));
            }
        }
    }

    private static List<Integer> replicasPerPartition(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                .map(p -> p.replicas().size()).toList();
    }

    private static String minInsyncReplicas(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get("min.insync.replicas").value();
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrap()));
    }

    /** Schema changes wait for three nodes to agree: more than the driver's 2 s on a busy two-core machine. */
    private static CqlSession cql() {
        return CqlSession.builder().addContactPoints(stack.cassandraContactPointList())
                .withLocalDatacenter(stack.localDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    private static int port(int node) {
        return stack.cassandraNodes().get(node).port();
    }

    /** Resident memory of every node, from ps: the figure the docs quote. */
    static String rss() {
        long total = 0;
        StringBuilder each = new StringBuilder();
        for (ClusterNode node : stack.nodes()) {
            long kb = rssKb(node.pid().orElse(-1));
            total += kb;
            each.append(' ').append(node.name()).append('=').append(kb / 1024).append("MB");
        }
        return (total / 1024) + " MB in all:" + each;
    }

    private static long rssKb(long pid) {
        try {
            Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid)).start();
            String out = new String(ps.getInputStream().readAllBytes()).strip();
            ps.waitFor();
            return out.isEmpty() ? 0 : Long.parseLong(out);
        } catch (Exception e) {
            return 0;
        }
    }
}
