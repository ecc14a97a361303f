package io.sluice.bench;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.sluice.bench.BenchResults.Ceiling;
import io.sluice.bench.BenchResults.Drain;
import io.sluice.bench.BenchResults.Flood;
import io.sluice.bench.BenchResults.KafkaCeiling;
import io.sluice.bench.BenchResults.Latency;
import io.sluice.bench.BenchResults.Ratios;
import io.sluice.config.PipelineConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One benchmark run: starts the embedded stack on free ports under a private work dir, runs the measurements in
 * order, and writes BENCHMARKS.md, bench.json and flood.png. A stage that fails is reported as not measured and the
 * run goes on with the rest (the stages that need its figure are skipped).
 */
final class Bench {
    static final String BACKLOG_TOPIC = "bench_users";
    static final String BASELINE_TABLE = "baseline";
    static final String SLUICE_TABLE = "sluice_full";
    static final String SLUICE_DEFAULTS_TABLE = "sluice_defaults";
    static final String CONNECTOR_DEFAULTS_TABLE = "sluice_defaults_connector";
    static final String CONNECTOR_DEFAULTS_STAGE = "Sluice with its defaults but the connector writer";
    /**
     * The flow keys the defaults stage sets back to {@link PipelineConfig#DEFINITION}'s defaults, whatever the
     * pipeline file says: records per micro-batch, the writer and its limits. Everything else (schema, DQ rules, table,
     * master) stays the file's, as in the full-speed stage.
     */
    /**
     * Each defaults stage drains at most this many records of the backlog: at 1,000 records a micro-batch the
     * connector writer ran about 1,200 rows/s here, so the full 500,000 would take seven minutes for a figure that 100
     * batches already settle.
     */
    static final int DEFAULTS_RECORDS_AT_MOST = 100_000;
    static final String PAUSE_STAGE = "Pause: Cassandra stopped mid-drain";
    static final String NEIGHBOUR_STAGE = "Neighbour: an online workload beside the drain";
    /** At ~5,000 rows/s here, about 20 s before the pause and 30 s after it; --quick uses 3,000 and a 2 s pause. */
    static final int PAUSE_RECORDS = 150_000;
    /** Each of the neighbour stage's four drains takes the first this many records of the backlog (~20 s each). */
    static final int NEIGHBOUR_RECORDS = 100_000;
    static final int NEIGHBOUR_RECORDS_QUICK = 3_000;
    /** The neighbour stage's drains without the neighbour: 20-30 s at full speed, so a fresh JVM's start weighs little. */
    static final int NEIGHBOUR_QUIET_RECORDS = 300_000;
    static final List<String> DEFAULT_FLOW_KEYS = List.of("stream.max_offsets_per_trigger", "sink.writer",
            "sink.concurrent_writes", "sink.throughput_mb_per_sec", "sink.max_rows_per_second", "sink.batch_buffer_size",
            "sink.adaptive");

    private final BenchOptions options;
    private final Console console;
    private final Map<String, String> failures = new LinkedHashMap<>();
    private final CpuLedger cpu = new CpuLedger(new CpuMeter());

    Bench(BenchOptions options, Console console) {
        this.options = options;
        this.console = console;
    }

