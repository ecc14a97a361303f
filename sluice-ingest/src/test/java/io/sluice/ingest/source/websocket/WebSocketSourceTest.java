package io.sluice.ingest.source.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.push.SourceHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failure handling the demo API cannot stage (its server answers pings), against a hand-written silent server. */
class WebSocketSourceTest {

    @Test
    void silentPeerIsAbandonedAndEveryConnectionIsSubscribedAgain() throws Exception {
        try (SilentWebSocketServer server = new SilentWebSocketServer()) {
            WebSocketSource source = new WebSocketSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(Map.of("source.type", "websocket",
                    "source.url", server.url(), "source.records_path", "", "source.position_path", "@frame_index",
                    "source.subscribe_message", "{\"op\":\"subscribe\"}",
                    "source.ping_interval", "100ms", "source.stall_timeout", "300ms",
                    "source.reconnect_min", "10ms", "source.reconnect_max", "50ms")), source).start()) {

                List<SourceRecord> records = harness.collect(4, Duration.ofSeconds(30));

                assertThat(records).extracting(SourceRecord::key).as("a text message, then a binary one sent in two "
                        + "fragments, per connection").startsWith("text-1", "binary-1", "text-2", "binary-2");
                assertThat(server.subscribeMessages).as("the subscribe message opens every connection")
                        .hasSizeGreaterThanOrEqualTo(2).containsOnly("{\"op\":\"subscribe\"}");
                assertThat(harness.errors).as("the silent connection was given up for a stall, naming the setting")
                        .anySatisfy(e -> assertThat(e).contains("`source.stall_timeout`"));
                assertThat(records).extracting(r -> r.position().value()).as("with the explicit "
                        + "@frame_index fallback, positions count messages").startsWith("0", "1", "2", "3");
            }
        }
    }
}
