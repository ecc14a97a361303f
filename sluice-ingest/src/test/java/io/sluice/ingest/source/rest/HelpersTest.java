package io.sluice.ingest.source.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.TestConfigs;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small pieces of the REST source: Retry-After, backoff, recent keys, query parameters, schedules. */
class HelpersTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:03Z");

    @Test
    void recentKeysForgetTheLeastRecentlySeenFirst() {
        RecentKeys keys = new RecentKeys(2);
        assertThat(keys.firstSeen("a")).isTrue();
        assertThat(keys.firstSeen("b")).isTrue();
        assertThat(keys.firstSeen("a")).as("a repeat").isFalse();
        assertThat(keys.firstSeen("c")).isTrue(); // evicts b, the least recently seen
        assertThat(keys.firstSeen("a")).isFalse();
        assertThat(keys.firstSeen("b")).as("b was evicted").isTrue();
        assertThat(keys.size()).isEqualTo(2);
        assertThat(new RecentKeys(0).firstSeen("a")).isTrue();
    }

    @Test
    void knownPagesAreBoundedAndForgetAnAnswerWithoutValidators() {
        KnownPages known = new KnownPages(2);
        known.remember("a", new KnownPages.Page("\"a\"", null, null));
        known.remember("b", new KnownPages.Page(null, "Wed, 01 Jan 2025 10:00:00 GMT", null));
        known.get("a"); // a is now more recently used than b
        known.remember("c", new KnownPages.Page("\"c\"", null, null));
        assertThat(known.get("b")).as("the least recently used page is forgotten first").isEmpty();
        assertThat(known.get("a")).isPresent();
        assertThat(known.size()).isEqualTo(2);

        known.remember("a", new KnownPages.Page(null, null, null));
        assertThat(known.get("a")).as("a page answered without validators cannot be asked for conditionally").isEmpty();
    }

    @Test
    void aRestPositionKeepsBothValidatorsThroughThePositionStore() {
        RestPosition position = new RestPosition(null, "http://api/page2", "W/\"x\"", "Wed, 01 Jan 2025 10:00:00 GMT");
        assertThat(RestPosition.from(position.toSourcePosition())).contains(position);
        assertThat(position.withoutValidators()).isEqualTo(new RestPosition(null, "http://api/page2", null, null));
    }

    @Test
    void cronScheduleWaitsForTheNextFireTimeAndIntervalCountsFromTheLastStart() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        PollSchedule cron = PollSchedule.from(TestConfigs.config(Map.of("source.schedule", "*/5 * * * * *")), clock);
        assertThat(cron.firstCycleImmediately()).isFalse();
        assertThat(Duration.ofNanos(cron.nanosUntilNextCycle(0))).isEqualTo(Duration.ofSeconds(2));

        PollSchedule interval = PollSchedule.from(TestConfigs.config(Map.of("source.interval", "10s")), clock);
        assertThat(interval.firstCycleImmediately()).isTrue();
        assertThat(Duration.ofNanos(interval.nanosUntilNextCycle(Duration.ofSeconds(4).toNanos()))).isEqualTo(Duration.ofSeconds(6));
    }
}
