package io.sluice.ingest.source.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.SourceHarness;
import io.sluice.ingest.source.push.ThirdPartyFeed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The WebSocket source against a feed that numbers its own messages and interleaves messages that are not records. */
class WebSocketFeedTest {

    private static Map<String, String> config(ThirdPartyFeed feed, String... overrides) {
        Map<String, String> config = new HashMap<>(Map.of("source.type", "websocket", "source.url", feed.url(),
                "source.records_path", "", "record.key", "id", "source.position_path", "seq",
                "source.resume_param", "since", "source.control_path", "type", "source.control_values", "heartbeat,ack",
                "source.ping_interval", "100ms", "source.idle_timeout", "500ms"));
        config.put("source.reconnect_min", "10ms");
        config.put("source.reconnect_max", "50ms");
        for (int i = 0; i < overrides.length; i += 2) {
            config.put(overrides[i], overrides[i + 1]);
        }
        return config;
    }

    private static List<Long> seqs(List<SourceRecord> records) {
        return records.stream().map(r -> Long.parseLong(r.position().value())).toList();
    }

    @Test
    void everyRecordArrivesOnceByTheFeedsOwnSeqAcrossResetsGoodbyesAndASilentSpell() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.WEBSOCKET, 2000, 150, 3, 97)) {
            WebSocketSource source = new WebSocketSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(config(feed)), source).start()) {
                long wanted = 2000 - 2000 / 97;
                harness.collect((int) wanted, Duration.ofSeconds(60));

                List<Long> expected = LongStream.rangeClosed(ThirdPartyFeed.FIRST_SEQ, feed.lastSeq())
                        .filter(seq -> !feed.isKeyless(seq)).boxed().toList();
                assertThat(seqs(harness.records())).as("every keyed message exactly once, in the feed's order, "
                        + "though heartbeats carry bigger numbers and connections dropped").isEqualTo(expected);
                assertThat(harness.rejected()).filteredOn(r -> r.rejection().reason().equals("ingest:no_key"))
                        .extracting(r -> Long.parseLong(r.position().value()))
                        .as("every keyless message was rejected once, at its own position")
                        .containsExactlyElementsOf(feed.keylessSeqs());
                assertThat(harness.rejected()).filteredOn(r -> r.rejection().reason().equals("ingest:not_json"))
                        .as("status lines were rejected with their own bytes")
                        .isNotEmpty()
                        .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                                .isEqualTo(ThirdPartyFeed.STATUS_LINE));
                assertThat(source.ignoredCounts()).as("control messages were ignored and counted")
                        .containsKeys("control:heartbeat", "control:ack");
                assertThat(feed.resets()).as("the feed reset connections").isPositive();
                assertThat(feed.goodbyes()).as("the feed closed connections properly").isPositive();
                assertThat(feed.silentSpellDone()).as("the feed went silent once").isTrue();
                assertThat(source.reconnectsByCause()).as("reconnects counted by cause")
                        .containsKeys(PushSource.Cause.CLOSED, PushSource.Cause.IDLE);
                assertThat(feed.resumedAfter.subList(1, feed.resumedAfter.size()))
                        .as("every reconnect named the last seq received in `since`").doesNotContain("");
            }
        }
    }

    @Test
    void aFullQueueIsNotAnIdleFeed() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.WEBSOCKET, 5000, 0, 0, 0)) {
            WebSocketSource source = new WebSocketSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(config(feed,
                    "producer.queue_capacity", "20", "source.idle_timeout", "300ms")), source).start()) {
                assertThat(harness.pollOnce(Duration.ofSeconds(10))).as("the feed started").isNotEmpty();
                Thread.sleep(1500); // nobody polls for five idle timeouts: the source must wait, not reconnect
                assertThat(source.reconnectsByCause()).as("backpressure never counted as an idle feed").isEmpty();

                List<SourceRecord> records = harness.collect(500, Duration.ofSeconds(30));
                assertThat(seqs(records)).as("nothing lost while the queue was full")
                        .startsWith(LongStream.range(1000, 1500).boxed().toArray(Long[]::new));
            }
        }
    }

    @Test
    void aRestartResumesAfterTheCommittedSeqInTheQueryParameter() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.WEBSOCKET, 100, 0, 0, 0)) {
            WebSocketSource source = new WebSocketSource(io.sluice.ingest.source.SourcePosition.of("1041"));
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(config(feed)), source).start()) {
                List<SourceRecord> records = harness.collect(58, Duration.ofSeconds(30));
                assertThat(feed.resumedAfter).as("the first connect asked for what follows the committed seq")
                        .first().isEqualTo("1041");
                assertThat(seqs(records)).first().isEqualTo(1042L);
            }
        }
    }

    @Test
    void thePositionCanGoInTheSubscribeMessage() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.WEBSOCKET, 10, 0, 0, 0)) {
            WebSocketSource source = new WebSocketSource(io.sluice.ingest.source.SourcePosition.of("1003"));
            Map<String, String> config = config(feed, "source.subscribe_message", "{\"op\":\"subscribe\",\"since\":${position}}",
                    "source.initial_position", "0");
            config.remove("source.resume_param");
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(config), source).start()) {
                harness.collect(1, Duration.ofSeconds(30));
                assertThat(feed.subscribeMessages).as("the placeholder carried the committed seq")
                        .first().isEqualTo("{\"op\":\"subscribe\",\"since\":1003}");
            }
        }
    }
}
