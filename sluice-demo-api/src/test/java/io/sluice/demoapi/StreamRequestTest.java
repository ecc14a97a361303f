package io.sluice.demoapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamRequestTest {

    private static final DemoApiSettings DEFAULTS = new DemoApiSettings(
            "42", 10, -1, Duration.ofSeconds(5), Duration.ofSeconds(1), FaultSpec.NONE);

    @Test
    void defaultsApplyWhenNoParametersAreGiven() {
        StreamRequest request = StreamRequest.parse(name -> null, null, DEFAULTS);

        assertThat(request).isEqualTo(new StreamRequest("42", 0, 10, -1, -1, FaultSpec.NONE));
        assertThat(request.exhausted()).isFalse();
    }

    @Test
    void lastEventIdWinsOverFromBecauseReconnectingClientsKeepTheirUrl() {
        StreamRequest request = StreamRequest.parse(Map.of("from", "3")::get, "41", DEFAULTS);

        assertThat(request.from()).as("resume after event 41").isEqualTo(42);
    }

    @Test
    void limitAndTotalBoundTheStream() {
        StreamRequest request = StreamRequest.parse(Map.of("from", "8", "limit", "5", "total", "10")::get, null, DEFAULTS);

        assertThat(request.wants(1)).isTrue();
        assertThat(request.wants(2)).as("index 10 is past total=10").isFalse();
        assertThat(StreamRequest.parse(Map.of("from", "10", "total", "10")::get, null, DEFAULTS).exhausted()).isTrue();
    }

    @Test
    void everyBadParameterIsReportedAtOnce() {
        Map<String, String> query = Map.of("from", "-1", "rate", "fast", "limit", "x", "fail", "boom");

        assertThatThrownBy(() -> StreamRequest.parse(query::get, "abc", DEFAULTS))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("from must be >= 0, got -1")
                .hasMessageContaining("rate must be a number, got 'fast'")
                .hasMessageContaining("limit must be a whole number, got 'x'")
                .hasMessageContaining("Last-Event-ID must be a whole number, got 'abc'")
                .hasMessageContaining("fail:");
    }
}
