package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bench.BenchResults.Ceiling;
import io.sluice.bench.BenchResults.CeilingLevel;
import io.sluice.bench.BenchResults.CpuUse;
import io.sluice.bench.BenchResults.Drain;
import io.sluice.bench.BenchResults.EngineCpu;
import io.sluice.bench.BenchResults.Faults;
import io.sluice.bench.BenchResults.Flood;
import io.sluice.bench.BenchResults.FloodSample;
import io.sluice.bench.BenchResults.JvmCpu;
import io.sluice.bench.BenchResults.KafkaCeiling;
import io.sluice.bench.BenchResults.Latency;
import io.sluice.bench.BenchResults.Machine;
import io.sluice.bench.BenchResults.Ratios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path dir;

    /** The Flink peer as its stage reports it: one batch line, so a cold CPU figure and no warm one. */
    static final Drain FLINK = new Drain(FlinkStage.JVM_LABEL, 1000, 1000L, 1, 0.2, 5000, 15,
            Map.of("setMaxConcurrentRequests", "256"), "none", new EngineCpu(180.0, null, 45.0, null, 0, 1, null, null),
            new Faults(0, 0));

    static BenchResults sample() {
        return sample(FLINK);
    }

    static BenchResults sample(Drain flink) {
        CpuUse ceilingCpu = new CpuUse("Cassandra write ceiling, 512 in flight", 0.02, 1000, 1.9, jvms(
                CpuLedger.CASSANDRA, new JvmCpu(0.025, 1.25, 25, false),
                CpuLedger.KAFKA, new JvmCpu(0.0001, 0.005, 0.1, false),
                CpuLedger.BENCH, new JvmCpu(0.012, 0.6, 12, false)));
        CeilingLevel level = new CeilingLevel(512, 1, 1000, 0.02, 50_000, 3, 40, 0, ceilingCpu);
        CeilingLevel batched = new CeilingLevel(64, 8, 1000, 0.025, 40_000, 4, 30, 0, null);
        Map<String, CpuUse> cpu = new LinkedHashMap<>();
        cpu.put(CpuLedger.CEILING, ceilingCpu);
        cpu.put(CpuLedger.SLUICE, new CpuUse("Sluice at full speed", 0.1, 1000, 2.0, jvms(
                CpuLedger.CASSANDRA, new JvmCpu(0.03, 0.3, 30, false),
                CpuLedger.ENGINE, new JvmCpu(0.06, 0.6, 60, true))));
        List<FloodSample> samples = List.of(
                new FloodSample(0, 0, 0, 0, 0, 0, 0, 0, 0),
                new FloodSample(1, 2000, 0, 2000, 0, 2000, 0, 0, 5),
                new FloodSample(2, 2000, 200, 1800, 200, 0, 200, 200, 6),
                new FloodSample(3, 2000, 400, 1600, 400, 0, 200, 200, 5));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("servers", "Kafka and Cassandra");
        return new BenchResults(new Machine("2026-01-01 00:00 UTC", "cpu", 2, 24000, "Linux", "Java 17", "start 1 / 1 / 1, end 1 / 1 / 1", false), settings,
                new Ceiling(List.of(level), level, "INSERT ...", List.of(batched), batched, "UNLOGGED batches of 8 rows",
                        level),
                new KafkaCeiling(1000, 1_100_000, 0.1, 10_000, 11, 0, Map.of("acks", "1")),
                new Drain("baseline", 1000, 1000L, 1, 0.5, 2000, 20, Map.of("trigger", "none"), "none",
                        new EngineCpu(300.0, null, 40.0, null, 0, 1, null, null), new Faults(0, 0)),
                new Drain("sluice", 1000, 1000L, 2, 0.1, 10_000, 20, Map.of("stream.max_offsets_per_trigger", "50000"),
                        "DQ: not available yet", new EngineCpu(90.0, 60.0, 35.0, 30.0, 500, 2, 30.0, 500.0), new Faults(0, 0)),
                new Drain("defaults", 1000, null, 10, 2, 500, 30, Map.of("sink.writer", "driver"), "DQ: 5 rules",
                        new EngineCpu(900.0, 500.0, 60.0, 50.0, 900, 10, 480.0, 100.0), new Faults(3, 0)),
                new Drain("connector defaults", 1000, 1000L, 10, 2, 400, 30, Map.of("sink.writer", "connector"),
                        "DQ: 5 rules", new EngineCpu(1000.0, 600.0, 60.0, 50.0, 900, 10, 600.0, 100.0), new Faults(0, 0)),
                flink,
                new Ratios(0.2, 5, flink == null ? Double.NaN : 10_000 / flink.rowsPerSecond()),
                new Latency(5000, 4990, 1000, 1000, 2, 1500, 2900, 3100, Map.of()),
                new Flood(200, "min(...)", 2000, 1, 2000, 2000, 0, 10, 9, 200, 200, 200, 3, 5, 2000, "virtual table",
                        Map.of(), samples),
                new PauseStage.Result(3000, 3000, 0, 0, 1, 0, 5, 15, 4000, 6, List.of(new PauseStage.Sample(0, 0, 0),
                        new PauseStage.Sample(5, 4000, 64), new PauseStage.Sample(10, 0, 4),
                        new PauseStage.Sample(21, 3500, 32))),
                new NeighbourStage.Result(200, 1000, 3000, run("bench_quiet_static", 0, 10_000),
                        run("bench_quiet_adaptive", 0, 9_500), run("neighbour alone", 2, 0),
                        run("bench_neighbour_static", 6, 9_000), run("bench_neighbour_adaptive", 3, 7_000)),
                Map.of("Cassandra", 900.0), Map.of(), cpu);
    }

    private static NeighbourStage.Run run(String name, double p99Ms, double rowsPerSecond) {
        return new NeighbourStage.Run(name, p99Ms, rowsPerSecond, 10, List.of(
                new NeighbourStage.Second(1, p99Ms, rowsPerSecond, 32), new NeighbourStage.Second(2, p99Ms, rowsPerSecond, 40)));
    }

    @Test
    void markdownHasEverySectionAndTheRatios() throws Exception {
        Path md = dir.resolve("BENCHMARKS.md");
        MarkdownReport.write(sample(), md, dir.resolve("r/flood.png"), dir.resolve("r/bench.json"));
        String text = Files.readString(md);
        assertThat(text).contains(MarkdownReport.SECTIONS).contains("](r/flood.png)", "50,000 rows/s", "20 %", "5.0×")
                .contains("| 4d | " + FlinkStage.NAME + " | **5,000 rows/s** |")
                .contains("| Sluice ÷ tuned Flink | 2.00× |")
                .contains("| Sluice ÷ tuned Flink, rows/s | ≥ 1.5× | 2.00× (10,000 vs 5,000 rows/s) | yes |");
        assertThat(text).as("one Flink ratio and one Flink rate target, not two")
                .containsOnlyOnce("| Sluice ÷ tuned Flink |").containsOnlyOnce("| Sluice ÷ tuned Flink, rows/s |");
    }

    @Test
    void flinksCpuFillsItsEnginesRowAndTheTargetComparesColdWithColdWhenFlinkHasNoWarmFigure() throws Exception {
        Path md = dir.resolve("BENCHMARKS.md");
        MarkdownReport.write(sample(), md, dir.resolve("r/flood.png"), dir.resolve("r/bench.json"));
        String text = Files.readString(md);
        assertThat(text.substring(text.indexOf("## Engines"), text.indexOf("## Ratios and targets")))
                .contains("| " + FlinkStage.NAME + " | 5,000 | 0.10× | 180 | n/a | 45 | n/a | n/a |");
        assertThat(text).contains("| Sluice's engine CPU per row (full speed) vs tuned Flink's | ≤ ½ × Flink's | "
                + "90 µs vs 180 µs = 0.50× (cold, whole drain: Flink has no warm figure) | yes |");
    }

    @Test
    void enginesTableAndTargetsShowEveryEngineAndSayNotMeasuredForAMissingOne() throws Exception {
        Path md = dir.resolve("BENCHMARKS.md");
        MarkdownReport.write(sample(null), md, dir.resolve("r/flood.png"), dir.resolve("r/bench.json"));
        String text = Files.readString(md);
        String engines = text.substring(text.indexOf("## Engines"), text.indexOf("## Ratios and targets"));
        assertThat(engines)
                .contains("| Cassandra ceiling, single rows | 50,000 | 1.00× | n/a (no engine) | n/a | 25 | 25 (warmed up) | n/a |")
                .contains("| Cassandra ceiling, UNLOGGED batches of 8 rows | 40,000 | 0.80× | n/a (no engine) | n/a | n/a |")
                .contains("| Tutorial (naive baseline) | 2,000 | 0.04× | 300 | n/a | 40 | n/a | n/a |")
                .contains("| " + FlinkStage.NAME + " | not measured |")
                .contains("| Sluice at full speed (static) | 10,000 | 0.20× | 90 | 60 | 35 | 30 | 30 ms for 500 records |")
                .contains("| Sluice with its defaults | 500 | 0.01× | 900 | 500 | 60 | 50 | 480 ms for 100 records |")
                .contains("| " + Bench.CONNECTOR_DEFAULTS_STAGE + " | 400 | 0.01× | 1,000 | 600 | 60 | 50 | 600 ms for 100 records |");
        String targets = text.substring(text.indexOf("## Ratios and targets"), text.indexOf("## CPU per row"));
        assertThat(targets).as("the ratios have their own table, then the targets")
                .containsOnlyOnce("| Target | Goal | Measured | Met |")
                .contains("| Sluice ÷ tuned Flink | not measured |")
                .contains("| Sluice ÷ tutorial | 5.00× |")
                .contains("| Sluice ÷ ceiling | 0.20× |")
                .contains("| Sluice's engine CPU per row (full speed) vs tuned Flink's | ≤ ½ × Flink's | not measured (Flink CPU figure missing) | **no** |")
                .contains("| Engine CPU of one default micro-batch | ≤ 100 ms | 480 ms (100 records, median of 9) | **no** |")
                .contains("| Sluice ÷ tuned Flink, rows/s | ≥ 1.5× | not measured | **no** |")
                .contains("| Sluice ÷ tutorial, rows/s | ≥ 2.0× | 5.00× (10,000 vs 2,000 rows/s) | yes |")
                .contains("| p99 event-to-row at half load | ≤ trigger + 1 s = 3,000 ms | 2,900 ms | yes |")
                .contains("| Flood: rows lost | 0 | 0 | yes |")
                .contains("| Default writer (`driver`) beats the connector writer, both at the other defaults (rows/s, "
                        + "engine CPU per batch) | ≥, ≤ | 500 vs 400 rows/s; 480 ms vs 600 ms per batch | yes |");
        assertThat(text).contains("| 4d | " + FlinkStage.NAME + " | not measured |");
        assertThat(text).as("a drain whose rows could not be counted keeps its rate")
                .contains("| 4b | Sluice with its defaults | **500 rows/s** |").contains("not verified");
    }

    @Test
    void pauseAndNeighbourHaveTheirSectionsChartsAndIssue15Targets() throws Exception {
        Path md = dir.resolve("BENCHMARKS.md");
        MarkdownReport.write(sample(), md, dir.resolve("r/flood.png"), dir.resolve("r/bench.json"));
        String text = Files.readString(md);
        assertThat(text).contains("](r/pause.png)", "](r/neighbour.png)")
                .contains("| 8 | Pause: Cassandra stopped mid-drain | **0 rows lost**, **0 failed queries**; back to 80 % of "
                        + "the pre-pause rate **6 s** after the resume |")
                .contains("| Neighbour + Sluice adaptive | 3.0 ms | 1.5× | 7,000 | 10 s |")
                .contains("Sluice drains the first 1,000 records: static 9,000 rows/s, adaptive 7,000 rows/s beside it; "
                        + "without it (the first 3,000) static 10,000, adaptive 9,500 rows/s")
                .contains("| Neighbour p99 beside Sluice adaptive | ≤ 2 × idle = 4.0 ms | 3.0 ms (1.5×) | yes |")
                .contains("| Neighbour p99 beside Sluice with a high static cap (for comparison) | ≤ 2 × idle = 4.0 ms "
                        + "| 6.0 ms (3.0×) | **no** |")
                .contains("| Adaptive drain without the neighbour ÷ the rate with the cap off | ≥ 90 % | 95 % (9,500 vs "
                        + "10,000 rows/s) | yes |")
                .contains("| Pause: rows lost | 0 | 0 | yes |", "| Pause: failed queries | 0 | 0 | yes |")
                .contains("| Pause: back to ≥ 80 % of the pre-pause write rate | ≤ 30 s after the resume | 6 s | yes |")
                .contains("| With defaults (the defaults stage): write timeouts, query restarts | 0, 0 | 3, 0 (driver "
                        + "writer) | **no** |");
    }

    @Test
    void benchJsonHoldsThePauseAndNeighbourFiguresAndEachDrainsFaults() throws Exception {
        Path json = dir.resolve("r/bench.json");
        JsonReport.write(sample(), json);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(tree.at("/pause/rowsLost").isNumber()).as("pause: %s", tree.path("pause")).isTrue();
        assertThat(tree.at("/pause/recoverySeconds").asDouble()).isEqualTo(6);
        assertThat(tree.at("/pause/samples").size()).isEqualTo(4);
        assertThat(tree.at("/neighbour/adaptiveQuiet/drainRowsPerSecond").asDouble()).isEqualTo(9_500);
        assertThat(tree.at("/neighbour/quietRecords").asLong()).isEqualTo(3_000);
        assertThat(tree.at("/neighbour/staticCap/seconds").size()).isEqualTo(2);
        assertThat(tree.at("/sluiceDefaults/faults/writeTimeouts").asLong()).isEqualTo(3);
        assertThat(tree.at("/flink/engineCpu/engineColdMicrosPerRow").asDouble()).isEqualTo(180);
    }

    private static Map<String, JvmCpu> jvms(Object... labelsAndFigures) {
        Map<String, JvmCpu> jvms = new LinkedHashMap<>();
        for (int i = 0; i < labelsAndFigures.length; i += 2) {
            jvms.put((String) labelsAndFigures[i], (JvmCpu) labelsAndFigures[i + 1]);
        }
        return jvms;
    }

    @Test
    void cpuSectionShowsEachStagesMicrosPerRowAndTheBudgetFromThoseFiguresOnly() throws Exception {
        Path md = dir.resolve("BENCHMARKS.md");
        MarkdownReport.write(sample(), md, dir.resolve("r/flood.png"), dir.resolve("r/bench.json"));
        String text = Files.readString(md);
        String cpu = text.substring(text.indexOf("## CPU per row"), text.indexOf("## Flood"));
        assertThat(cpu).as("one row per measured stage: Cassandra, Kafka, Spark and bench µs/row, total, machine busy")
                .contains("| Cassandra write ceiling, 512 in flight | 1,000 | 0.0 s | 25 | 0.1 | – | 12 | 37 | 1.90 of 2 cores |")
                .contains("| Sluice at full speed | 1,000 | 0.1 s | 30 | – | ≥ 60 | – | 90 | 2.00 of 2 cores |");
        // 2 cores = 2,000,000 µs/s; 85 % of 50,000 rows/s = 42,500 rows/s -> 47.06 µs per row; minus Cassandra's 25.
        assertThat(cpu).as("the budget sentence is worked out from the measured figures")
                .contains("25 µs of CPU per row (at 50,000 rows/s)")
                .contains("2 cores give 2,000,000 µs of CPU per second")
                .contains("at 42,500 rows/s (85 % of 50,000)", "**47 µs per row**")
                .contains("47 − 25 = **22 µs per row**")
                .contains("Sluice's Spark JVM** at full speed: **60 µs per row**, 272 % of what is left")
                .contains("The baseline's Spark JVM**: not measured");
    }

    @Test
    void aRerunKeepsTheHandWrittenChangesSection() throws Exception {
        Path md = dir.resolve("again/BENCHMARKS.md");
        Path results = dir.resolve("again/r");
        Files.createDirectories(results);
        Files.writeString(results.resolve(MarkdownReport.CHANGES_FILE), "## Changes that closed the gap\n\n- parse once: 2x\n");
        MarkdownReport.write(sample(), md, results.resolve("flood.png"), results.resolve("bench.json"));
        MarkdownReport.write(sample(), md, results.resolve("flood.png"), results.resolve("bench.json"));
        String text = Files.readString(md);
        assertThat(text).as("the generated report embeds changes.md once, after the generated sections")
                .containsOnlyOnce("## Changes that closed the gap").endsWith("- parse once: 2x\n")
                .contains(MarkdownReport.SECTIONS);
    }

    @Test
    void chartIsAReadablePng() throws Exception {
        Path png = dir.resolve("flood.png");
        FloodChart.write(sample().flood(), png);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isPositive();
    }

    @Test
    void peakOverAWindowAveragesConsecutiveSeconds() {
        List<FloodSample> samples = List.of(rate(0), rate(400), rate(0), rate(200), rate(200));
        assertThat(FloodStage.peak(samples, 1)).isEqualTo(400);
        assertThat(FloodStage.peak(samples, 2)).isEqualTo(200);
    }

    private static FloodSample rate(double writes) {
        return new FloodSample(0, 0, 0, 0, 0, 0, 0, writes, 0);
    }
}
