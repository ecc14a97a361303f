package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.sluice.stack.LocalStack;
import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream job against real Kafka and Cassandra (child JVMs from sluice-stack), launched the way the CLI launches
 * it: {@link StreamJobProcess}, its own JVM, classpath from target/classpath.txt.
 */
class StreamJobIT {
    private static final int PARTITIONS = 3;
    private static final long MAX_PER_BATCH = 400;

    @TempDir
    static Path dir;
    private static RealStack real;
    private static LocalStack stack;
    private static Admin admin;
    private static CqlSession cql;

    @BeforeAll
    static void startStack() {
        real = new RealStack(dir);
        stack = real.stack;
        admin = real.admin;
        cql = real.cql;
    }

    @AfterAll
    static void stopStack() {
        if (real != null) {
            real.close();
        }
    }

    @Test
    void drainsTheBacklogInCappedBatchesAndARerunWithANewCheckpointGivesTheSameRows() throws Exception {
        String topic = "users_backlog";
        String keyspace = "it_backlog";
        int users = 2_000;
        List<String> keys = createTopicWithUsers(topic, users);
        // Replays of 200 users (same natural key) and 5 records that are not usable.
        List<String> values = new ArrayList<>();
        keys.subList(0, 200).forEach(k -> values.add(DemoPipeline.user(k)));
        values.addAll(List.of("not json", "{\"truncated\": ", "[]", "{\"gender\":\"x\"}", "{\"login\":{\"uuid\":null}}"));
        produce(topic, values);
        long totalRecords = users + values.size();

        StreamJobProcess first = job("backlog_1", topic, keyspace, dir.resolve("checkpoints/backlog-1")).withAvailableNow(true);
        int firstExit = RealStack.runToEnd(first, Duration.ofMinutes(5));
        List<StreamProgress> firstRun = batches(first);
        report("first run", firstRun, keyspace);

        assertThat(firstExit).as("an available-now run exits 0 once the backlog is written; log tail:%n%s",
                String.join("\n", first.logTail(40))).isZero();
        assertThat(countRows(keyspace)).as("every distinct natural key is one row; replays overwrite their row")
                .isEqualTo(users);
        assertThat(firstRun).as("no micro-batch reads more than stream.max_offsets_per_trigger records")
                .allSatisfy(b -> assertThat(b.numInputRows()).isLessThanOrEqualTo(MAX_PER_BATCH));
        assertThat(firstRun.stream().mapToLong(StreamProgress::numInputRows).sum()).isEqualTo(totalRecords);
        assertThat(firstRun.stream().mapToLong(StreamProgress::rowsSkipped).sum())
                .as("the five unusable records are counted as skipped").isEqualTo(5);
        assertThat(ProgressFile.consumedOffsets(firstRun)).as("the job has read up to the topic's end offsets")
                .isEqualTo(Map.of(topic, endOffsets(topic)));
        Row row = cql.execute("SELECT first_name, last_name, gender, address, "
                + "post_code, email, username, dob FROM " + keyspace + ".created_users WHERE id = ?",
                UUID.nameUUIDFromBytes(keys.get(0).getBytes(StandardCharsets.UTF_8))).one();
        assertThat(row).as("the row of the first user, keyed by the UUID of its natural key").isNotNull();
        assertThat(List.of(row.getString("first_name"), row.getString("last_name"), row.getString("gender"),
                row.getString("address"), row.getString("post_code"), row.getString("email"), row.getString("username"),
                row.getString("dob")))
                .as("each column as pipelines/demo-users.yaml writes it (the address is its format_string)")
                .containsExactly("Somchai", "Jaidee", "female", "42 Sukhumvit Rd, Bangkok, Bangkok, Thailand", "10110",
                        "somchai@example.com", "bluecat42", "1990-05-01T00:00:00.000Z");

        StreamJobProcess second = job("backlog_2", topic, keyspace, dir.resolve("checkpoints/backlog-2")).withAvailableNow(true);
        int secondExit = RealStack.runToEnd(second, Duration.ofMinutes(5));
        List<StreamProgress> secondRun = batches(second);
        report("rerun, new checkpoint", secondRun, keyspace);

        assertThat(secondExit).isZero();
        assertThat(secondRun.stream().mapToLong(StreamProgress::numInputRows).sum())
                .as("a new checkpoint reads the whole topic again").isEqualTo(totalRecords);
        assertThat(countRows(keyspace)).as("re-reading everything upserts the same keys: still one row per user")
                .isEqualTo(users);
    }

