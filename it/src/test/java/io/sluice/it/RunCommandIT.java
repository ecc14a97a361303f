package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.ExitCodes;
import io.sluice.cli.cassandra.CassandraClient;
import io.sluice.cli.kafka.TopicOffsets;
import io.sluice.demoapi.DemoApiServer;
import io.sluice.stack.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `sluice run` as a user runs it: the real CLI main in a child JVM (which starts the stream job's JVM), stopped by
 * SIGTERM and by Ctrl-C (SIGINT) while records flow, resumed, and drained with {@code --only stream --available-now}.
 * The table must then hold exactly the keys the topic holds: the orderly stop lost nothing and wrote nothing twice.
 */
class RunCommandIT {
    static final Path HOME = Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    static final Path DEMO_PIPELINE = HOME.resolve("pipelines/demo-users.yaml");
    static final Duration CLI_EXIT_TIMEOUT = Duration.ofMinutes(3);
    static final int MAX_OFFSETS = 500;
    /** Outputs and data dirs of the CLI runs, kept after the test for a look when it fails. */
    static final Path dir = Path.of("target", "run-command-it").toAbsolutePath();

    @TempDir
    static Path stackDir;
    static LocalStack stack;
    static DemoApiServer api;
    final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void startStack() throws IOException {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        stack = TestServers.startStack(stackDir);
        api = new DemoApiServer().withPort(0).withSeed(11).start();
    }

    @AfterAll
    static void stopStack() {
        TestServers.stop(api, stack);
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Test
    void sigtermStopsInOrderAndAStreamOnlyDrainAfterwardsWritesExactlyWhatKafkaHolds() throws Exception {
        // Written at most 200 records per 3 s while 100/s arrive: Kafka holds a backlog when the stop comes.
        Map<String, String> sets = pipeline("run_sigterm", Map.of("producer.records_per_second", "100",
                "stream.max_offsets_per_trigger", "200", "stream.trigger_interval", "3s"));
        Path dataDir = dir.resolve("sigterm");

        Process run = sluice(sets, dataDir, "sigterm-run", "run", "--progress-every", "1s");
        awaitRows(sets, run);
        List<ProcessHandle> children = run.descendants().toList();
        assertThat(children).as("sluice run has started the stream job as a child JVM").isNotEmpty();
        run.destroy(); // SIGTERM on Linux
        assertExit(run, "sigterm-run", ExitCodes.TERMINATED);
        assertThat(output("sigterm-run")).as("sluice run reports each step of the orderly stop, in order")
                .containsSubsequence("Sources stopped, producer flushed", "Stream job: finishing its current micro-batch",
                        "Stream job stopped (exit code 0)");
        assertThat(children).as("no child JVM of sluice run is left once it has exited").noneMatch(ProcessHandle::isAlive);
        long rowsAtStop = countRows(sets);

        Map<String, String> drainSets = new LinkedHashMap<>(sets);
        drainSets.put("stream.max_offsets_per_trigger", "1000"); // a cap may change between runs; fewer batches drain faster
        drainAndCheckExactlyOnce(drainSets, dataDir, "sigterm-drain", rowsAtStop);
    }

    @Test
    void ctrlCStopsAnIngestOnlyRunAndAStreamOnlyDrainWritesThePrefilledTopicExactly() throws Exception {
        Map<String, String> sets = pipeline("run_sigint", Map.of("stream.max_offsets_per_trigger", Integer.toString(MAX_OFFSETS)));
        Path dataDir = dir.resolve("sigint");

        Process ingest = sluice(sets, dataDir, "sigint-ingest", "run", "--only", "ingest", "--progress-every", "1s");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (inKafka(sets) < 3 * MAX_OFFSETS) {
            assertThat(ingest.isAlive()).as("sluice run --only ingest is still running").isTrue();
            assertThat(System.nanoTime()).as("the ingest-only run filled the topic within a minute").isLessThan(deadline);
            Thread.sleep(200);
        }
        interrupt(ingest);
        assertExit(ingest, "sigint-ingest", ExitCodes.INTERRUPTED);
        assertThat(output("sigint-ingest")).as("the ingest-only run stops its sources and flushes, and starts no stream job")
                .contains("Sources stopped, producer flushed").doesNotContain("Stream job");
        assertThat(countRows(sets)).as("rows before the stream job ever ran (-1: no table yet)").isEqualTo(-1);

        long records = inKafka(sets);
        int batches = drainAndCheckExactlyOnce(sets, dataDir, "sigint-drain", 0);
        assertThat(batches).as("available-now keeps the cap of %d records per micro-batch over %d records", MAX_OFFSETS, records)
                .isGreaterThanOrEqualTo((int) ((records + MAX_OFFSETS - 1) / MAX_OFFSETS));
    }

    /**
     * Runs `sluice run --only stream --available-now` on the same data dir, expects exit 0 and a table whose keys are
     * exactly those of the records in the topic; returns the micro-batches it reported.
     */
    private int drainAndCheckExactlyOnce(Map<String, String> sets, Path dataDir, String label, long rowsBefore)
            throws Exception {
        Process drain = sluice(sets, dataDir, label, "run", "--only", "stream", "--available-now", "--progress-every", "1s");
        assertExit(drain, label, ExitCodes.OK);
        String out = output(label);
        assertThat(out).as("progress lines while draining").contains("written to Cassandra");

        Set<String> expected = expectedRowKeys(sets);
        assertThat(expected.size()).as("distinct records in Kafka: more than the stopped run wrote, so the drain had work")
                .isGreaterThan((int) Math.max(0, rowsBefore));
        assertThat(rowKeys(sets)).as("the table's keys are exactly the keys of the records in Kafka").isEqualTo(expected);
        return batchesReported(out);
    }

    /** The demo pipeline on this stack, with its own topic, table and name so the tests share nothing but servers. */
    private static Map<String, String> pipeline(String name, Map<String, String> extra) {
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("pipeline.name", name);
        sets.put("source.url", api.baseUrl() + "/api/?results=50");
        sets.put("kafka.bootstrap_servers", stack.bootstrapServers());
        sets.put("kafka.topic", name);
        sets.put("cassandra.contact_points", "127.0.0.1:" + stack.contactPoint().getPort());
        sets.put("sink.keyspace", "it_run");
        sets.put("sink.table", name);
        sets.put("sink.max_rows_per_second", "5000");
        sets.put("stream.trigger_interval", "1s");
        sets.put("stream.master", "local[2]");
        sets.putAll(extra);
        return sets;
    }

    /**
     * Runs `sluice COMMAND DEMO_PIPELINE --data-dir DIR ARGS --set ...` as a user would: SluiceCli's main in its own JVM.
     * Through perl, which puts SIGINT back to its default: a JVM started with SIGINT ignored (as a shell's background
     * jobs are) never handles it, so Ctrl-C could not be tested from here.
     */
    private Process sluice(Map<String, String> sets, Path dataDir, String label, String command, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Dsluice.home=" + HOME, "-cp", System.getProperty("java.class.path"),
                "io.sluice.cli.SluiceCli", command, DEMO_PIPELINE.toString(), "--data-dir", dataDir.toString()));
        cmd.addAll(List.of(args));
        sets.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(label + ".out").toFile()).start();
        started.add(p);
        return p;
    }

    /** Ctrl-C: SIGINT to the CLI alone (a terminal sends it to the whole group; the stream job handles it too). */
    private static void interrupt(Process cli) throws Exception {
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).start().waitFor())
                .as("exit code of kill -INT").isZero();
    }

    private static void assertExit(Process cli, String label, int expected) throws Exception {
        boolean ended = cli.waitFor(CLI_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ended).as("sluice run (%s) ended within %s; its output:%n%s", label, CLI_EXIT_TIMEOUT, output(label)).isTrue();
        assertThat(cli.exitValue()).as("exit code of sluice run (%s); its output:%n%s", label, output(label)).isEqualTo(expected);
    }

    /** Waits until rows appear in the table, failing early if the CLI ended. */
    private static void awaitRows(Map<String, String> sets, Process cli) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (countRows(sets) <= 0) {
            assertThat(cli.isAlive()).as("sluice run is still running while rows are awaited").isTrue();
            assertThat(System.nanoTime()).as("rows appeared in Cassandra within 2 minutes").isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static long inKafka(Map<String, String> sets) {
        try (TopicOffsets offsets = new TopicOffsets(stack.bootstrapServers())) {
            return TopicOffsets.total(offsets.endOffsets(sets.get("kafka.topic")));
        }
    }

    private static long countRows(Map<String, String> sets) {
        try (CassandraClient cql = cassandra(sets)) {
            return cql.countRows(sets.get("sink.keyspace"), sets.get("sink.table"));
        }
    }

    private static Set<String> rowKeys(Map<String, String> sets) {
        Set<String> keys = new HashSet<>();
        try (CassandraClient cql = cassandra(sets)) {
            cql.execute("SELECT id FROM " + sets.get("sink.keyspace") + "." + sets.get("sink.table"))
                    .forEach(row -> keys.add(row.getUuid(0).toString()));
        }
        return keys;
    }

    /** The row key of every record in the topic: the pipeline keys a row by the name-based UUID of the Kafka key. */
    private static Set<String> expectedRowKeys(Map<String, String> sets) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = sets.get("kafka.topic");
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(UUID.nameUUIDFromBytes(record.key().getBytes(StandardCharsets.UTF_8)).toString());
                }
            }
            assertThat(partitions).as("the whole topic was read").allMatch(tp -> consumer.position(tp) >= end.get(tp));
        }
        return keys;
    }

    private static int batchesReported(String output) {
        var m = java.util.regex.Pattern.compile("in ([\\d,]+) micro-batches").matcher(output);
        assertThat(m.find()).as("the drain reports its micro-batches: %s", output).isTrue();
        return Integer.parseInt(m.group(1).replace(",", ""));
    }

    private static CassandraClient cassandra(Map<String, String> sets) {
        return new CassandraClient(sets.get("cassandra.contact_points"), "datacenter1");
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var paths = Files.walk(path)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String output(String label) throws IOException {
        return Files.readString(dir.resolve(label + ".out"), StandardCharsets.UTF_8);
    }
}
