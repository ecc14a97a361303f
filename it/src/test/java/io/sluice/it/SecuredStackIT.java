package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cli.cassandra.CassandraClient;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.demoapi.DemoApiServer;
import io.sluice.ingest.IngestPipeline;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.stack.LocalStack;
import io.sluice.stack.Ports;
import io.sluice.stack.StackSecurity;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured embedded stack end to end: Kafka with SASL_SSL/SCRAM and Cassandra with PasswordAuthenticator and TLS,
 * both started by {@link LocalStack#withSecurity}. N users through the producer give exactly N rows through Spark's
 * Kafka source and each writer; a wrong Kafka password, a wrong Cassandra password and an untrusted certificate each
 * end with their exit code and sentence; and no secret appears in any log, progress file or command line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class SecuredStackIT {
    static final int USERS = 600;
    static final Path DEMO_PIPELINE = Path.of(System.getProperty("sluice.home", "..")).resolve("pipelines/demo-users.yaml");
    /** The JDK's own CAs: a real truststore that does not hold the stack's CA. */
    static final Path JDK_CACERTS = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    static final String WRONG_PASSWORD = "wrong-Pa55word-for-the-leak-search";

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static DemoApiServer api;
    static Map<String, String> overrides;
    static PipelineConfig config;
    /** Every command line seen of a child JVM while the tests ran. */
    static final List<String> commandLines = new ArrayList<>();

    @BeforeAll
    static void startSecuredStack() {
        stack = new LocalStack().withDataDir(dataDir).withSecurity(true)
                .withKafkaPort(Ports.findFree()).withKafkaControllerPort(Ports.findFree())
                .withCassandraPort(Ports.findFree()).withCassandraStoragePort(Ports.findFree())
                .start();
        recordChildCommandLines();
        api = new DemoApiServer().withPort(0).withSeed(11).withTotal(USERS).start();
        overrides = new LinkedHashMap<>(stack.security().pipelineOverrides());
        overrides.put("pipeline.name", "secured_users");
        overrides.put("source.url", api.baseUrl() + "/api/?results=200");
        overrides.put("source.interval", "50ms");
        overrides.put("producer.records_per_second", "5000");
        overrides.put("kafka.bootstrap_servers", stack.bootstrapServers());
        overrides.put("kafka.topic", "secured_users");
        overrides.put("cassandra.contact_points", "127.0.0.1:" + stack.contactPoint().getPort());
        overrides.put("sink.keyspace", "secured");
        overrides.put("stream.trigger_interval", "1s");
        config = PipelineConfig.load(DEMO_PIPELINE, overrides);
    }

    @AfterAll
    static void stopStack() {
        if (api != null) {
            api.close();
        }
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    @Order(1)
    void everyUserBecomesExactlyOneRowThroughBothWriters() throws Exception {
        try (IngestPipeline ingest = IngestPipeline.create(config)) {
            ingest.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ingest.metrics().recordsSent() < USERS && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            ingest.stop();
            assertThat(ingest.metrics().recordsSent()).as("users acknowledged by the SASL_SSL Kafka").isEqualTo(USERS);
        }
        for (String writer : List.of("connector", "driver")) {
            String table = "users_" + writer;
            // Each writer reads the whole topic under its own checkpoint.
            List<StreamProgress> batches = drain(writer, Map.of("sink.writer", writer, "sink.table", table,
                    "stream.checkpoint_dir", dataDir.resolve("checkpoints/" + writer).toString()), 0);
            assertThat(batches.stream().mapToLong(StreamProgress::numInputRows).sum())
                    .as("records Spark's Kafka source read over SASL_SSL for the %s writer", writer).isEqualTo(USERS);
            assertThat(countRows(table)).as("rows the %s writer put into the authenticated, TLS-only Cassandra", writer)
                    .isEqualTo(USERS);
        }
    }

    @Test
    @Order(2)
    void aWrongKafkaPasswordIsOneSentenceAndExitCode4() throws Exception {
        Map<String, String> wrong = Map.of("kafka.sasl.password", WRONG_PASSWORD);
        PipelineConfig bad = PipelineConfig.load(DEMO_PIPELINE, merged(wrong));
        assertThatThrownBy(() -> TopicProvisioner.ensure(bad)).isInstanceOf(ConnectionRefusedException.class)
                .hasMessage("Kafka at " + stack.bootstrapServers() + " refused user 'sluice' (SCRAM-SHA-512): fix "
                        + "`kafka.sasl.password` (or `kafka.sasl.username`, `kafka.sasl.mechanism`).");
        String log = failedJobLog("wrong_kafka", wrong, 4);
        assertThat(log).as("the stream job's sentence").contains("sluice-stream: Kafka at " + stack.bootstrapServers()
                + " refused user 'sluice' (SCRAM-SHA-512): fix `kafka.sasl.password`");
    }

    @Test
    @Order(3)
    void aWrongCassandraPasswordIsOneSentenceAndExitCode4() throws Exception {
        Map<String, String> wrong = Map.of("cassandra.password", WRONG_PASSWORD);
        PipelineConfig bad = PipelineConfig.load(DEMO_PIPELINE, merged(wrong));
        assertThatThrownBy(() -> new CassandraClient(bad.cassandraConnection()).close())
                .isInstanceOf(ConnectionRefusedException.class)
                .hasMessage("Cassandra at 127.0.0.1:" + stack.contactPoint().getPort() + " refused user 'sluice': fix "
                        + "`cassandra.password` (or `cassandra.username`).");
        String log = failedJobLog("wrong_cassandra", wrong, 4);
        assertThat(log).as("the stream job's sentence").contains("sluice-stream: Cassandra at 127.0.0.1:"
                + stack.contactPoint().getPort() + " refused user 'sluice': fix `cassandra.password`");
    }

    @Test
    @Order(4)
    void anUntrustedCertificateIsOneSentenceAndExitCode5() throws Exception {
        Map<String, String> kafkaUntrusted = Map.of("kafka.ssl.truststore.location", JDK_CACERTS.toString(),
                "kafka.ssl.truststore.password", "changeit");
        ConnectionRefusedException kafka = refusal(() -> TopicProvisioner.ensure(PipelineConfig.load(DEMO_PIPELINE, merged(kafkaUntrusted))));
        assertThat(kafka.exitCode()).as("exit code of an untrusted Kafka certificate").isEqualTo(5);
        assertThat(kafka.getMessage()).startsWith("The TLS certificate of Kafka at " + stack.bootstrapServers()
                + " (user 'sluice') is not trusted: point `kafka.ssl.truststore.location`");

        Map<String, String> cassandraUntrusted = Map.of("cassandra.ssl.truststore.path", JDK_CACERTS.toString(),
                "cassandra.ssl.truststore.password", "changeit");
        String log = failedJobLog("untrusted_cassandra", cassandraUntrusted, 5);
        assertThat(log).as("the stream job's sentence").contains("sluice-stream: The TLS certificate of Cassandra at 127.0.0.1:"
                + stack.contactPoint().getPort() + " (user 'sluice') is not trusted: point `cassandra.ssl.truststore.path`");
    }

    @Test
    @Order(5)
    void noSecretAppearsInAnyLogProgressFileOrCommandLine() throws IOException {
        StackSecurity security = stack.security();
        List<String> secrets = List.of(security.credential("kafka.sasl.password"), security.credential("cassandra.password"),
                WRONG_PASSWORD);
        recordChildCommandLines();
        Set<String> hits = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    // The credentials file is where the secrets are meant to be; Kafka's and Cassandra's data are binary
                    // records (SCRAM and role entries are salted hashes).
                    .filter(f -> !f.startsWith(security.directory()))
                    .filter(f -> !f.startsWith(dataDir.resolve("kafka/data")) && !f.startsWith(dataDir.resolve("cassandra/data")))
                    .toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                secrets.stream().filter(text::contains).forEach(s -> hits.add(dataDir.relativize(file).toString()));
            }
        }
        for (String commandLine : commandLines) {
            secrets.stream().filter(commandLine::contains).forEach(s -> hits.add("command line: " + commandLine.substring(0, 80)));
        }
        assertThat(commandLines).as("child JVM command lines were captured for the search").isNotEmpty();
        assertThat(hits).as("files and command lines that hold a secret value").isEmpty();
    }

    private static Map<String, String> merged(Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(extra);
        return all;
    }

    private static ConnectionRefusedException refusal(Runnable action) {
        try {
            action.run();
        } catch (ConnectionRefusedException e) {
            return e;
        }
        throw new AssertionError("expected the connection to be refused, but it succeeded");
    }

    /** Runs the stream job, which must fail with {@code exitCode}; returns its log. */
    private static String failedJobLog(String name, Map<String, String> extra, int exitCode) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(extra);
        all.put("stream.checkpoint_dir", dataDir.resolve("checkpoints/" + name).toString());
        drain(name, all, exitCode);
        return Files.readString(dataDir.resolve("logs/stream-" + name + ".log"));
    }

    private static List<StreamProgress> drain(String name, Map<String, String> extra, int expectedExit) throws Exception {
        StreamJobProcess job = new StreamJobProcess(DEMO_PIPELINE).withDataDir(dataDir).withName(name)
                .withMaxHeap("768m").withAvailableNow(true);
        overrides.forEach(job::withOverride);
        extra.forEach(job::withOverride);
        job.start();
        Thread.sleep(2000);
        recordChildCommandLines(); // while the job runs, with its secret overrides
        OptionalInt exit = job.waitFor(Duration.ofMinutes(4));
        if (exit.isEmpty()) {
            job.stopGracefully(Duration.ofSeconds(10));
        }
        assertThat(exit).as("stream job exit code; log tail:%n%s", String.join("\n", job.logTail(30))).hasValue(expectedExit);
        return job.readProgress().stream().filter(StreamProgress::isBatch).toList();
    }

    private static void recordChildCommandLines() {
        ProcessHandle.current().descendants().forEach(p -> {
            try {
                byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                commandLines.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
            } catch (IOException e) {
                // ended meanwhile
            }
        });
        // Detached servers are not descendants; their pid files name them.
        for (String server : List.of("kafka/kafka.pid", "cassandra/cassandra.pid")) {
            try {
                String pid = Files.readString(dataDir.resolve(server)).strip().split("\\s+")[0];
                byte[] raw = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
                commandLines.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
            } catch (IOException | RuntimeException e) {
                // not running
            }
        }
    }

    private static long countRows(String table) {
        try (CassandraClient cql = new CassandraClient(config.cassandraConnection())) {
            return cql.countRows(config.sinkKeyspace(), table);
        }
    }
}
