package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real Kafka and Cassandra on free ports under a temp data dir. */
class LocalStackIT {

    private static final String TOPIC = "sluice-it";

    @TempDir
    Path dataDir;

    private LocalStack stack;

    @AfterEach
    void stopEverything() {
        if (stack != null) {
            stack.stop();
        }
    }

    private LocalStack newStack(Path dir) {
        return new LocalStack().withDataDir(dir)
                .withKafkaPort(Ports.findFree()).withKafkaControllerPort(Ports.findFree())
                .withCassandraPort(Ports.findFree()).withCassandraStoragePort(Ports.findFree());
    }

    @Test
    void serversAnswerRealQueriesAndKeepTheirDataAcrossARestart() {
        stack = newStack(dataDir).start();

        assertThat(stack.status()).as("both servers report running and ready")
                .allSatisfy(status -> assertThat(status.running() && status.ready()).as(status.toString()).isTrue());
        assertThat(Files.exists(stack.kafka().pidFile())).as("Kafka's pid file is written").isTrue();
        assertThat(Files.exists(stack.cassandra().pidFile())).as("Cassandra's pid file is written").isTrue();

        createTopicAndProduce("first record");
        assertThat(consumeAll()).as("the record just produced can be consumed").containsExactly("first record");
        try (CqlSession session = cql()) {
            session.execute("CREATE KEYSPACE sluice_it WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE sluice_it.users (id text PRIMARY KEY, name text)");
            session.execute("INSERT INTO sluice_it.users (id, name) VALUES ('u1', 'Ada')");
            Row row = session.execute("SELECT name FROM sluice_it.users WHERE id = 'u1'").one();
            assertThat(row).as("the inserted row can be read back").isNotNull();
            assertThat(row.getString("name")).isEqualTo("Ada");
        }

        assertThat(stack.stop()).as("both servers were running and stopped")
                .allSatisfy(outcome -> assertThat(outcome.wasRunning()).as(outcome.toString()).isTrue());
        assertThat(stack.status()).as("after stop both servers report stopped")
                .allSatisfy(status -> assertThat(status.running()).as(status.toString()).isFalse());
        assertThat(Files.exists(stack.kafka().pidFile())).as("Kafka's pid file is removed on stop").isFalse();

        stack.start();

        assertThat(consumeAll()).as("the Kafka record survived the restart").containsExactly("first record");
        try (CqlSession session = cql()) {
            Row row = session.execute("SELECT name FROM sluice_it.users WHERE id = 'u1'").one();
            assertThat(row).as("the Cassandra row survived the restart").isNotNull();
            assertThat(row.getString("name")).isEqualTo("Ada");
        }
    }

    @Test
    void refusesATakenPortAndASecondStackOnTheSameDataDir(@TempDir Path otherDir) {
        stack = newStack(dataDir);
        stack.kafka().withStartupTimeout(Duration.ofSeconds(90));
        stack.kafka().start();

        LocalStack portClash = newStack(otherDir).withKafkaPort(stack.kafka().port());
        assertThatThrownBy(portClash::start)
                .as("a port held by another program is reported before anything is launched")
                .isInstanceOf(PortInUseException.class)
                .hasMessageContaining("Port " + stack.kafka().port())
                .hasMessageContaining("Kafka needs it for its broker listener");
        assertThat(portClash.status()).as("nothing was launched for the clashing stack")
                .allSatisfy(status -> assertThat(status.running()).isFalse());

        LocalStack sameDir = newStack(dataDir);
        assertThatThrownBy(sameDir::start)
                .as("a server from an earlier run on the same data dir is reported")
                .isInstanceOf(AlreadyRunningException.class)
                .hasMessageContaining("Kafka is already running")
                .hasMessageContaining("sluice down");
    }

    @Test
    void aDetachedServerIsFoundAndStoppedFromItsPidFileAlone() {
        KafkaServer launcher = new KafkaServer().withDataDir(dataDir)
                .withPort(Ports.findFree()).withControllerPort(Ports.findFree())
                .withMode(LaunchMode.DETACHED)
                .start();
        long pid = launcher.pid().orElseThrow();
        launcher.close(); // a detached server outlives close()

        KafkaServer fresh = new KafkaServer().withDataDir(dataDir); // as `sluice down` in a new JVM sees it
        try {
            assertThat(fresh.isRunning()).as("a new launcher finds the detached server from its pid file").isTrue();
            assertThat(fresh.pid()).as("the pid file names the server JVM itself").hasValue(pid);
            assertThat(ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse(""))
                    .as("the recorded pid is the java process, not a wrapper").endsWith("java");

            StopOutcome outcome = fresh.stop();
            assertThat(outcome.wasRunning()).as("down stopped the detached server").isTrue();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the server process is gone").isFalse();
        } finally {
            fresh.stop();
        }
    }

    @Test
    void aServerThatCannotStartIsReportedWithItsLogTail() {
        CassandraServer broken = new CassandraServer().withDataDir(dataDir)
                .withPort(Ports.findFree()).withStoragePort(Ports.findFree())
                .withSetting("num_tokens", "not-a-number");
        try {
            assertThatThrownBy(broken::start)
                    .as("a config Cassandra rejects is reported with the end of its log")
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("Cassandra failed to start")
                    .hasMessageContaining("lines of " + broken.logFile())
                    .hasMessageContaining("num_tokens");
            assertThat(broken.isRunning()).as("nothing is left running after a failed start").isFalse();
        } finally {
            broken.stop();
        }
    }

    private void createTopicAndProduce(String value) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        } catch (Exception e) {
            throw new AssertionError("could not create topic " + TOPIC, e);
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", value)).get();
        } catch (Exception e) {
            throw new AssertionError("could not produce to " + TOPIC, e);
        }
    }

    private List<String> consumeAll() {
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.bootstrapServers());
        props.put("group.id", "sluice-it-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    List<String> values = new java.util.ArrayList<>();
                    for (ConsumerRecord<String, String> record : records) {
                        values.add(record.value());
                    }
                    return values;
                }
            }
            return List.of();
        }
    }

    private CqlSession cql() {
        return CqlSession.builder()
                .addContactPoint(stack.contactPoint())
                .withLocalDatacenter(stack.localDatacenter())
                .build();
    }
}
