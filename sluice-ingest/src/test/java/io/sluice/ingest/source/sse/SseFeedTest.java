package io.sluice.ingest.source.sse;

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

/** The SSE source against a feed with its own event ids, ping events, keepalives and non-JSON data. */
class SseFeedTest {

    private static Map<String, String> config(ThirdPartyFeed feed, String... overrides) {
        Map<String, String> config = new HashMap<>(Map.of("source.type", "sse", "source.url", feed.url(),
                "source.records_path", "", "record.key", "id", "source.event_types", "user",
                "source.idle_timeout", "500ms", "source.reconnect_min", "10ms", "source.reconnect_max", "50ms"));
        for (int i = 0; i < overrides.length; i += 2) {
            config.put(overrides[i], overrides[i + 1]);
        }
        return config;
    }

    private static List<Long> seqs(List<SourceRecord> records) {
        return records.stream().map(r -> Long.parseLong(r.position().value())).toList();
    }

    @Test
    void everyRecordArrivesOnceAcrossResetsEndsOfStreamAndASilentSpell() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.SSE, 2000, 150, 3, 97)) {
            SseSource source = new SseSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(config(feed)), source).start()) {
                harness.collect(2000 - 2000 / 97, Duration.ofSeconds(60));

                List<Long> expected = LongStream.rangeClosed(ThirdPartyFeed.FIRST_SEQ, feed.lastSeq())
                        .filter(seq -> !feed.isKeyless(seq)).boxed().toList();
                assertThat(seqs(harness.records())).as("every keyed event exactly once, in the feed's order")
                        .isEqualTo(expected);
                assertThat(harness.rejected()).filteredOn(r -> r.rejection().reason().equals("ingest:no_key"))
                        .extracting(r -> Long.parseLong(r.position().value()))
                        .as("every keyless event was rejected once, at its own id")
                        .containsExactlyElementsOf(feed.keylessSeqs());
                assertThat(harness.rejected()).filteredOn(r -> r.rejection().reason().equals("ingest:not_json"))
                        .as("status lines were rejected with their own bytes").isNotEmpty()
                        .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                                .isEqualTo(ThirdPartyFeed.STATUS_LINE));
                assertThat(source.ignoredCounts()).as("ping events were ignored and counted").containsKey("event:ping");
                assertThat(feed.resets()).as("the feed reset connections").isPositive();
                assertThat(feed.goodbyes()).as("the feed ended streams properly").isPositive();
                assertThat(feed.silentSpellDone()).as("the feed went silent once").isTrue();
                assertThat(source.reconnectsByCause()).as("reconnects counted by cause")
                        .containsKeys(PushSource.Cause.CLOSED, PushSource.Cause.IDLE);
                assertThat(harness.errors).as("ignored event types are not warned about")
                        .noneMatch(e -> e.contains("ping"));
            }
        }
    }

    @Test
    void aFullQueueIsNotAnIdleFeed() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.SSE, 5000, 0, 0, 0)) {
            SseSource source = new SseSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(config(feed,
                    "producer.queue_capacity", "20", "source.idle_timeout", "300ms")), source).start()) {
                assertThat(harness.pollOnce(Duration.ofSeconds(10))).as("the feed started").isNotEmpty();
                Thread.sleep(1500); // nobody polls for five idle timeouts: the source must wait, not reconnect
                assertThat(source.reconnectsByCause()).as("backpressure never counted as an idle feed").isEmpty();
            }
        }
    }

    @Test
    void aRestartSendsTheCommittedIdAsLastEventId() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.SSE, 100, 0, 0, 0)) {
            SseSource source = new SseSource(io.sluice.ingest.source.SourcePosition.of("1041"));
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(config(feed)), source).start()) {
                List<SourceRecord> records = harness.collect(58, Duration.ofSeconds(30));
                assertThat(feed.resumedAfter).first().isEqualTo("1041");
                assertThat(seqs(records)).first().isEqualTo(1042L);
            }
        }
    }
}
