package io.sluice.ingest.source.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.demoapi.DemoApiServer;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.push.SourceHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket source against the real demo API, with faults injected by the server. */
class WebSocketSourceIT {
    private DemoApiServer api;

    @BeforeEach
    void startDemoApi() {
        api = new DemoApiServer().withPort(0).withSeed(42).withRate(0).start();
    }

    @AfterEach
    void stopDemoApi() {
        api.close();
    }

    private SourceHarness harness(String query, WebSocketSource source, String... overrides) {
        Map<String, String> config = new HashMap<>(Map.of("source.type", "websocket",
                "source.url", api.webSocketBaseUrl() + "/stream/ws?" + query, "source.records_path", "",
                "source.position_path", "@frame_index", // the demo API numbers nothing and sends only records
                "source.reconnect_min", "20ms", "source.reconnect_max", "200ms",
                "source.ping_interval", "1s", "source.stall_timeout", "5s"));
        for (int i = 0; i < overrides.length; i += 2) {
            config.put(overrides[i], overrides[i + 1]);
        }
        return new SourceHarness(TestConfigs.config(config), source).start();
    }

    private static List<Long> indexes(List<SourceRecord> records) {
        return records.stream().map(r -> Long.parseLong(r.position().value())).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    @Test
    void withResumeParamEveryMessageArrivesOnceAcrossDrops() throws Exception {
        WebSocketSource source = new WebSocketSource();
        // limit=300 closes every connection normally after 300 users; drop cuts some connections without a close frame.
        try (SourceHarness harness = harness("total=2500&limit=300&fail=drop:0.002", source, "source.resume_param", "from")) {
            List<SourceRecord> records = harness.collect(2500, Duration.ofSeconds(90));

            assertThat(indexes(records)).as("message indexes 0..2499, each exactly once and in order")
                    .isEqualTo(range(0, 2500));
            assertThat(records).extracting(SourceRecord::key).as("2,500 distinct users").doesNotHaveDuplicates();
            assertThat(source.connections()).as("reconnected at least once per 300 messages").isGreaterThanOrEqualTo(9);
            assertThat(harness.errors).isNotEmpty();
            assertThat(source.committedPosition()).contains(SourcePosition.of("2499"));
        }
    }

    @Test
    void restartResumesAfterTheCommittedMessage() throws Exception {
        WebSocketSource source = new WebSocketSource(SourcePosition.of("1999"));
        try (SourceHarness harness = harness("total=2100", source, "source.resume_param", "from")) {
            List<SourceRecord> records = harness.collect(100, Duration.ofSeconds(60));
            assertThat(indexes(records)).isEqualTo(range(2000, 2100));
        }
    }

    @Test
    void pongsKeepAQuietButHealthyConnectionOpen() throws Exception {
        WebSocketSource source = new WebSocketSource();
        // One user every 2 s against a 1 s stall timeout: only the pongs to our 100 ms pings prove it alive.
        try (SourceHarness harness = harness("rate=0.5", source, "source.ping_interval", "100ms",
                "source.stall_timeout", "1s")) {
            List<SourceRecord> records = harness.collect(3, Duration.ofSeconds(30));
            assertThat(indexes(records)).startsWith(range(0, 3).toArray(Long[]::new));
            assertThat(source.connections()).as("never reconnected, yet: %s", harness.errors).isEqualTo(1);
            assertThat(harness.errors).isEmpty();
        }
    }

    @Test
    void aFullBufferStopsReadingInsteadOfGrowing() throws Exception {
        WebSocketSource source = new WebSocketSource();
        try (SourceHarness harness = harness("", source, "producer.queue_capacity", "20")) {
            harness.collect(1, Duration.ofSeconds(30));
            Thread.sleep(1000); // give an unbounded reader every chance to run ahead while nobody polls

            List<SourceRecord> burst = harness.pollOnce(Duration.ofSeconds(5));
            assertThat(burst.size()).as("the source read at most its 20-record buffer while nobody polled, not %s",
                    burst.size()).isLessThanOrEqualTo(20);
            List<SourceRecord> records = harness.collect(1000, Duration.ofSeconds(60));
            assertThat(harness.rejected()).as("no message was rejected").isEmpty();
            assertThat(harness.errors).as("the connection never broke").isEmpty();
            assertThat(indexes(records)).as("demand resumed after the drain, with nothing lost")
                    .startsWith(range(0, 1000).toArray(Long[]::new));
        }
    }

    @Test
    void subscribeMessageAndBinaryFreeServerStillStreams() throws Exception {
        // The demo API ignores what clients send; a subscribe message must not disturb the stream.
        WebSocketSource source = new WebSocketSource();
        try (SourceHarness harness = harness("total=50", source, "source.subscribe_message", "{\"op\":\"subscribe\"}",
                "source.resume_param", "from")) {
            assertThat(indexes(harness.collect(50, Duration.ofSeconds(30)))).isEqualTo(range(0, 50));
        }
    }
}