    BenchResults run() throws IOException {
        String loadAtStart = MachineInfo.loadAverage();
        PipelineConfig pipeline = PipelineConfig.load(options.pipelineFile(), Map.of());
        checkColumns(pipeline);
        Path workDir = Files.createTempDirectory("sluice-bench-");
        console.step("work dir %s; generating %,d demo users", workDir, Math.min(options.records(), 20_000));
        DemoRecords records = new DemoRecords(Math.min(Math.max(options.records(), options.ceilingRows()), 20_000));
        Map<String, Object> settings = settings(pipeline, records, workDir);
        try (RssMonitor rss = new RssMonitor()) {
            rss.track("bench JVM (this one)", ProcessHandle.current().pid());
            console.step("starting Kafka and Cassandra on free ports");
            try (BenchStack stack = BenchStack.start(options.home(), workDir.resolve("stack"))) {
                rss.track("Kafka broker", stack.kafkaPid());
                rss.track("Cassandra", stack.cassandraPid());
                cpu.watch(CpuLedger.CASSANDRA, stack.cassandraPid());
                cpu.watch(CpuLedger.KAFKA, stack.kafkaPid());
                cpu.watch(CpuLedger.BENCH, ProcessHandle.current().pid());
                console.step("stack ready: Kafka %s, Cassandra %s", stack.bootstrapServers(), stack.cassandraAddress());
                return measure(stack, pipeline, records, rss, workDir, settings, loadAtStart);
            }
        } finally {
            keepLogs(workDir, options.resultsDir().resolve("logs"));
            if (!options.keepWorkDir()) {
                deleteRecursively(workDir);
            }
        }
    }

