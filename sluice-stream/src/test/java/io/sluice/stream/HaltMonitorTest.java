package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.HaltWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaltMonitorTest {
    private static final Map<String, Long> REASONS = Map.of("rule:email_format", 60L);

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void haltsOnlyOnceTheWholeWindowIsAboveTheLimit() {
        HaltMonitor monitor = new HaltMonitor(0.5, HaltWindow.parse("3"), 100, new ManualClock());
        monitor.record(100, 60, REASONS);
        monitor.record(100, 60, REASONS);
        assertThatThrownBy(() -> monitor.record(100, 60, REASONS))
                .isInstanceOf(DataQualityHaltException.class)
                .hasMessageContaining("60% of the 300 records in the last 3 micro-batches")
                .hasMessageContaining("rule:email_format (180)");
    }

    @Test
    void aGoodBatchInTheWindowKeepsTheRatioDown() {
        HaltMonitor monitor = new HaltMonitor(0.5, HaltWindow.parse("3"), 100, new ManualClock());
        monitor.record(100, 90, REASONS);
        monitor.record(200, 0, Map.of());
        assertThatCode(() -> monitor.record(100, 90, REASONS)).doesNotThrowAnyException();
    }

    @Test
    void tooFewRowsNeverHalt() {
        HaltMonitor monitor = new HaltMonitor(0.5, HaltWindow.parse("1"), 100, new ManualClock());
        assertThatCode(() -> monitor.record(3, 3, REASONS)).doesNotThrowAnyException();
    }

    @Test
    void ratioOneNeverHalts() {
        HaltMonitor monitor = new HaltMonitor(1.0, HaltWindow.parse("1"), 1, new ManualClock());
        assertThatCode(() -> monitor.record(500, 500, REASONS)).doesNotThrowAnyException();
    }

    @Test
    void timeWindowWaitsUntilItHasSeenTheWholeSpan() {
        ManualClock clock = new ManualClock();
        HaltMonitor monitor = new HaltMonitor(0.5, HaltWindow.parse("1m"), 100, clock);
        monitor.record(500, 400, REASONS);
        clock.advance(Duration.ofSeconds(30));
        monitor.record(500, 400, REASONS);
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> monitor.record(500, 400, REASONS)).hasMessageContaining("the last 1m");
    }
}
