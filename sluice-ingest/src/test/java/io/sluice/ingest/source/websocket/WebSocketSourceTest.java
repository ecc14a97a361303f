package io.sluice.ingest.source.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.push.SourceHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Edges the demo API cannot stage, against hand-written servers: a silent peer, a feed that streams at once. */
class WebSocketSourceTest {

    @Test
    void messagesThatArriveWithTheHandshakeAnswerAreReadWhole() throws Exception {
        int total = 3_000;
        int perConnection = 30;
        // 30 messages of ~1 KiB right behind each of 100 handshake answers. The JDK client (17.0.15) spliced one of
        // them with bytes ~32 KiB later in a run or two of three on a loaded machine (idle, it rarely did); every
        // message must arrive whole, once, in order.
        try (EagerWebSocketServer server = new EagerWebSocketServer(perConnection, total)) {
            WebSocketSource source = new WebSocketSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(Map.of("source.type", "websocket",
                    "source.url", server.url(), "source.records_path", "", "source.position_path", "seq",
                    "source.resume_param", "from", "source.reconnect_min", "10ms", "source.reconnect_max", "50ms")),
                    source).start()) {

                List<SourceRecord> records = harness.collectUntil(
                        () -> harness.records().size() + harness.rejected().size() >= total, Duration.ofSeconds(60));

                assertThat(harness.rejected()).as("no message reached the source spliced or cut").isEmpty();
                assertThat(records).extracting(r -> r.position().value()).as("seq 0..%d, each once, in order", total - 1)
                        .isEqualTo(LongStream.range(0, total).mapToObj(Long::toString).toList());
                assertThat(records).allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .isEqualTo(EagerWebSocketServer.message(Long.parseLong(r.position().value()))));
                assertThat(source.connections()).as("one connection per burst").isGreaterThanOrEqualTo(total / perConnection);
            }
        }
    }

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
