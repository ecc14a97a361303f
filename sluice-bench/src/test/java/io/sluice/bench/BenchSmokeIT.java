package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.stack.SluiceHome;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `sluice bench --quick` against real Kafka, Cassandra and Spark JVMs: every stage runs and every output is written.
 * No timing is asserted (this machine's figures mean nothing at quick sizes); only that the harness measured
 * something in each stage and that no row went missing.
 */
class BenchSmokeIT {

    @TempDir
    Path out;

    @Test
    void quickRunMeasuresEveryStageAndWritesAllOutputs() throws Exception {
        Path results = out.resolve("bench-results");
        BenchOptions options = BenchOptions.quick(SluiceHome.detect().root()).withOutput(out, results);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        int exit = BenchMain.run(options, new PrintStream(console, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8));

        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("exit code of bench --quick; it printed:%n%s%n%s", printed, errors).isEqualTo(BenchMain.OK);
        assertThat(printed).as("the results table is printed at the end").contains("## Results", "Sluice at full speed");

        String markdown = Files.readString(out.resolve(BenchMain.REPORT_FILE));
        assertThat(markdown).as("BENCHMARKS.md has a title and every section")
                .contains(MarkdownReport.TITLE).contains(MarkdownReport.SECTIONS)
                .contains("Cassandra write ceiling", "Kafka produce ceiling", "Naive baseline", "Sluice at full speed",
                        "Latency", "Flood at 10x the write cap", "Peak RSS", "Sluice ÷ ceiling", "Sluice ÷ tutorial",
                        "Sluice with its defaults", "## Engines", FlinkStage.NAME, "Sluice ÷ tuned Flink",
                        Bench.PAUSE_STAGE, "Neighbour p99 beside Sluice adaptive", "Pause: rows lost",
                        "DQ: ");

        JsonNode json = new ObjectMapper().readTree(results.resolve(BenchMain.JSON_FILE).toFile());
        assertThat(json.path("failures").size()).as("stages that failed: %s", json.path("failures")).isZero();
        assertPositive(json, "/ceiling/best/rowsPerSecond");
        assertPositive(json, "/kafka/recordsPerSecond");
        assertPositive(json, "/baseline/rowsPerSecond");
        assertPositive(json, "/sluice/rowsPerSecond");
        assertPositive(json, "/sluiceDefaults/rowsPerSecond");
        assertPositive(json, "/connectorDefaults/rowsPerSecond");
        assertPositive(json, "/ceiling/singleRowBest/rowsPerSecond");
        assertPositive(json, "/ceiling/batchedBest/rowsPerSecond");
        assertThat(json.at("/ceiling/best/rowsPerSecond").asDouble()).as("the ceiling is the better of both ways")
                .isEqualTo(Math.max(json.at("/ceiling/singleRowBest/rowsPerSecond").asDouble(),
                        json.at("/ceiling/batchedBest/rowsPerSecond").asDouble()));
        assertPositive(json, "/flink/rowsPerSecond");
        assertPositive(json, "/ratios/sluiceOverFlink");
        assertPositive(json, "/ratios/sluiceOverCeiling");
        assertPositive(json, "/ratios/sluiceOverBaseline");
        assertPositive(json, "/latency/p50Ms");
        assertPositive(json, "/latency/p99Ms");
        assertPositive(json, "/latency/maxMs");
        assertPositive(json, "/flood/writeCapRowsPerSecond");
        assertPositive(json, "/flood/drainSeconds");
        assertPositive(json, "/flood/idleProbeP99Ms");
        assertPositive(json, "/flood/floodProbeP99Ms");
        assertThat(json.at("/flood/samples").size()).as("flood samples, one a second").isPositive();

        long backlog = json.at("/kafka/records").asLong();
        assertThat(json.at("/baseline/rowsInTable").asLong()).as("rows the baseline left in its table").isEqualTo(backlog);
        assertThat(json.at("/sluice/rowsInTable").asLong()).as("rows Sluice left in its table").isEqualTo(backlog);
        assertThat(json.at("/sluiceDefaults/rowsInTable").asLong()).as("rows Sluice with its defaults left in its table")
                .isEqualTo(backlog);
        assertThat(json.at("/connectorDefaults/rowsInTable").asLong())
                .as("rows Sluice with its defaults but the connector writer left in its table").isEqualTo(backlog);
        assertThat(json.at("/sluiceDefaults/settings/sink.writer").asText()).as("the default writer")
                .isEqualTo("driver");
        assertThat(json.at("/flink/rowsInTable").asLong()).as("rows the Flink peer left in its table").isEqualTo(backlog);
        assertThat(json.at("/flood/rowsLost").asLong()).as("rows lost in the flood").isZero();
        assertThat(json.at("/pause/rowsLost").asLong()).as("rows lost across the pause: %s", json.path("pause")).isZero();
        assertThat(json.at("/pause/rowsInTable").asLong()).as("pause rows in the table")
                .isEqualTo(json.at("/pause/produced").asLong());
        assertThat(json.at("/pause/exitCode").asInt()).as("the pause drain's exit code").isZero();
        assertThat(json.at("/pause/samples").size()).as("pause samples, one a second").isPositive();
        for (String run : new String[] {"staticQuiet", "adaptiveQuiet", "staticCap", "adaptive"}) {
            assertPositive(json, "/neighbour/" + run + "/drainRowsPerSecond");
        }
        assertPositive(json, "/neighbour/alone/neighbourP99Ms");
        assertPositive(json, "/neighbour/adaptive/neighbourP99Ms");
        assertThat(json.at("/flood/rowsInTable").asLong()).as("flood rows in the table")
                .isEqualTo(json.at("/flood/produced").asLong());

        if (Files.isReadable(Path.of("/proc/self/stat"))) {
            JsonNode cpu = json.path("cpu");
            assertThat(cpu.isObject()).as("bench.json has a cpu section: %s", cpu).isTrue();
            assertPositive(json, "/cpu/ceiling/jvms/Cassandra/cpuSeconds");
            assertPositive(json, "/cpu/ceiling/jvms/Cassandra/microsPerRow");
            assertPositive(json, "/cpu/ceiling/rows");
            assertPositive(json, "/cpu/ceiling/windowSeconds");
            assertPositive(json, "/cpu/ceiling/machineBusyCores");
            for (String stage : new String[] {"kafka", "baseline", "sluice", "sluiceDefaults", "flink"}) {
                assertThat(cpu.path(stage).path("jvms").size()).as("JVMs with CPU figures in stage %s: %s", stage,
                        cpu.path(stage)).isPositive();
            }
            assertThat(cpu.at("/sluice/jvms/engine JVM/cpuSeconds").isNumber())
                    .as("Sluice's Spark JVM has CPU seconds: %s", cpu.path("sluice")).isTrue();
            assertPositive(json, "/sluice/engineCpu/engineColdMicrosPerRow");
            assertPositive(json, "/sluiceDefaults/engineCpu/engineColdMicrosPerRow");
            // 1,000 records a micro-batch over the quick backlog: several batches, so warm figures exist.
            assertPositive(json, "/sluiceDefaults/engineCpu/engineWarmMicrosPerRow");
            assertPositive(json, "/sluiceDefaults/engineCpu/batchCpuMsMedian");
            assertThat(cpu.at("/flink/jvms/engine JVM/cpuSeconds").isNumber())
                    .as("the Flink JVM has CPU seconds: %s", cpu.path("flink")).isTrue();
            assertPositive(json, "/flink/engineCpu/engineColdMicrosPerRow");
            assertThat(markdown).as("BENCHMARKS.md has the CPU per row table and the budget")
                    .contains("| Stage | Rows | Window | Cassandra |", "**Budget at 85 % of the ceiling**");
        }

        JsonNode rss = json.path("peakRssMb");
        assertThat(rss.size()).as("peak RSS of the bench JVM, Kafka, Cassandra, six Spark JVMs (tutorial, full "
                + "speed, both defaults, latency, flood) and the Flink JVM: %s", rss).isEqualTo(10);
        rss.forEach(mb -> assertThat(mb.asDouble()).as("peak RSS in MB").isPositive());

        BufferedImage chart = ImageIO.read(results.resolve(BenchMain.CHART_FILE).toFile());
        assertThat(chart).as("flood.png is a readable image").isNotNull();
        assertThat(chart.getWidth()).as("flood.png width").isPositive();
        for (String png : new String[] {BenchMain.PAUSE_CHART_FILE, BenchMain.NEIGHBOUR_CHART_FILE}) {
            assertThat(ImageIO.read(results.resolve(png).toFile())).as("%s is a readable image", png).isNotNull();
        }
    }

    private static void assertPositive(JsonNode json, String pointer) {
        JsonNode value = json.at(pointer);
        assertThat(value.isNumber()).as("%s is a number, got %s", pointer, value).isTrue();
        assertThat(value.asDouble()).as("%s", pointer).isPositive();
    }
}
