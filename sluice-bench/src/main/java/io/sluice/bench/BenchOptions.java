package io.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a benchmark run can be told. {@link #full(Path)} is the real benchmark (well under 20 minutes on a
 * 2-core machine); {@link #quick(Path)} runs every stage on tiny sizes in about 3 minutes, as the smoke test of
 * {@code mvn verify}. Sizes can be changed one by one on the command line ({@link #parse}).
 *
 * @param home             the Sluice checkout (server classpaths, the stream job, the demo pipeline)
 * @param outDir           where BENCHMARKS.md is written
 * @param resultsDir       where the JSON figures and the flood chart are written
 * @param pipelineFile     the pipeline whose record shape, table and flow limits are measured
 * @param records          size of the backlog the Kafka ceiling, the baseline and Sluice all work on
 * @param ceilingRows      rows written per in-flight level of the Cassandra ceiling
 * @param ceilingInFlight  in-flight levels tried for the Cassandra ceiling; the best is reported
 * @param sluiceMaxOffsets Sluice at full speed: {@code stream.max_offsets_per_trigger}
 * @param sluiceConcurrentWrites Sluice at full speed: {@code sink.concurrent_writes} (per Spark task)
 * @param latencyTrigger   trigger interval of the latency run
 * @param latencyDuration  how long the latency run produces at half of Sluice's rate
 * @param floodTrigger     trigger interval of the flood run; null keeps the pipeline file's
 * @param floodMaxOffsets  max offsets per trigger of the flood run; 0 keeps the pipeline file's
 * @param floodBurst       how long the flood producer sends at 10 times the write cap
 * @param idleProbe        how long the idle Cassandra latency is probed before the flood
 * @param stageTimeout     longest wait for any one drain; a stage that exceeds it fails the run
 * @param keepWorkDir      keep the servers' data dir (Kafka log, Cassandra data) after the run
 * @param flinkInFlight    the Flink peer: its CassandraSink's {@code setMaxConcurrentRequests}, per sink subtask
 * @param only             the stages to run ({@link #STAGES}); empty runs them all
 */
public record BenchOptions(boolean quick, Path home, Path outDir, Path resultsDir, Path pipelineFile, int records,
                           int ceilingRows, List<Integer> ceilingInFlight, long sluiceMaxOffsets,
                           int sluiceConcurrentWrites, Duration latencyTrigger, Duration latencyDuration,
                           Duration floodTrigger, long floodMaxOffsets, Duration floodBurst, Duration idleProbe,
                           Duration stageTimeout, boolean keepWorkDir, int flinkInFlight, Set<String> only) {

    /** Stage keys of {@code --only}, in the order the stages run. */
    public static final List<String> STAGES = List.of("ceiling", "kafka", "baseline", "sluice", "defaults", "flink",
            "latency", "flood", "pause", "neighbour");

    public static final String USAGE = """
            Usage: sluice bench [--quick] [--out <dir>] [--results <dir>] [--pipeline <file>] [--records <n>]
                                [--ceiling-rows <n>] [--in-flight 64,256,512] [--latency-seconds <s>]
                                [--flood-seconds <s>] [--concurrent-writes <n>] [--flink-in-flight <n>] [--only <stages>]
                                [--keep-work-dir]
              --quick            every stage on tiny sizes (about 3 minutes); figures are not meaningful
              --out              where BENCHMARKS.md goes (default: the checkout root)
              --results          where bench.json and flood.png go (default: <out>/bench-results)
              --pipeline         pipeline to measure (default: pipelines/demo-users.yaml)
              --records          backlog size for the Kafka ceiling, the baseline and Sluice
              --ceiling-rows     rows per in-flight level of the Cassandra ceiling
              --in-flight        in-flight levels of the Cassandra ceiling, comma-separated
              --latency-seconds  length of the latency run
              --flood-seconds    length of the burst at 10x the write cap
              --concurrent-writes  Sluice's sink.concurrent_writes (per Spark task) at full speed and in the latency run
              --flink-in-flight  the Flink peer's CassandraSink setMaxConcurrentRequests, per sink subtask (default 256)
              --only             run only these stages, comma-separated, of ceiling,kafka,baseline,sluice,defaults,
                                 flink,latency,flood,pause,neighbour
                                 (the drains and neighbour bring the kafka stage, which fills their backlog; latency
                                 brings sluice)
              --keep-work-dir    keep the benchmark's Kafka and Cassandra data afterwards""";

    public BenchOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(resultsDir, "resultsDir");
        ceilingInFlight = List.copyOf(ceilingInFlight);
        only = Set.copyOf(only);
        require(records > 0, "--records must be > 0, got " + records);
        require(ceilingRows > 0, "--ceiling-rows must be > 0, got " + ceilingRows);
        require(!ceilingInFlight.isEmpty() && ceilingInFlight.stream().allMatch(n -> n > 0),
                "--in-flight needs positive numbers, got " + ceilingInFlight);
        require(!latencyDuration.isNegative() && !latencyDuration.isZero(), "--latency-seconds must be > 0");
        require(!floodBurst.isNegative() && !floodBurst.isZero(), "--flood-seconds must be > 0");
    }

    /** The real benchmark. */
    public static BenchOptions full(Path home) {
        return new BenchOptions(false, home, home, home.resolve("bench-results"),
                home.resolve("pipelines/demo-users.yaml"), 500_000, 200_000, List.of(64, 256, 512), 50_000, 256,
                Duration.ofSeconds(2), Duration.ofSeconds(60), null, 0, Duration.ofSeconds(15), Duration.ofSeconds(5),
                Duration.ofMinutes(6), false, 256, Set.of());
    }

    /**
     * Every stage, tiny: proves the harness works end to end. The flood uses a 1 s trigger and 200 records per
     * trigger so its backlog drains in seconds; its figures say nothing about performance. The time goes mostly into
     * starting JVMs: the two servers and four Spark jobs.
     */
    public static BenchOptions quick(Path home) {
        return new BenchOptions(true, home, home, home.resolve("bench-results"),
                home.resolve("pipelines/demo-users.yaml"), 3_000, 3_000, List.of(64, 256), 5_000, 64,
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1), 200, Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofMinutes(3), false, 256, Set.of());
    }

    /** Parses the command line; {@code --quick} picks the base sizes, later options change single values. */
    public static BenchOptions parse(Path home, String... args) {
        List<String> list = Arrays.asList(args);
        BenchOptions o = list.contains("--quick") ? quick(home) : full(home);
        Path out = o.outDir;
        Path results = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> { }
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--results" -> results = Path.of(value(args, ++i, arg));
                case "--pipeline" -> o = o.withPipeline(Path.of(value(args, ++i, arg)));
                case "--records" -> o = o.withRecords(intValue(args, ++i, arg));
                case "--ceiling-rows" -> o = o.withCeilingRows(intValue(args, ++i, arg));
                case "--in-flight" -> o = o.withInFlight(inFlightLevels(value(args, ++i, arg)));
                case "--latency-seconds" -> o = o.withLatencyDuration(Duration.ofSeconds(intValue(args, ++i, arg)));
                case "--flood-seconds" -> o = o.withFloodBurst(Duration.ofSeconds(intValue(args, ++i, arg)));
                case "--keep-work-dir" -> o = o.withKeepWorkDir(true);
                case "--concurrent-writes" -> o = o.withConcurrentWrites(intValue(args, ++i, arg));
                case "--flink-in-flight" -> o = o.withFlinkInFlight(intValue(args, ++i, arg));
                case "--only" -> o = o.withOnly(stages(value(args, ++i, arg)));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
            }
        }
        return o.withOutput(out, results != null ? results : out.resolve("bench-results"));
    }

    public BenchOptions withOutput(Path out, Path results) {
        return new BenchOptions(quick, home, out, results, pipelineFile, records, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, only);
    }

    public BenchOptions withConcurrentWrites(int n) {
        require(n > 0, "--concurrent-writes must be > 0, got " + n);
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, records, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, n, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, only);
    }

    public BenchOptions withFlinkInFlight(int n) {
        require(n > 0, "--flink-in-flight must be > 0, got " + n);
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, records, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, n, only);
    }

    public BenchOptions withOnly(Set<String> stages) {
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, records, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, stages);
    }

    /** Whether the stage with this key ({@link #STAGES}) runs. */
    public boolean runs(String stage) {
        return only.isEmpty() || only.contains(stage);
    }

    /** The --only list, with the stages the chosen ones need. */
    private static Set<String> stages(String csv) {
        Set<String> stages = new LinkedHashSet<>();
        for (String part : csv.split(",")) {
            String stage = part.strip();
            if (!STAGES.contains(stage)) {
                throw new IllegalArgumentException("--only takes stages of " + String.join(",", STAGES) + ", got '"
                        + stage + "'");
            }
            stages.add(stage);
        }
        if (stages.contains("latency")) {
            stages.add("sluice");
        }
        if (stages.stream().anyMatch(s -> List.of("baseline", "sluice", "defaults", "flink", "neighbour").contains(s))) {
            stages.add("kafka");
        }
        return stages;
    }

    public BenchOptions withPipeline(Path file) {
        return new BenchOptions(quick, home, outDir, resultsDir, file, records, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, only);
    }

    public BenchOptions withRecords(int n) {
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, n, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, only);
    }

    public BenchOptions withCeilingRows(int n) {
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, records, n, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, only);
    }

    public BenchOptions withInFlight(List<Integer> levels) {
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, records, ceilingRows, levels,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, only);
    }

    public BenchOptions withLatencyDuration(Duration d) {
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, records, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, d, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, only);
    }

    public BenchOptions withFloodBurst(Duration d) {
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, records, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                d, idleProbe, stageTimeout, keepWorkDir, flinkInFlight, only);
    }

    public BenchOptions withKeepWorkDir(boolean keep) {
        return new BenchOptions(quick, home, outDir, resultsDir, pipelineFile, records, ceilingRows, ceilingInFlight,
                sluiceMaxOffsets, sluiceConcurrentWrites, latencyTrigger, latencyDuration, floodTrigger, floodMaxOffsets,
                floodBurst, idleProbe, stageTimeout, keep, flinkInFlight, only);
    }

    private static List<Integer> inFlightLevels(String csv) {
        List<Integer> levels = new ArrayList<>();
        for (String part : csv.split(",")) {
            try {
                levels.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--in-flight needs numbers like 64,256,512, got '" + csv + "'");
            }
        }
        return levels;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int intValue(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + v + "'");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