    @Test
    void followsNewRecordsAndStopsGracefullyWhenItsStdinCloses() throws Exception {
        String topic = "users_live";
        String keyspace = "it_live";
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        StreamJobProcess job = job("live", topic, keyspace, dir.resolve("checkpoints/live"));
        job.start();
        try {
            RealStack.awaitTrue("the job to start", Duration.ofMinutes(3), job, job::hasStarted);
            List<String> keys = produceUsers(topic, 700);
            Map<Integer, Long> end = endOffsets(topic);
            RealStack.awaitTrue("the job to catch up with Kafka", Duration.ofMinutes(3), job,
                    () -> end.equals(ProgressFile.consumedOffsets(job.readProgress()).get(topic)));

            int exit = job.stopGracefully(Duration.ofSeconds(90));
            List<StreamProgress> progress = job.readProgress();
            report("live run", batches(job), keyspace);

            assertThat(exit).as("closing stdin stops the job cleanly; log tail:%n%s", String.join("\n", job.logTail(40)))
                    .isZero();
            assertThat(progress.get(progress.size() - 1).reason()).isEqualTo("parent closed stdin");
            assertThat(countRows(keyspace)).isEqualTo(keys.size());
        } finally {
            if (job.isAlive()) {
                job.stopGracefully(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void sigtermStopsTheQueryAndRecordsWhy() throws Exception {
        String topic = "users_sigterm";
        String keyspace = "it_sigterm";
        List<String> keys = createTopicWithUsers(topic, 300);
        Map<Integer, Long> end = endOffsets(topic);
        StreamJobProcess job = job("sigterm", topic, keyspace, dir.resolve("checkpoints/sigterm"));
        job.start();
        try {
            RealStack.awaitTrue("the job to catch up with Kafka", Duration.ofMinutes(3), job,
                    () -> end.equals(ProgressFile.consumedOffsets(job.readProgress()).get(topic)));

            ProcessHandle.of(job.pid()).orElseThrow().destroy(); // SIGTERM, as `kill` or a service manager sends
            OptionalInt exit = job.waitFor(Duration.ofSeconds(90));
            List<StreamProgress> progress = job.readProgress();

            assertThat(exit).as("the job exits after SIGTERM; log tail:%n%s", String.join("\n", job.logTail(40))).isPresent();
            assertThat(progress.get(progress.size() - 1).reason()).as("the shutdown hook stopped the query and said why")
                    .isEqualTo("JVM shutdown (SIGTERM)");
            assertThat(countRows(keyspace)).isEqualTo(keys.size());
        } finally {
            if (job.isAlive()) {
                job.stopGracefully(Duration.ofSeconds(30));
            }
        }
    }

    /**
     * The -spark.jar on nothing but a Spark distribution's classpath, with the master given as spark-submit gives it
     * (system property spark.master): proves the shaded jar carries the Kafka source, the connector and the config.
     */
    @Test
    void shadedJarRunsOnABareSparkClasspathAsUnderSparkSubmit() throws Exception {
        String topic = "users_submit";
        String keyspace = "it_submit";
        List<String> keys = createTopicWithUsers(topic, 500);
        assertThat(endOffsets(topic).values().stream().mapToLong(Long::longValue).sum())
                .as("records in Kafka before the job starts (a resent record may be there twice)")
                .isGreaterThanOrEqualTo(keys.size());
        Path progress = dir.resolve("submit/progress.jsonl");
        Path log = dir.resolve("submit/spark-submit.log");
        java.nio.file.Files.createDirectories(log.getParent());

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        cmd.addAll(StreamJobProcess.SPARK_JDK17_FLAGS);
        cmd.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-cp", sparkDistributionClasspath() + ":" + System.getProperty("sluice.test.shadedJar"),
                "io.sluice.stream.StreamJob", "--pipeline", DemoPipeline.file().toString(), "--available-now",
                "--progress-file", progress.toString()));
        overrides(topic, keyspace, dir.resolve("checkpoints/submit")).forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        try {
            boolean ended = process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
            String tail = tail(log, 40);
            assertThat(ended).as("the job finishes its backlog; log tail:%n%s", tail).isTrue();
            assertThat(process.exitValue()).as("exit code; log tail:%n%s", tail).isZero();
        } finally {
            process.destroyForcibly();
        }
        List<StreamProgress> batches = ProgressFile.read(progress).stream().filter(StreamProgress::isBatch).toList();
        report("shaded jar, spark-submit style", batches, keyspace);
        assertThat(countRows(keyspace)).isEqualTo(keys.size());
    }

    /**
     * The job's full classpath minus what a Spark 3.5 distribution does not ship (and the -spark.jar must bring):
     * a stand-in for $SPARK_HOME/jars on a machine without a Spark download.
     */
    private static String sparkDistributionClasspath() throws java.io.IOException {
        List<String> notInSpark = List.of("/kafka-clients-", "/spark-sql-kafka-", "/spark-token-provider-kafka-",
                "/spark-cassandra-connector", "/java-driver-", "/native-protocol-", "/HdrHistogram-", "/reactive-streams-",
                "/paranamer-", "/config-1.", "/commons-pool2-", "/sluice-config-", "/snakeyaml-", "/scala-collection-compat");
        String full = java.nio.file.Files.readString(Path.of(System.getProperty("sluice.home"),
                "sluice-stream/target/classpath.txt")).strip();
        return java.util.Arrays.stream(full.split(":"))
                .filter(entry -> notInSpark.stream().noneMatch(entry::contains))
                .collect(Collectors.joining(":"));
    }

    private static String tail(Path log, int lines) throws java.io.IOException {
        List<String> all = java.nio.file.Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private StreamJobProcess job(String name, String topic, String keyspace, Path checkpoint) {
        StreamJobProcess job = new StreamJobProcess(DemoPipeline.file()).withName(name).withDataDir(dir.resolve("data"));
        overrides(topic, keyspace, checkpoint).forEach(job::withOverride);
        return job;
    }

    private static Map<String, String> overrides(String topic, String keyspace, Path checkpoint) {
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        overrides.put("kafka.bootstrap_servers", stack.bootstrapServers());
        overrides.put("kafka.topic", topic);
        overrides.put("cassandra.contact_points", "127.0.0.1:" + stack.contactPoint().getPort());
        overrides.put("sink.keyspace", keyspace);
        overrides.put("sink.consistency", "ONE");
        overrides.put("sink.max_rows_per_second", "1000000"); // the demo's 200 rows/s pace is not under test here
        overrides.put("stream.max_offsets_per_trigger", Long.toString(MAX_PER_BATCH));
        overrides.put("stream.trigger_interval", "1s");
        overrides.put("stream.checkpoint_dir", checkpoint.toString());
        return overrides;
    }


    private static List<StreamProgress> batches(StreamJobProcess job) {
        return job.readProgress().stream().filter(StreamProgress::isBatch).toList();
    }

    private static List<String> createTopicWithUsers(String topic, int users) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        return produceUsers(topic, users);
    }

    private static List<String> produceUsers(String topic, int users) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            keys.add(UUID.randomUUID().toString());
        }
        produce(topic, keys.stream().map(DemoPipeline::user).toList());
        return keys;
    }

