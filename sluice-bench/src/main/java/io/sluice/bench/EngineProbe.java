package io.sluice.bench;

import io.sluice.stream.launch.StreamProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the stream job's own CPU goes, without the rest of the bench: starts the bench's stack, produces one backlog,
 * then drains it with Sluice's stream job once at full speed and once in micro-batches of the pipeline's own size (the
 * default 1,000 records), and prints the engine JVM's CPU per row and per micro-batch, cold (the whole drain) and warm
 * (the drain's last two thirds), and its CPU by thread kind (JIT compiler, GC, Spark tasks, the rest), and
 * Cassandra's CPU per row over the same drain.
 *
 * <pre>
 * java -cp &lt;sluice-bench classpath&gt; -Dsluice.home=. io.sluice.bench.EngineProbe [records] [batch records]
 * SLUICE_STREAM_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile" ... (a profile per job)
 * java ... -Dsluice.probe.set=sink.batch_size_rows=16,stream.partitions=3 ... (pipeline keys for both drains)
 * </pre>
 *
 * A tool for profiling the engine, not a benchmark stage: its figures go into {@code bench-results/changes.md}.
 */
public final class EngineProbe {
    private static final String TOPIC = "probe_backlog";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private EngineProbe() {
    }

    public static void main(String[] args) throws IOException {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batchRecords = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        String only = args.length > 2 ? args[2] : "both";
        Path home = Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath();
        Path pipeline = home.resolve("pipelines/demo-users.yaml");
        Path workDir = Files.createTempDirectory("sluice-probe-");
        DemoRecords demo = new DemoRecords(Math.min(records, 20_000));
        CpuMeter meter = new CpuMeter();
        try (BenchStack stack = BenchStack.start(home, workDir.resolve("stack"))) {
            new KafkaCeilingStage(stack, demo, new CpuLedger(meter)).run(TOPIC, 3, records);
            System.out.printf("backlog: %,d records in %s%n", records, TOPIC);
            SluiceJobFactory jobs = new SluiceJobFactory(stack, home, pipeline, workDir, Map.of());
            Map<String, String> extra = extraSettings(System.getProperty("sluice.probe.set", ""));
            if (!only.equals("batches")) {
                Map<String, String> full = new LinkedHashMap<>();
                full.put("stream.max_offsets_per_trigger", "50000");
                full.put("sink.concurrent_writes", "256");
                full.put("sink.throughput_mb_per_sec", "1000");
                full.put("sink.max_rows_per_second", "1000000");
                full.putAll(extra);
                drain(jobs, meter, stack.cassandraPid(), "probe_full", full, records);
            }
            if (!only.equals("full")) {
                // The pipeline's own batch size; only the row pace is lifted, so the drain is not mostly sleep.
                Map<String, String> small = new LinkedHashMap<>();
                small.put("sink.max_rows_per_second", "1000000");
                small.putAll(extra);
                drain(jobs, meter, stack.cassandraPid(), "probe_batches", small, batchRecords);
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    /** {@code key=value,key=value} pipeline keys, set on both drains (a setting to try without editing the pipeline). */
    static Map<String, String> extraSettings(String spec) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("sluice.probe.set: '" + pair + "' is not key=value");
            }
            settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return settings;
    }

    /** Drains {@code target} records of the backlog into a table named {@code name}. */
    private static void drain(SluiceJobFactory jobs, CpuMeter meter, long cassandraPid, String name,
                              Map<String, String> settings, long target) {
        // Not available-now: the job must stay alive after the target so its threads can be read.
        try (SluiceJob job = jobs.start(name, TOPIC, name, settings)) {
            job.awaitStarted(TIMEOUT);
            double startCpu = meter.processSeconds(job.pid()).orElse(0);
            double startCassandra = meter.processSeconds(cassandraPid).orElse(Double.NaN);
            Map<String, Double> startThreads = threadCpu(job.pid());
            long startNanos = System.nanoTime();
            List<double[]> samples = new ArrayList<>(); // {records consumed, batches, cpu seconds}
            job.awaitConsumed(TOPIC, target, TIMEOUT, consumed -> {
                long batches = job.progress().stream().filter(StreamProgress::isBatch).count();
                samples.add(new double[] {consumed, batches, meter.processSeconds(job.pid()).orElse(Double.NaN)});
            });
            double endCpu = meter.processSeconds(job.pid()).orElse(Double.NaN);
            double cassandra = meter.processSeconds(cassandraPid).orElse(Double.NaN) - startCassandra;
            double wall = (System.nanoTime() - startNanos) / 1e9;
            Map<String, Double> endThreads = threadCpu(job.pid());
            List<StreamProgress> batches = job.progress().stream().filter(StreamProgress::isBatch).toList();
            long rows = batches.stream().mapToLong(StreamProgress::numInputRows).sum();
            double cpu = endCpu - startCpu;
            double[] third = samples.stream().filter(s -> s[0] >= target / 3.0).findFirst().orElse(samples.get(0));
            double warmCpu = endCpu - third[2];
            double warmRows = rows - third[0];
            double warmBatches = batches.size() - third[1];
            System.out.printf("%s: %,d rows in %d batches, %.1f s wall; engine CPU %.1f s = %.0f µs/row, %.0f ms/batch;"
                            + " warm (last 2/3): %.0f µs/row, %.0f ms/batch%n", name, rows, batches.size(), wall, cpu,
                    cpu / rows * 1e6, cpu / batches.size() * 1e3, warmCpu / warmRows * 1e6, warmCpu / warmBatches * 1e3);
            // Cassandra's share decides the drain's speed on a shared machine as much as the engine's does.
            System.out.printf("%s: Cassandra CPU %.1f s = %.0f µs/row%n", name, cassandra, cassandra / rows * 1e6);
            System.out.printf("%s: batch durations (ms) %s%n", name,
                    batches.stream().map(b -> Long.toString(b.durationMs())).limit(60).toList());
            Map<String, Double> byKind = new TreeMap<>();
            endThreads.forEach((thread, seconds) -> byKind.merge(kind(thread), seconds - startThreads.getOrDefault(thread, 0.0),
                    Double::sum));
            System.out.printf("%s: CPU s by thread kind %s%n", name, byKind);
            job.stop(Duration.ofSeconds(60));
        }
    }

    /** JIT, GC, Spark task or other, from the thread's name. */
    private static String kind(String thread) {
        if (thread.startsWith("C1 ") || thread.startsWith("C2 ")) {
            return "jit";
        }
        if (thread.startsWith("GC ") || thread.startsWith("G1 ")) {
            return "gc";
        }
        if (thread.startsWith("Executor task")) {
            return "tasks";
        }
        if (thread.startsWith("s0-io") || thread.startsWith("s0-admin") || thread.startsWith("s1-io")) {
            return "driver-io";
        }
        if (thread.startsWith("stream execut")) {
            return "stream-exec";
        }
        return "other:" + thread.replaceAll("[0-9]+", "#");
    }

    /** CPU seconds per live thread (name#tid) of a process, from /proc/pid/task. */
    private static Map<String, Double> threadCpu(long pid) {
        Map<String, Double> out = new LinkedHashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
                    out.put(comm + "@" + task.getFileName(), seconds);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        Map<String, Double> named = new LinkedHashMap<>();
        out.forEach((k, v) -> named.put(k.substring(0, k.lastIndexOf('@')) + k.substring(k.lastIndexOf('@')), v));
        return named;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
