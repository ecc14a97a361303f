package io.sluice.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.push.SourceHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The contract every source plug-in keeps (see {@link SourceTask}), as one abstract test class with a small subclass
 * per source kind, after Micrometer's {@code MeterRegistryCompatibilityKit}. A subclass says how to start a test feed
 * of the right shape and how to create its source; the tests here drive the source the way {@code IngestPipeline}
 * does: start, poll from one thread, commit, stop from another.
 */
public abstract class SourceContractKit {

    /** What a test feed must hold. */
    public enum Shape {
        /** No records at all, but a healthy connection or endpoint. */
        EMPTY,
        /** A few hundred records in order, and at least one payload that is not a record. */
        RECORDS
    }

    /** A running test feed for one source kind. */
    public interface Feed extends AutoCloseable {
        /** The source keys that read this feed ({@code source.type}, {@code source.url}, paths, keys). */
        Map<String, String> config();

        /** The exact bytes of one payload in this feed that is not a record, which must be dead-lettered as is. */
        byte[] unreadablePayload();
    }

    protected abstract Feed feed(Shape shape) throws Exception;

    protected abstract SourceTask newSource();

    /** The feed's own order of a record (its sequence number), to tell where a source resumed. */
    protected abstract long orderOf(SourceRecord record);

    /**
     * A started source with the framework's side played by a {@link SourceHarness} (which records what the source
     * reports); {@code resumeFrom} is what the position store hands over, null on a first run.
     */
    protected SourceHarness started(Feed feed, SourceTask source, SourcePosition resumeFrom, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(feed.config());
        config.putAll(extra);
        return new SourceHarness(TestConfigs.config(config), source).resumingFrom(resumeFrom).start();
    }

    /** Polls (without committing) until the items polled satisfy {@code done} or the patience runs out. */
    protected static List<SourceRecord> pollUntil(SourceTask source, Predicate<List<SourceRecord>> done, Duration patience)
            throws InterruptedException {
        List<SourceRecord> items = new ArrayList<>();
        long deadline = System.nanoTime() + patience.toNanos();
        while (!done.test(items) && System.nanoTime() < deadline) {
            items.addAll(source.poll(Duration.ofMillis(100)));
        }
        return items;
    }

    protected static List<SourceRecord> recordsOnly(List<SourceRecord> items) {
        return items.stream().filter(item -> !item.isRejected()).toList();
    }

    @Test
    void pollReturnsWithinItsTimeoutWhenThereIsNoData() throws Exception {
        SourceTask source = newSource();
        try (Feed feed = feed(Shape.EMPTY); SourceHarness ignored = started(feed, source, null, Map.of())) {
            source.poll(Duration.ofMillis(300)); // the first poll may see what a connect brings (a status line)
            long started = System.nanoTime();
            List<SourceRecord> batch = source.poll(Duration.ofMillis(300));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(recordsOnly(batch)).as("a feed without records yields no records").isEmpty();
            assertThat(tookMillis).as("poll(300 ms) came back instead of waiting for data that never comes")
                    .isLessThan(5_000);
        }
    }

    @Test
    void stopFromAnotherThreadUnblocksPoll() throws Exception {
        SourceTask source = newSource();
        try (Feed feed = feed(Shape.EMPTY); SourceHarness ignored = started(feed, source, null, Map.of())) {
            source.poll(Duration.ofMillis(300));
            CompletableFuture<List<SourceRecord>> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return source.poll(Duration.ofMinutes(2));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            source.stop();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).as("a poll blocked for two minutes returned after stop")
                    .isNotNull();
        }
    }

    @Test
    void aPositionAdvancesOnlyOnCommitAndARestartResumesAfterTheCommittedOne() throws Exception {
        try (Feed feed = feed(Shape.RECORDS)) {
            SourceTask first = newSource();
            List<SourceRecord> records;
            try (SourceHarness ignored = started(feed, first, null, Map.of())) {
                records = recordsOnly(pollUntil(first, items -> recordsOnly(items).size() >= 40, Duration.ofSeconds(30)));
                assertThat(records).as("the feed delivered at least 40 records").hasSizeGreaterThanOrEqualTo(40);
                first.commit(records.get(9).position()); // Kafka acknowledged the first ten only
            }
            SourceTask second = newSource();
            try (SourceHarness ignored = started(feed, second, records.get(9).position(), Map.of())) {
                List<SourceRecord> again = recordsOnly(pollUntil(second, items -> !recordsOnly(items).isEmpty(),
                        Duration.ofSeconds(30)));
                assertThat(again).as("the restarted source delivered records").isNotEmpty();
                assertThat(orderOf(again.get(0))).as("a restart resumes right after the committed record, not after "
                        + "the %s records merely polled", records.size()).isEqualTo(orderOf(records.get(10)));
            }
        }
    }

    @Test
    void nonRecordInputIsRejectedWithItsOriginalBytes() throws Exception {
        SourceTask source = newSource();
        try (Feed feed = feed(Shape.RECORDS); SourceHarness ignored = started(feed, source, null, Map.of())) {
            List<SourceRecord> items = pollUntil(source, got -> got.stream().anyMatch(SourceRecord::isRejected),
                    Duration.ofSeconds(30));
            assertThat(items).as("the unreadable payload came through as a rejected item, not dropped")
                    .filteredOn(SourceRecord::isRejected)
                    .anySatisfy(item -> {
                        assertThat(item.value()).as("a dead letter carries the original bytes")
                                .isEqualTo(feed.unreadablePayload());
                        assertThat(item.rejection().reason()).startsWith("ingest:");
                    });
        }
    }
}