    /** Each value to partition {@code index % PARTITIONS}, every one acknowledged ({@link RealStack#produce}). */
    private static void produce(String topic, List<String> values) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(new ProducerRecord<>(topic, i % PARTITIONS, null,
                    values.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        try {
            real.produce(topic, records);
        } catch (Exception e) {
            throw new IllegalStateException("producing the test records to " + topic + " failed: " + e, e);
        }
    }

    private static Map<Integer, Long> endOffsets(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
    }

    private static long countRows(String keyspace) {
        return cql.execute("SELECT count(*) FROM " + keyspace + ".created_users").one().getLong(0);
    }


    /** The figures a reader of the test report wants to see. */
    private static void report(String label, List<StreamProgress> batches, String keyspace) {
        System.out.printf("[StreamJobIT] %s: %d batches, numInputRows per batch %s, rows written %d, skipped %d, "
                        + "rows in %s.created_users %d%n", label, batches.size(),
                batches.stream().map(b -> Long.toString(b.numInputRows())).collect(Collectors.joining(",")),
                ProgressFile.rowsWritten(batches), batches.stream().mapToLong(StreamProgress::rowsSkipped).sum(),
                keyspace, countRows(keyspace));
        batches.forEach(b -> System.out.println("[StreamJobIT]   " + b.toJson()));
    }
}
