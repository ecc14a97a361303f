package io.sluice.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** A framework stand-in: the config, the resume position, and what the source reports. */
    protected static final class Context implements SourceContext {
        private final PipelineConfig config;
        private final SourcePosition resumeFrom;
        public final List<String> pollErrors = new CopyOnWriteArrayList<>();
        public final List<String> reconnects = new CopyOnWriteArrayList<>();

        public Context(PipelineConfig config, SourcePosition resumeFrom) {
            this.config = config;
            this.resumeFrom = resumeFrom;
        }

        @Override
        public PipelineConfig config() {
            return config;
        }

        @Override
        public void reportPollError(String reason) {
            pollErrors.add(reason);
        }

        @Override
        public void reportReconnect(String cause) {
            reconnects.add(cause);
        }

        @Override
        public Optional<SourcePosition> resumeFrom() {
            return Optional.ofNullable(resumeFrom);
        }
    }

    protected Context context(Feed feed, SourcePosition resumeFrom, Map<String, String> extra) {
        Map<String, String> config = new java.util.HashMap<>(feed.config());
        config.putAll(extra);
        return new Context(TestConfigs.config(config), resumeFrom);
    }

    /** Polls (without committing) until an item matches or the patience runs out; returns every item polled. */
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
        try (Feed feed = feed(Shape.EMPTY)) {
            SourceTask source = newSource();
            source.start(context(feed, null, Map.of()));
            try {
                source.poll(Duration.ofMillis(300)); // the first poll may see what a connect brings (a status line)
                long started = System.nanoTime();
                List<SourceRecord> batch = source.poll(Duration.ofMillis(300));
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(recordsOnly(batch)).as("a feed without records yields no records").isEmpty();
                assertThat(tookMillis).as("poll(300 ms) came back instead of waiting for data that never comes")
                        .isLessThan(5_000);
            } finally {
                source.stop();
            }
        }
    }

    @Test
    void stopFromAnotherThreadUnblocksPoll() throws Exception {
        try (Feed feed = feed(Shape.EMPTY)) {
            SourceTask source = newSource();
            source.start(context(feed, null, Map.of()));
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
            first.start(context(feed, null, Map.of()));
            List<SourceRecord> records;
            try {
                records = recordsOnly(pollUntil(first, items -> recordsOnly(items).size() >= 40, Duration.ofSeconds(30)));
                assertThat(records).as("the feed delivered at least 40 records").hasSizeGreaterThanOrEqualTo(40);
                first.commit(records.get(9).position()); // Kafka acknowledged the first ten only
            } finally {
                first.stop();
            }
            SourceTask second = newSource();
            second.start(context(feed, records.get(9).position(), Map.of()));
            try {
                List<SourceRecord> again = recordsOnly(pollUntil(second, items -> !recordsOnly(items).isEmpty(),
                        Duration.ofSeconds(30)));
                assertThat(again).as("the restarted source delivered records").isNotEmpty();
                assertThat(orderOf(again.get(0))).as("a restart resumes right after the committed record, not after "
                        + "the %s records merely polled", records.size()).isEqualTo(orderOf(records.get(10)));
            } finally {
                second.stop();
            }
        }
    }

    @Test
    void nonRecordInputIsRejectedWithItsOriginalBytes() throws Exception {
        try (Feed feed = feed(Shape.RECORDS)) {
            SourceTask source = newSource();
            source.start(context(feed, null, Map.of()));
            try {
                List<SourceRecord> items = pollUntil(source, got -> got.stream().anyMatch(SourceRecord::isRejected),
                        Duration.ofSeconds(30));
                assertThat(items).as("the unreadable payload came through as a rejected item, not dropped")
                        .filteredOn(SourceRecord::isRejected)
                        .anySatisfy(item -> {
                            assertThat(item.value()).as("a dead letter carries the original bytes")
                                    .isEqualTo(feed.unreadablePayload());
                            assertThat(item.rejection().reason()).startsWith("ingest:");
                        });
            } finally {
                source.stop();
            }
        }
    }
}
