package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Source keys are checked when the pipeline file is loaded, and every problem is reported in one go. */
class SourceConfigValidationTest {

    private static ConfigException rejected(Map<String, String> overrides) {
        Throwable thrown = catchAll(overrides);
        assertThat(thrown).as("the config should have been rejected").isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    private static Throwable catchAll(Map<String, String> overrides) {
        try {
            PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, overrides);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static List<String> keysOf(ConfigException e) {
        return e.problems().stream().map(ConfigProblem::key).toList();
    }

    @Test
    void everyProblemOfABadSourceIsListedAtOnce() {
        Map<String, String> bad = new HashMap<>();
        bad.put("source.urll", "http://127.0.0.1:8088/api/");       // unknown key (typo)
        bad.put("source.url", "not a url");                          // bad URL
        bad.put("producer.records_per_second", "-5");               // negative rate
        bad.put("source.schedule", "*/5 * * * * * * *");            // 8 fields
        ConfigException e = rejected(bad);

        assertThat(keysOf(e)).as("each bad key should be named once")
                .containsExactlyInAnyOrder("source.urll", "source.url", "producer.records_per_second", "source.schedule");
        assertThat(e.getMessage()).as("the unknown key should come with a suggestion")
                .contains("`source.urll` is not a known key; did you mean `source.url`?")
                .contains("`source.url` must be an absolute URL")
                .contains("`producer.records_per_second` must be between 0.001 and 1000000, got '-5'")
                .contains("`source.schedule` must have 6 fields");
    }

    @Test
    void aCronExpressionWithTheRightFieldCountButABadValueIsRejected() {
        ConfigException e = rejected(Map.of("source.schedule", "*/5 * 25 * * *"));
        assertThat(keysOf(e)).containsExactly("source.schedule");
        assertThat(e.getMessage()).contains("`source.schedule` is not a valid cron expression");
    }

    @Test
    void sixFieldAndFiveFieldCronExpressionsAreAccepted() {
        assertThat(PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("source.schedule", "*/5 * * * * *"))
                .sourceSchedule()).isEqualTo("*/5 * * * * *");
        assertThat(PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("source.schedule", "0 */2 * * 1-5"))
                .sourceSchedule()).isEqualTo("0 */2 * * 1-5");
    }

    @Test
    void cursorPaginationNeedsBothPathAndParameter() {
        ConfigException e = rejected(Map.of("source.pagination.cursor_path", "info.next"));
        assertThat(keysOf(e)).containsExactly("source.pagination.cursor_param");
    }

    @Test
    void cursorAndNextLinkPaginationExcludeEachOther() {
        ConfigException e = rejected(Map.of("source.pagination.cursor_path", "info.next",
                "source.pagination.cursor_param", "cursor", "source.pagination.next_link_path", "links.next"));
        assertThat(keysOf(e)).containsExactly("source.pagination.next_link_path");
    }

    @Test
    void mqttNeedsATopicAClientIdAndAnMqttUrl() {
        ConfigException e = rejected(Map.of("source.type", "mqtt"));
        assertThat(keysOf(e)).containsExactlyInAnyOrder("source.url", "source.mqtt.topic", "source.mqtt.client_id");
        assertThat(e.getMessage()).contains("`source.url` must use tcp or mqtt or ssl for `source.type` mqtt");
    }

    @Test
    void aValidMqttSourceLoads() {
        PipelineConfig config = PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("source.type", "mqtt",
                "source.url", "tcp://127.0.0.1:1883", "source.mqtt.topic", "users/#", "source.mqtt.client_id", "sluice-p1"));
        assertThat(config.sourceMqttClientId()).isEqualTo("sluice-p1");
        assertThat(config.sourceMqttSessionExpiry()).hasDays(1);
    }

    @Test
    void aNegativeDedupCacheIsRejected() {
        assertThatThrownBy(() -> PipelineConfigTest.parse(PipelineConfigTest.MINIMAL, Map.of("source.dedup_cache_size", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("`source.dedup_cache_size` must be between 0 and 10000000, got '-1'");
    }
}
