package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.PipelineConfig;
import io.sluice.stack.SluiceHome;
import io.sluice.stack.spark.SparkStandalone;
import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream job on a real Spark standalone cluster (a master and two workers started from the Maven-resolved Spark
 * jars) against the single-node Kafka and Cassandra: the shaded jar under {@code spark-submit}, and the cluster-wide
 * write cap with the job started the way {@code sluice run} starts it.
 */
class SparkClusterIT {
    private static final int PARTITIONS = 2;

    @TempDir
    static Path dir;
    private static Path home;
    private static Path pipelineFile;
    private static BenchStack stack;
    private static SparkStandalone spark;
    private static DemoRecords records;

    @BeforeAll
    static void startServers() {
        home = SluiceHome.detect().root();
        pipelineFile = home.resolve("pipelines/demo-users.yaml");
        records = new DemoRecords(2_000);
        stack = BenchStack.start(home, dir.resolve("data"));
        spark = new SparkStandalone().withDataDir(dir.resolve("data")).withWorkers(2).withFreePorts().start();
    }

    @AfterAll
    static void stopServers() {
        if (spark != null) {
            spark.stop();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** bin/spark-submit --master spark://... with the -spark.jar: the executors get the Kafka source and connector from it. */
    @Test
    void sparkSubmitRunsTheShadedJarOnTheStandaloneCluster() throws Exception {
        String topic = "cluster_submit";
        String table = "cluster_submit";
        long produced = produce(topic, 3_000, 3_000);
        Path progress = dir.resolve("submit/progress.jsonl");
        Path log = dir.resolve("submit/spark-submit.log");
        Files.createDirectories(log.getParent());

        List<String> cmd = new ArrayList<>(List.of(spark.sparkHome().sparkSubmit().toString(),
                "--master", spark.masterUrl(), "--deploy-mode", "client",
                "--class", "io.sluice.stream.StreamJob",
                "--driver-memory", "512m", "--executor-memory", "512m", "--executor-cores", "1",
                "--total-executor-cores", "2",
                "--conf", "spark.driver.host=127.0.0.1",
                shadedJar().toString(),
                "--pipeline", pipelineFile.toString(), "--available-now", "--progress-file", progress.toString()));
        overrides(topic, table).forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        Process submit = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean ended = submit.waitFor(4, TimeUnit.MINUTES);
            assertThat(ended).as("spark-submit drains the topic; log tail:%n%s", tail(log)).isTrue();
            assertThat(submit.exitValue()).as("spark-submit's exit code; log tail:%n%s", tail(log)).isZero();
        } finally {
            submit.destroyForcibly();
        }
        List<StreamProgress> batches = ProgressFile.read(progress).stream().filter(StreamProgress::isBatch).toList();
        long rows = Tables.count(stack.session(), table);
        System.out.printf("spark-submit on %s: %d records produced, %d batches, %d rows in %s.%s%n", spark.masterUrl(),
                produced, batches.size(), rows, BenchStack.KEYSPACE, table);
        assertThat(String.join("\n", Files.readAllLines(log)))
                .as("executors ran on the standalone workers").contains("Granted executor ID");
        assertThat(rows).as("every record is one row").isEqualTo(produced);
    }

    /**
     * sink.max_rows_per_second: 500 with two executors on two workers. Cassandra's own write count, sampled once a
     * second, never exceeds the cap by more than 10 %. The first and last sample are partial seconds of writing and
     * are left out.
     */
    @Test
    void theWriteCapHoldsForTheWholeCluster() throws Exception {
        String topic = "cluster_cap";
        String table = "cluster_cap";
        double cap = 500;
        long produced = produce(topic, 6_000, 6_000);
        stack.createTable(table, DemoRecords.COLUMNS);
        WriteCounter writes = new WriteCounter(stack.session(), table);
        long before = writes.count().orElseThrow(() -> new AssertionError("Cassandra has no system_views.local_write_latency"));

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("stream.master", spark.masterUrl());
        settings.put("sink.writer", "driver");
        settings.put("sink.max_rows_per_second", Double.toString(cap));
        settings.put("stream.max_offsets_per_trigger", "2000");
        settings.put("stream.trigger_interval", "1s");
        settings.put("stream.partitions", Integer.toString(PARTITIONS));
        SluiceJobFactory jobs = new SluiceJobFactory(stack, home, pipelineFile, dir.resolve("jobs"), Map.of());
        List<double[]> samples = new ArrayList<>(); // {seconds since start, writes per second}
        try (SparkJob job = jobs.start("cluster_cap", topic, table, settings)) {
            job.awaitStarted(Duration.ofMinutes(2));
            long last = before;
            long lastNanos = System.nanoTime();
            long start = lastNanos;
            long deadline = start + TimeUnit.MINUTES.toNanos(2);
            while (last - before < produced && System.nanoTime() < deadline) {
                Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - lastNanos) / 1_000_000));
                long now = System.nanoTime();
                OptionalLong count = writes.count();
                if (count.isEmpty()) {
                    continue;
                }
                samples.add(new double[] {(now - start) / 1e9, (count.getAsLong() - last) / ((now - lastNanos) / 1e9)});
                last = count.getAsLong();
                lastNanos = now;
            }
            job.awaitConsumed(topic, produced, Duration.ofMinutes(1));
        }
        List<double[]> writing = samples.stream().filter(s -> s[1] > 0).toList();
        System.out.printf("write cap %.0f rows/s on %s, 2 workers: %d one-second samples of Cassandra's write count:%n  %s%n",
                cap, spark.masterUrl(), writing.size(), String.join(" ",
                        writing.stream().map(s -> String.format("%.0f", s[1])).toList()));
        assertThat(writing.size()).as("seconds with writes: 6,000 rows at 500 rows/s or less").isGreaterThanOrEqualTo(10);
        List<double[]> full = writing.subList(1, writing.size() - 1);
        double peak = full.stream().mapToDouble(s -> s[1]).max().orElse(0);
        double mean = full.stream().mapToDouble(s -> s[1]).average().orElse(0);
        System.out.printf("  full seconds: peak %.0f, mean %.0f rows/s%n", peak, mean);
        assertThat(peak).as("no one-second sample (first and last partial seconds left out) exceeds the cap by more than 10 %%")
                .isLessThanOrEqualTo(cap * 1.10);
        assertThat(Tables.count(stack.session(), table)).as("every record is one row").isEqualTo(produced);
    }

    /** {@code count} records at {@code perSecond} into a new topic; the records acknowledged. */
    private static long produce(String topic, int count, double perSecond) {
        stack.createTopic(topic, PARTITIONS);
        PipelineConfig config = PipelineConfig.load(pipelineFile, Map.of());
        try (PacedProducer producer = new PacedProducer(stack, records, topic, PacedProducer.pipelineSettings(config), 0)) {
            producer.produce(perSecond, Duration.ofNanos((long) (count / perSecond * 1e9)));
            assertThat(producer.errors()).as("records Kafka refused").isZero();
            return producer.acked();
        }
    }

    private static Map<String, String> overrides(String topic, String table) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("pipeline.name", table);
        overrides.put("kafka.bootstrap_servers", stack.bootstrapServers());
        overrides.put("kafka.topic", topic);
        overrides.put("cassandra.contact_points", stack.cassandraAddress());
        overrides.put("sink.keyspace", BenchStack.KEYSPACE);
        overrides.put("sink.table", table);
        overrides.put("sink.consistency", "ONE");
        overrides.put("stream.max_offsets_per_trigger", "2000");
        overrides.put("stream.checkpoint_dir", dir.resolve("checkpoints").resolve(table).toString());
        return overrides;
    }

    private static Path shadedJar() throws java.io.IOException {
        try (var files = Files.list(home.resolve("sluice-stream/target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-spark.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("sluice-stream's -spark.jar is not built"));
        }
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
