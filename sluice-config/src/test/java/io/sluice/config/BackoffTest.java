package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delays are computed, never slept: the random source is a constant. */
class BackoffTest {
    private static final Duration MIN = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(30);

    private static List<Long> delays(Backoff backoff, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(backoff.nextDelay().toMillis());
        }
        return out;
    }

    @Test
    void delaysDoubleUpToTheCapWithTheHighestJitter() {
        Backoff backoff = new Backoff(MIN, MAX, () -> 0.999_999);
        assertThat(delays(backoff, 9)).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    }

    @Test
    void lowestJitterIsHalfTheDelay() {
        Backoff backoff = new Backoff(MIN, MAX, () -> 0.0);
        assertThat(delays(backoff, 3)).containsExactly(250L, 500L, 1000L);
    }

    @Test
    void jitterStaysWithinHalfAndWholeDelay() {
        Backoff backoff = new Backoff(MIN, MAX, () -> 0.5);
        assertThat(delays(backoff, 2)).containsExactly(375L, 750L);
    }

    @Test
    void resetStartsAgainFromTheBase() {
        Backoff backoff = new Backoff(MIN, MAX, () -> 0.999_999);
        delays(backoff, 4);
        backoff.reset();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.nextDelay()).isEqualTo(MIN);
    }

    @Test
    void serverRetryReplacesTheBaseButStaysCapped() {
        Backoff backoff = new Backoff(MIN, MAX, () -> 0.999_999);
        backoff.setBase(Duration.ofMillis(100));
        assertThat(delays(backoff, 3)).containsExactly(100L, 200L, 400L);
        backoff.setBase(Duration.ofHours(1));
        assertThat(backoff.base()).as("a server cannot push the wait past `source.reconnect_max`").isEqualTo(MAX);
    }

    @Test
    void zeroRetryReconnectsAtOnceThenStillBacksOff() {
        Backoff backoff = new Backoff(MIN, MAX, () -> 0.999_999);
        backoff.setBase(Duration.ZERO);
        assertThat(delays(backoff, 4)).containsExactly(0L, 1L, 2L, 4L);
    }

    @Test
    void maxBelowMinIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min <= max");
    }

    @Test
    void manyFailuresDoNotOverflow() {
        Backoff backoff = new Backoff(MIN, MAX, () -> 0.999_999);
        delays(backoff, 10_000);
        assertThat(backoff.nextDelay()).isEqualTo(MAX);
    }

    @Test
    void aRetryNumberGivesTheSameDelayWithoutCountingAFailure() {
        Backoff backoff = Backoff.capped(Duration.ofMillis(500), Duration.ofSeconds(5), () -> 0.999_999);
        assertThat(backoff.delayForAttempt(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delayForAttempt(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayForAttempt(60)).as("the cap holds for a late retry").isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.failures()).as("asking for a retry's delay counts no failure").isZero();
        assertThat(Backoff.capped(Duration.ofSeconds(9), Duration.ofSeconds(5), () -> 0.999_999).delayForAttempt(1))
                .as("a first delay longer than the cap is cut to the cap").isEqualTo(Duration.ofSeconds(5));
    }
}
