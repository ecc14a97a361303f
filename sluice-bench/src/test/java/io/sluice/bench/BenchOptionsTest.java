package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    private static final Path HOME = Path.of("/repo");

    @Test
    void defaultsWriteTheReportIntoTheCheckoutAndResultsBesideIt() {
        BenchOptions options = BenchOptions.parse(HOME);
        assertThat(options.quick()).isFalse();
        assertThat(options.outDir()).isEqualTo(HOME);
        assertThat(options.resultsDir()).isEqualTo(HOME.resolve("bench-results"));
        assertThat(options.ceilingInFlight()).containsExactly(64, 256, 512);
        assertThat(options.pipelineFile()).isEqualTo(HOME.resolve("pipelines/demo-users.yaml"));
    }

    @Test
    void quickIsSmallerThanTheFullRun() {
        BenchOptions quick = BenchOptions.parse(HOME, "--quick");
        BenchOptions full = BenchOptions.full(HOME);
        assertThat(quick.quick()).isTrue();
        assertThat(quick.records()).isLessThan(full.records());
        assertThat(quick.floodBurst()).isLessThan(full.floodBurst());
    }

    @Test
    void singleSizesCanBeChanged() {
        BenchOptions options = BenchOptions.parse(HOME, "--quick", "--out", "/tmp/x", "--records", "123",
                "--in-flight", "8, 16", "--latency-seconds", "3", "--flood-seconds", "4", "--keep-work-dir", "--flink-in-flight", "64");
        assertThat(options.outDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(options.resultsDir()).isEqualTo(Path.of("/tmp/x/bench-results"));
        assertThat(options.records()).isEqualTo(123);
        assertThat(options.ceilingInFlight()).isEqualTo(List.of(8, 16));
        assertThat(options.latencyDuration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.floodBurst()).isEqualTo(Duration.ofSeconds(4));
        assertThat(options.keepWorkDir()).isTrue();
        assertThat(options.flinkInFlight()).isEqualTo(64);
    }

    @Test
    void onlyRunsTheChosenStagesAndWhatTheyNeed() {
        BenchOptions all = BenchOptions.parse(HOME);
        assertThat(BenchOptions.STAGES).allMatch(all::runs);

        BenchOptions flink = BenchOptions.parse(HOME, "--only", "ceiling, flink");
        assertThat(BenchOptions.STAGES.stream().filter(flink::runs))
                .as("a drain brings the kafka stage that fills its backlog").containsExactly("ceiling", "kafka", "flink");

        BenchOptions latency = BenchOptions.parse(HOME, "--only", "latency");
        assertThat(BenchOptions.STAGES.stream().filter(latency::runs))
                .as("latency runs at half of Sluice's rate, so it brings sluice").containsExactly("kafka", "sluice", "latency");

        BenchOptions defaults = BenchOptions.parse(HOME, "--only", "defaults");
        assertThat(BenchOptions.STAGES.stream().filter(defaults::runs))
                .as("the defaults stage drains the same backlog").containsExactly("kafka", "defaults");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--only", "ceiling,spark"))
                .hasMessageContaining("--only takes stages of " + String.join(",", BenchOptions.STAGES) + ", got 'spark'");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--records", "many"))
                .hasMessageContaining("--records needs a whole number, got 'many'");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--records", "0"))
                .hasMessageContaining("--records must be > 0");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--in-flight", "a,b"))
                .hasMessageContaining("--in-flight needs numbers");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--flink-in-flight", "0"))
                .hasMessageContaining("--flink-in-flight must be > 0, got 0");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--frobnicate")).hasMessageContaining("unknown option '--frobnicate'");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--out")).hasMessageContaining("--out needs a value");
    }
}
