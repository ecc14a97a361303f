package io.sluice.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.source.SourceContractKit;
import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The push-source part of the contract, on top of {@link SourceContractKit}, against a {@link ThirdPartyFeed}: every
 * record once by the feed's own seq across resets, proper closes and a silent spell; what is not a record either
 * ignored on purpose and counted, or rejected in place; a live feed without records reconnected as idle; a full queue
 * never taken for an idle feed. A subclass names its protocol and the source keys that read the feed.
 */
public abstract class PushSourceContractKit extends SourceContractKit {
    private static final Map<String, String> FAST_RECONNECTS = Map.of("source.idle_timeout", "500ms",
            "source.reconnect_min", "10ms", "source.reconnect_max", "50ms");

    protected abstract ThirdPartyFeed.Protocol protocol();

    /** The keys that read {@code feed} ({@code source.type}, {@code source.url}, filters, positions). */
    protected abstract Map<String, String> sourceKeys(ThirdPartyFeed feed);

    /** How the source counts the feed's heartbeats it ignores on purpose, e.g. {@code control:heartbeat}. */
    protected abstract String ignoredHeartbeat();

    @Override
    protected abstract PushSource newSource();

    /** The reason the feed's status line is rejected with: it is not JSON, or for gRPC not a message of the type. */
    protected String unreadableReason() {
        return "ingest:not_json";
    }

    @Override
    protected final Feed feed(Shape shape) throws Exception {
        return over(new ThirdPartyFeed(protocol(), shape == Shape.EMPTY ? 0 : 500, 0, 0, 0));
    }

    @Override
    protected final long orderOf(SourceRecord record) {
        String key = record.key();
        return Long.parseLong(key.substring(key.indexOf('-') + 1));
    }

    private Feed over(ThirdPartyFeed server) {
        return new Feed() {
            @Override
            public Map<String, String> config() {
                return sourceKeys(server);
            }

            @Override
            public byte[] unreadablePayload() {
                return ThirdPartyFeed.STATUS_LINE.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public void close() throws Exception {
                server.close();
            }
        };
    }

    private static List<Long> positions(List<SourceRecord> items) {
        return items.stream().map(r -> Long.parseLong(r.position().value())).toList();
    }

    @Test
    void everyRecordArrivesOnceByTheFeedsSeqAcrossResetsClosesAndASilentSpell() throws Exception {
        PushSource source = newSource();
        try (ThirdPartyFeed server = new ThirdPartyFeed(protocol(), 2000, 150, 3, 97); Feed feed = over(server);
             SourceHarness harness = started(feed, source, null, FAST_RECONNECTS)) {
            harness.collect(2000 - 2000 / 97, Duration.ofSeconds(60));

            List<Long> expected = LongStream.rangeClosed(ThirdPartyFeed.FIRST_SEQ, server.lastSeq())
                    .filter(seq -> !server.isKeyless(seq)).boxed().toList();
            assertThat(positions(harness.records())).as("every keyed message exactly once, in the feed's order, "
                    + "though heartbeats carry other numbers and connections dropped").isEqualTo(expected);
            assertThat(positions(harness.rejected().stream()
                    .filter(r -> r.rejection().reason().equals("ingest:no_key")).toList()))
                    .as("every keyless message was rejected once, at its own position")
                    .containsExactlyElementsOf(server.keylessSeqs());
            assertThat(harness.rejected()).filteredOn(r -> r.rejection().reason().equals(unreadableReason()))
                    .as("status lines were rejected with their own bytes").isNotEmpty()
                    .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                            .isEqualTo(ThirdPartyFeed.STATUS_LINE));
            assertThat(source.ignoredCounts()).as("heartbeats were ignored and counted").containsKey(ignoredHeartbeat());
            assertThat(harness.errors).as("what is ignored on purpose is not warned about")
                    .noneMatch(e -> e.contains("heartbeat") || e.contains("ping"));
            assertThat(server.resets()).as("the feed reset connections").isPositive();
            assertThat(server.goodbyes()).as("the feed closed connections properly").isPositive();
            assertThat(server.silentSpellDone()).as("the feed went silent once").isTrue();
            assertThat(source.reconnectsByCause()).as("reconnects counted by cause")
                    .containsKeys(PushSource.Cause.CLOSED, PushSource.Cause.ERROR, PushSource.Cause.IDLE);
            // A connection that drops before its first record has no position to name yet; after that, every one does.
            assertThat(server.resumedAfter.stream().dropWhile(String::isEmpty).toList())
                    .as("every reconnect after the first record named the last position received").doesNotContain("")
                    .hasSizeGreaterThan(1);
        }
    }

    @Test
    void anIdleFeedIsReconnected() throws Exception {
        PushSource source = newSource();
        try (ThirdPartyFeed server = new ThirdPartyFeed(protocol(), 500, 0, 1, 0); Feed feed = over(server);
             SourceHarness harness = started(feed, source, null, Map.of("source.idle_timeout", "500ms",
                     "source.stall_timeout", "10s", "source.ping_interval", "100ms",
                     "source.reconnect_min", "10ms", "source.reconnect_max", "50ms"))) {
            pollUntil(source, items -> harness.reconnects.contains(PushSource.Cause.IDLE), Duration.ofSeconds(30));
            assertThat(harness.reconnects).as("the live but silent feed was reconnected as idle, not as stalled")
                    .contains(PushSource.Cause.IDLE).doesNotContain(PushSource.Cause.STALL);
            assertThat(source.reconnectsByCause()).as("the source counts reconnects by cause")
                    .containsKey(PushSource.Cause.IDLE);
        }
    }

    @Test
    void aFullQueueIsNotAnIdleFeed() throws Exception {
        PushSource source = newSource();
        try (ThirdPartyFeed server = new ThirdPartyFeed(protocol(), 5000, 0, 0, 0); Feed feed = over(server);
             SourceHarness harness = started(feed, source, null, Map.of("producer.queue_capacity", "20",
                     "source.idle_timeout", "300ms", "source.reconnect_min", "10ms", "source.reconnect_max", "50ms"))) {
            assertThat(harness.pollOnce(Duration.ofSeconds(10))).as("the feed started").isNotEmpty();
            Thread.sleep(1500); // nobody polls for five idle timeouts: the source must wait, not reconnect
            assertThat(source.reconnectsByCause()).as("backpressure never counted as an idle feed").isEmpty();
            List<SourceRecord> records = harness.collect(500, Duration.ofSeconds(30));
            assertThat(positions(records)).as("nothing lost while the queue was full")
                    .startsWith(LongStream.range(1000, 1500).boxed().toArray(Long[]::new));
        }
    }
}
