package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The closed-loop write control keys ({@code sink.adaptive.*}, {@code sink.write_retry_timeout}). */
class AdaptiveConfigTest {

    private static PipelineConfig parse(Map<String, String> overrides) {
        return PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, overrides);
    }

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static void assertRejected(Map<String, String> overrides, String key, String message) {
        assertThatThrownBy(() -> parse(overrides))
                .as("the pipeline is rejected naming `%s`", key)
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigProblem::key).contains(key);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void adaptiveIsOnByDefaultWithATargetFromTheBaseline() {
        PipelineConfig config = parse(Map.of());
        assertThat(config.sinkAdaptive()).isTrue();
        assertThat(config.sinkAdaptiveLatencyTarget()).as("unset: derived from the measured baseline").isNull();
        assertThat(config.sinkAdaptiveBaselineMultiple()).isEqualTo(3.0);
        assertThat(config.sinkAdaptiveMinConcurrency()).isEqualTo(4);
        assertThat(config.sinkAdaptiveMinRowsPerSecond()).isEqualTo(100.0);
        assertThat(config.sinkWriteRetryTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aFixedTargetAndOffAreAccepted() {
        PipelineConfig config = parse(with("sink.adaptive", "false", "sink.adaptive.latency_target", "25ms"));
        assertThat(config.sinkAdaptive()).isFalse();
        assertThat(config.sinkAdaptiveLatencyTarget()).isEqualTo(Duration.ofMillis(25));
    }

    @Test
    void tinyLatencyTargetIsRejected() {
        assertRejected(with("sink.adaptive.latency_target", "0s"), "sink.adaptive.latency_target", "must be at least 1ms");
    }

    @Test
    void baselineMultipleAtOrBelowOneIsRejected() {
        assertRejected(with("sink.adaptive.baseline_multiple", "1"), "sink.adaptive.baseline_multiple", "between 1.1 and 100");
    }

    @Test
    void tinyRetryTimeoutIsRejected() {
        assertRejected(with("sink.write_retry_timeout", "10ms"), "sink.write_retry_timeout", "must be at least 1s");
    }
}