    private BenchResults measure(BenchStack stack, PipelineConfig pipeline, DemoRecords records, RssMonitor rss,
                                 Path workDir, Map<String, Object> settings, String loadAtStart) {
        Ceiling ceiling = stage("Cassandra write ceiling", () -> new CassandraCeilingStage(stack, records, console, cpu)
                .run(options.ceilingRows(), options.ceilingInFlight(),
                        DefaultConsistencyLevel.valueOf(pipeline.sinkConsistency()), pipeline.sinkTtl(),
                        pipeline.sinkBatchGrouping(), pipeline.sinkBatchSizeRows() == null
                                ? CassandraCeilingStage.DEFAULT_ROWS_PER_BATCH : pipeline.sinkBatchSizeRows(),
                        pipeline.sinkBatchBufferSize()));

        KafkaCeiling kafka = stage("Kafka produce ceiling", () -> new KafkaCeilingStage(stack, records, cpu)
                .run(BACKLOG_TOPIC, pipeline.kafkaPartitions(), options.records()));
        if (kafka != null) {
            console.step("Kafka ceiling: %,.0f records/s (%.1f MB/s)", kafka.recordsPerSecond(), kafka.megabytesPerSecond());
            BenchResults.CpuUse kafkaCpu = cpu.byStage().get(CpuLedger.KAFKA_CEILING);
            if (kafkaCpu != null) {
                console.step("%s", CpuLedger.describe(kafkaCpu));
            }
        }

        DrainStage drains = new DrainStage(stack, rss, cpu, console, options.stageTimeout());
        Drain baseline = kafka == null ? skipped("Naive baseline (tutorial job)") : stage("Naive baseline (tutorial job)",
                () -> {
                    stack.createTable(BASELINE_TABLE, DemoRecords.COLUMNS);
                    console.step("baseline: the tutorial's Spark job drains %,d records", options.records());
                    return drains.drain(() -> TutorialBaseline.start(options.home(), pipeline, options.pipelineFile(), workDir,
                                    BACKLOG_TOPIC, BASELINE_TABLE, stack.bootstrapServers(), stack.cassandraAddress()),
                            CpuLedger.BASELINE, "Spark JVM: tutorial baseline", BACKLOG_TOPIC, options.records(), BASELINE_TABLE,
                            TutorialBaseline.settings(pipeline.streamMaster()), "no data quality (as in the tutorial)");
                });
        report("baseline", baseline);

        SluiceJobFactory jobs = new SluiceJobFactory(stack, options.home(), options.pipelineFile(), workDir, fullSpeed());
        Drain sluice = kafka == null ? skipped("Sluice at full speed") : stage("Sluice at full speed", () -> {
            console.step("Sluice: the stream job drains %,d records (available-now)", options.records());
            return drains.drain(() -> jobs.startAvailableNow("bench_sluice", BACKLOG_TOPIC, SLUICE_TABLE, jobs.fullSpeed()),
                    CpuLedger.SLUICE, "Spark JVM: Sluice full speed", BACKLOG_TOPIC, options.records(), SLUICE_TABLE, jobs.fullSpeed(),
                    dataQuality(pipeline));
        });
        report("Sluice", sluice);

        Drain defaults = kafka == null ? skipped("Sluice with its defaults") : stage("Sluice with its defaults", () -> {
            Map<String, String> defaultFlow = defaultFlow();
            int backlog = Math.min(options.records(), DEFAULTS_RECORDS_AT_MOST);
            console.step("Sluice with its defaults (%s) drains the first %,d records of the backlog (available-now)",
                    defaultFlow, backlog);
            return drains.drain(() -> jobs.startAvailableNow("bench_sluice_defaults", BACKLOG_TOPIC, SLUICE_DEFAULTS_TABLE,
                            defaultFlow), CpuLedger.SLUICE_DEFAULTS, "Spark JVM: Sluice defaults", BACKLOG_TOPIC,
                    backlog, SLUICE_DEFAULTS_TABLE, defaultFlow, dataQuality(pipeline));
        });
        report("Sluice with its defaults", defaults);

        Drain connectorDefaults = kafka == null ? skipped(CONNECTOR_DEFAULTS_STAGE) : stage(CONNECTOR_DEFAULTS_STAGE, () -> {
            Map<String, String> flow = defaultFlow();
            flow.put("sink.writer", "connector");
            int backlog = Math.min(options.records(), DEFAULTS_RECORDS_AT_MOST);
            console.step("%s (%s) drains the first %,d records of the backlog (available-now)", CONNECTOR_DEFAULTS_STAGE,
                    flow, backlog);
            return drains.drain(() -> jobs.startAvailableNow("bench_connector_defaults", BACKLOG_TOPIC, CONNECTOR_DEFAULTS_TABLE,
                            flow), CpuLedger.CONNECTOR_DEFAULTS, "Spark JVM: connector defaults", BACKLOG_TOPIC, backlog,
                    CONNECTOR_DEFAULTS_TABLE, flow, dataQuality(pipeline));
        });
        report(CONNECTOR_DEFAULTS_STAGE, connectorDefaults);

        Drain flink = kafka == null ? skipped(FlinkStage.NAME) : stage(FlinkStage.NAME, () ->
                new FlinkStage(stack, drains, console).run(options.home(), pipeline, workDir, BACKLOG_TOPIC,
                        options.records(), options.flinkInFlight()));
        report("Flink", flink);

        Latency latency = sluice == null ? skipped("Latency at half load") : stage("Latency at half load", () ->
                new LatencyStage(stack, records, rss, console).run(jobs, pipeline.kafkaPartitions(),
                        Math.max(1, sluice.rowsPerSecond() / 2), options.latencyDuration(), options.latencyTrigger(),
                        PacedProducer.pipelineSettings(pipeline), options.stageTimeout()));
        if (latency != null) {
            console.step("latency: p50 %.0f ms, p99 %.0f ms, max %.0f ms", latency.p50Ms(), latency.p99Ms(), latency.maxMs());
        }

        Flood flood = stage("Flood at 10x the write cap", () -> {
            Map<String, String> floodSettings = floodSettings();
            PipelineConfig floodPipeline = PipelineConfig.load(options.pipelineFile(), floodSettings);
            return new FloodStage(stack, records, rss, console).run(jobs, floodPipeline, floodSettings,
                    options.floodBurst(), options.idleProbe(), PacedProducer.pipelineSettings(pipeline),
                    options.stageTimeout());
        });
        if (flood != null) {
            console.step("flood: drained in %.0f s, %d rows lost, Cassandra p99 %.1f ms (idle %.1f ms)",
                    flood.drainSeconds(), flood.rowsLost(), flood.floodProbeP99Ms(), flood.idleProbeP99Ms());
        }

        PauseStage.Result pause = stage(PAUSE_STAGE, () -> {
            PauseStage.Result result = new PauseStage(stack, records, console).run(jobs, adaptive(jobs.fullSpeed(), true),
                    pipeline.kafkaPartitions(), pauseRecords(), pauseFor(), PacedProducer.pipelineSettings(pipeline),
                    options.stageTimeout());
            console.step("pause: %s", result.summary());
            return result;
        });

        NeighbourStage.Result neighbour = kafka == null ? skipped(NEIGHBOUR_STAGE) : stage(NEIGHBOUR_STAGE, () -> {
            long backlog = neighbourRecords();
            long quietBacklog = neighbourQuietRecords();
            console.step("neighbour: Sluice drains the first %,d records of the backlog twice without an online "
                    + "workload (controller off and on), then the first %,d twice beside one of %.0f ops/s",
                    quietBacklog, backlog, neighbourOps());
            NeighbourStage.Result result = new NeighbourStage(stack, console).run(jobs, jobs.fullSpeed(), BACKLOG_TOPIC,
                    backlog, quietBacklog, neighbourOps(), options.quick() ? Duration.ofSeconds(3)
                            : Duration.ofSeconds(30), options.stageTimeout());
            console.step("neighbour: %s", result.summary());
            return result;
        });

        Ratios ratios = sluice == null ? null : new Ratios(
                ceiling == null ? Double.NaN : sluice.rowsPerSecond() / ceiling.best().rowsPerSecond(),
                baseline == null ? Double.NaN : sluice.rowsPerSecond() / baseline.rowsPerSecond(),
                flink == null ? Double.NaN : sluice.rowsPerSecond() / flink.rowsPerSecond());
        return new BenchResults(MachineInfo.describe(options.quick(), loadAtStart), settings, ceiling, kafka, baseline, sluice,
                defaults, connectorDefaults, flink, ratios, latency, flood, pause, neighbour, rss.peaksMb(), Map.copyOf(failures), cpu.byStage());
    }

