package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys and cross-key rules of the push sources ({@code sse}, {@code websocket}). */
class PushSourceConfigTest {

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
    void defaultsAreBounded() {
        PipelineConfig config = parse(with("source.type", "sse"));
        assertThat(config.sourceStallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.sourceReconnectMin()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.sourceReconnectMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.sourcePingInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.sourceSubscribeMessage()).isNull();
        assertThat(config.sourceResumeParam()).isNull();
    }

    @Test
    void websocketAcceptsWsUrlsAndItsOwnKeys() {
        PipelineConfig config = parse(with("source.type", "websocket", "source.url", "wss://example.org/stream",
                "source.subscribe_message", "{\"op\":\"subscribe\"}", "source.resume_param", "from",
                "source.position_path", "seq"));
        assertThat(config.sourceType()).isEqualTo("websocket");
        assertThat(config.sourceSubscribeMessage()).isEqualTo("{\"op\":\"subscribe\"}");
        assertThat(config.sourceResumeParam()).isEqualTo("from");
    }

    @Test
    void unknownSourceTypeIsRejected() {
        assertRejected(with("source.type", "kinesis"), "source.type", "must be one of rest_poll, sse, websocket, mqtt, grpc");
    }

    @Test
    void sseNeedsAnHttpUrl() {
        assertRejected(with("source.type", "sse", "source.url", "ws://127.0.0.1:1/stream"),
                "source.url", "must use http or https for `source.type` sse, got 'ws://127.0.0.1:1/stream'");
    }

    @Test
    void websocketNeedsAWsUrl() {
        assertRejected(with("source.type", "websocket"),
                "source.url", "must use ws or wss for `source.type` websocket");
    }

    @Test
    void restPollNeedsAnHttpUrl() {
        assertRejected(with("source.url", "wss://127.0.0.1:1/stream"), "source.url", "must use http or https");
    }

    @Test
    void reconnectMaxBelowMinIsRejectedNamingBoth() {
        assertRejected(with("source.reconnect_min", "2s", "source.reconnect_max", "1s"),
                "source.reconnect_max", "must be at least `source.reconnect_min` (2s), got '1s'");
    }

    @Test
    void tinyStallTimeoutIsRejected() {
        assertRejected(with("source.stall_timeout", "10ms"), "source.stall_timeout", "must be at least 100ms");
    }

    @Test
    void zeroReconnectMinIsRejected() {
        assertRejected(with("source.reconnect_min", "0s"), "source.reconnect_min", "must be at least 1ms");
    }

    @Test
    void websocketPingMustComeBeforeTheStallTimeout() {
        assertRejected(with("source.type", "websocket", "source.url", "ws://127.0.0.1:1/s",
                        "source.ping_interval", "30s", "source.stall_timeout", "30s"),
                "source.ping_interval", "must be shorter than `source.stall_timeout` (30s)");
    }

    @Test
    void resumeParamMustBeAParameterName() {
        assertRejected(with("source.resume_param", "from=1&x"), "source.resume_param", "must be a query parameter name");
    }

    private static final String[] WEBSOCKET = {"source.type", "websocket", "source.url", "ws://127.0.0.1:1/s"};

    private static Map<String, String> websocket(String... keyValues) {
        Map<String, String> map = with(WEBSOCKET);
        map.putAll(with(keyValues));
        return map;
    }

    @Test
    void feedPositionKeysAreReadTyped() {
        PipelineConfig config = parse(websocket("source.position_path", "data.seq", "source.resume_param", "since",
                "source.initial_position", "0", "source.idle_timeout", "20s", "source.control_path", "type",
                "source.control_values", "heartbeat, ack"));
        assertThat(config.sourcePositionPath()).isEqualTo("data.seq");
        assertThat(config.sourceInitialPosition()).isEqualTo("0");
        assertThat(config.sourceIdleTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.sourceControlPath()).isEqualTo("type");
        assertThat(config.sourceControlValues()).containsExactly("heartbeat", "ack");
    }

    @Test
    void newPushKeysDefaultToOff() {
        PipelineConfig config = parse(websocket());
        assertThat(config.sourcePositionPath()).isNull();
        assertThat(config.sourceIdleTimeout()).isNull();
        assertThat(config.sourceControlValues()).isEmpty();
        assertThat(config.sourceEventTypes()).isEmpty();
    }

    @Test
    void frameCountingIsAnExplicitFallback() {
        assertThat(parse(websocket("source.position_path", "@frame_index", "source.resume_param", "from"))
                .sourcePositionPath()).isEqualTo(PipelineConfig.FRAME_INDEX);
    }

    @Test
    void resumeParamWithoutAPositionSourceIsRejectedNamingBothKeys() {
        assertRejected(websocket("source.resume_param", "from"), "source.position_path",
                "is required when `source.resume_param` (from) resumes the feed");
    }

    @Test
    void positionPlaceholderWithoutAPositionSourceIsRejectedNamingBothKeys() {
        assertRejected(websocket("source.subscribe_message", "{\"since\":${position}}", "source.initial_position", "0"),
                "source.position_path", "is required when `source.subscribe_message` (its ${position}) resumes");
    }

    @Test
    void positionPlaceholderNeedsAFirstConnectValue() {
        assertRejected(websocket("source.subscribe_message", "{\"since\":${position}}", "source.position_path", "seq"),
                "source.initial_position", "is required when `source.subscribe_message` uses ${position}");
    }

    @Test
    void initialPositionWithoutResumeHasNoEffectAndIsRejected() {
        assertRejected(websocket("source.position_path", "seq", "source.initial_position", "0"),
                "source.initial_position", "has no effect without `source.resume_param`");
    }

    @Test
    void positionPathMustBeAPathOrTheFrameIndex() {
        assertRejected(websocket("source.position_path", "seq[0]"), "source.position_path",
                "must be a dot path to the feed's own message position");
    }

    @Test
    void positionPathBelongsToWebSocket() {
        assertRejected(with("source.type", "sse", "source.position_path", "seq"), "source.position_path",
                "applies only to `source.type` websocket or grpc, not sse");
    }

    @Test
    void eventTypesBelongToSse() {
        assertRejected(websocket("source.event_types", "message"), "source.event_types",
                "applies only to `source.type` sse, not websocket");
    }

    @Test
    void idleTimeoutBelongsToPushSources() {
        assertRejected(with("source.idle_timeout", "10s"), "source.idle_timeout",
                "applies only to `source.type` sse, websocket or grpc, not rest_poll");
    }

    @Test
    void idleTimeoutHasAFloor() {
        assertRejected(websocket("source.idle_timeout", "1ms"), "source.idle_timeout", "must be at least 100ms");
    }

    @Test
    void controlPathNeedsValues() {
        assertRejected(websocket("source.control_path", "type"), "source.control_values",
                "is required when `source.control_path` is set");
    }

    @Test
    void controlValuesNeedAPath() {
        assertRejected(websocket("source.control_values", "heartbeat"), "source.control_path",
                "is required when `source.control_values` is set");
    }
}