    /** Overrides that let Sluice drain as fast as it can, still bounded (in flight per task, records per batch). */
    private Map<String, String> fullSpeed() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("stream.max_offsets_per_trigger", Long.toString(options.sluiceMaxOffsets()));
        settings.put("sink.concurrent_writes", Integer.toString(options.sluiceConcurrentWrites()));
        settings.put("sink.throughput_mb_per_sec", "1000");
        settings.put("sink.max_rows_per_second", "1000000");
        // Stated, not left to the default: this is the rate with the controller off (static in-flight cap, no row
        // cap), the figure Flink and the tutorial, which have no controller either, are compared with.
        settings.put("sink.adaptive", "false");
        return settings;
    }

    /** The same settings with the adaptive controller on or off (with the driver writer, the only one it paces). */
    static Map<String, String> adaptive(Map<String, String> settings, boolean on) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put("sink.writer", "driver");
        copy.put("sink.adaptive", Boolean.toString(on));
        return copy;
    }

    /** Records each neighbour-stage drain beside the neighbour writes. */
    private long neighbourRecords() {
        return Math.min(options.records(), options.quick() ? NEIGHBOUR_RECORDS_QUICK : NEIGHBOUR_RECORDS);
    }

    /** Records each neighbour-stage drain without the neighbour writes. */
    private long neighbourQuietRecords() {
        return Math.min(options.records(), options.quick() ? NEIGHBOUR_RECORDS_QUICK : NEIGHBOUR_QUIET_RECORDS);
    }

    /**
     * The pause drain's backlog: a third of it must take over ten seconds at full speed (the pre-pause rate is the
     * mean of the ten seconds before the SIGSTOP), and the rest must outlast the pause and the 30 s recovery window.
     */
    private int pauseRecords() {
        return options.quick() ? 3_000 : PAUSE_RECORDS;
    }

    private Duration pauseFor() {
        return options.quick() ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    }

    private double neighbourOps() {
        return options.quick() ? 50 : 200;
    }

    /** The flow keys at the pipeline reference's defaults (see {@link #DEFAULT_FLOW_KEYS}). */
    static Map<String, String> defaultFlow() {
        Map<String, String> settings = new LinkedHashMap<>();
        PipelineConfig.DEFINITION.keys().stream().filter(key -> DEFAULT_FLOW_KEYS.contains(key.name()))
                .forEach(key -> settings.put(key.name(), String.valueOf(key.defaultValue())));
        return settings;
    }

    /** The pipeline's own flow limits; only --quick shortens the trigger so the flood drains in seconds. */
    private Map<String, String> floodSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (options.floodTrigger() != null) {
            settings.put("stream.trigger_interval", options.floodTrigger().toMillis() + "ms");
        }
        if (options.floodMaxOffsets() > 0) {
            settings.put("stream.max_offsets_per_trigger", Long.toString(options.floodMaxOffsets()));
        }
        return settings;
    }

    private Map<String, Object> settings(PipelineConfig pipeline, DemoRecords records, Path workDir) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("servers", "Kafka 4.1.1 (KRaft, 1 broker) and Cassandra 5.0.6 (1 node), each a child JVM with -Xmx512m; "
                + "Spark 3.5.4 " + pipeline.streamMaster() + " in its own JVM with -Xmx1g");
        s.put("pipeline", options.pipelineFile().toString());
        s.put("records", String.format(java.util.Locale.ROOT, "the demo's users (%d distinct, each record with its own "
                        + "login.uuid), %.0f bytes of JSON on average, %.0f bytes per Cassandra row",
                records.poolSize(), records.averageBytes(), records.averageRowBytes()));
        s.put("backlog", options.records() + " records in topic " + BACKLOG_TOPIC + " (" + pipeline.kafkaPartitions()
                + " partitions), drained by the baseline, by Sluice at full speed and by the Flink peer; Sluice with "
                + "its defaults drains the first " + Math.min(options.records(), DEFAULTS_RECORDS_AT_MOST) + " of them");
        s.put("table", "id uuid PRIMARY KEY + " + DemoRecords.COLUMNS.size() + " text columns ("
                + String.join(", ", DemoRecords.COLUMNS) + "), consistency " + pipeline.sinkConsistency()
                + ", TTL " + pipeline.sinkTtl().toSeconds() + " s (ceiling, Sluice and Flink), none (baseline)");
        s.put("ceiling", options.ceilingRows() + " rows per level, in-flight levels " + options.ceilingInFlight());
        s.put("latency", options.latencyDuration().toSeconds() + " s at half of Sluice's full-speed rate, trigger "
                + options.latencyTrigger().toMillis() + " ms, producer = the pipeline's (acks=all, idempotent, linger "
                + pipeline.producerLinger().toMillis() + " ms, " + pipeline.producerCompression() + ")");
        s.put("flood", options.floodBurst().toSeconds() + " s burst at 10x the write cap; idle probe "
                + options.idleProbe().toSeconds() + " s");
        s.put("pause", pauseRecords() + " records in topic " + PauseStage.TOPIC + ", drained at full speed with the "
                + "adaptive driver writer (sink.adaptive=true); Cassandra SIGSTOPped for " + pauseFor().toSeconds()
                + " s once a third is written");
        s.put("neighbour", "four drains of " + BACKLOG_TOPIC + " at full speed with the driver writer: "
                + "sink.adaptive=false and true, of the first " + neighbourQuietRecords() + " records without the "
                + "neighbour, of the first " + neighbourRecords() + " with it; neighbour "
                + (int) neighbourOps() + " ops/s (half single-row reads, half writes) on table " + NeighbourLoad.TABLE);
        if (!options.only().isEmpty()) {
            s.put("stages", "only " + BenchOptions.STAGES.stream().filter(options::runs)
                    .collect(java.util.stream.Collectors.joining(", ")) + " (--only); the others were not run");
        }
        s.put("work dir", workDir + (options.keepWorkDir() ? " (kept)" : " (deleted after the run)"));
        return s;
    }

    /** The data-quality rules in force in the Sluice runs: the pipeline file's own, whatever they are. */
    static String dataQuality(PipelineConfig pipeline) {
        if (pipeline.dqRules().isEmpty()) {
            return "DQ: no rules in " + pipeline.origin() + " (only the job's built-in parse, key and record-size checks)";
        }
        return "DQ: " + pipeline.dqRules().size() + " rules on (" + pipeline.dqRules().stream()
                .map(rule -> rule.name() + ": " + rule.type() + (rule.column() == null ? "" : " " + rule.column()))
                .collect(java.util.stream.Collectors.joining(", ")) + ")";
    }

    private static void checkColumns(PipelineConfig pipeline) {
        if (!pipeline.sinkColumns().keySet().equals(new java.util.HashSet<>(DemoRecords.COLUMNS))) {
            throw new BenchException("the benchmark measures the demo pipeline's table (" + DemoRecords.COLUMNS
                    + ") but " + pipeline.origin() + " has columns " + pipeline.sinkColumns().keySet()
                    + "; pass --pipeline pipelines/demo-users.yaml");
        }
    }

    /** The {@code --only} key of each stage's name; both defaults stages run with {@code --only defaults}. */
    private static final Map<String, String> STAGE_KEYS = Map.ofEntries(Map.entry("Cassandra write ceiling", "ceiling"),
            Map.entry("Kafka produce ceiling", "kafka"), Map.entry("Naive baseline (tutorial job)", "baseline"),
            Map.entry("Sluice at full speed", "sluice"), Map.entry("Sluice with its defaults", "defaults"),
            Map.entry(CONNECTOR_DEFAULTS_STAGE, "defaults"), Map.entry(FlinkStage.NAME, "flink"),
            Map.entry("Latency at half load", "latency"), Map.entry("Flood at 10x the write cap", "flood"),
            Map.entry(PAUSE_STAGE, "pause"), Map.entry(NEIGHBOUR_STAGE, "neighbour"));

    private boolean runs(String name) {
        return options.runs(STAGE_KEYS.getOrDefault(name, name));
    }

    private <T> T stage(String name, Supplier<T> body) {
        if (!runs(name)) {
            return null; // left out with --only: not measured, and not a failure
        }
        try {
            return body.get();
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            failures.put(name, why);
            console.step("%s FAILED: %s", name, why);
            return null;
        }
    }

    private <T> T skipped(String name) {
        if (!runs(name)) {
            return null;
        }
        failures.put(name, "skipped: a stage it needs failed");
        return null;
    }

    private void report(String what, Drain drain) {
        if (drain != null) {
            console.step("%s: %,.0f rows/s (%,d rows in %.1f s; %s rows in the table)", what, drain.rowsPerSecond(),
                    drain.records(), drain.seconds(), drain.rowsInTable() == null ? "not verified"
                            : String.format(java.util.Locale.ROOT, "%,d", drain.rowsInTable()));
        }
    }

    /**
     * Copies the servers' and Spark jobs' logs next to the results: when a stage fails, its log is the explanation,
     * and the work dir (gigabytes of data) is deleted.
     */
    private static void keepLogs(Path workDir, Path logDir) {
        List<Path> logs = new ArrayList<>();
        for (String glob : List.of("logs/*.log", "baseline/*.log", "flink/*.log", "stack/kafka/*.log", "stack/cassandra/*.log")) {
            int slash = glob.lastIndexOf('/');
            Path dir = workDir.resolve(glob.substring(0, slash));
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, glob.substring(slash + 1))) {
                    found.forEach(logs::add);
                } catch (IOException e) {
                    // a missing log is no reason to fail the run
                }
            }
        }
        try {
            Files.createDirectories(logDir);
            for (Path log : logs) {
                Files.copy(log, logDir.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // best effort, as above
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temp dir left behind is not worth failing a finished benchmark for.
        }
    }
}
