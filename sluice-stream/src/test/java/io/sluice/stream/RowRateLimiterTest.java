package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RowRateLimiterTest {
    /** A clock that only moves when the limiter sleeps (or the test says so). */
    private long now = 1_000_000_000L;

    private RowRateLimiter limiter(double rowsPerSecond) {
        return new RowRateLimiter(rowsPerSecond, () -> now, nanos -> now += nanos);
    }

    @Test
    void spreadsRowsEvenlyOverTheSecond() throws InterruptedException {
        RowRateLimiter limiter = limiter(100);
        long start = now;
        for (int i = 0; i < 1000; i++) {
            limiter.acquire();
        }
        double seconds = (now - start) / 1e9;
        assertThat(1000 / seconds).as("1,000 rows at 100 rows/s take about 10 s, not less")
                .isBetween(95.0, 101.0);
    }

    @Test
    void everyOneSecondWindowStaysWithinTenPercentOfTheRate() throws InterruptedException {
        RowRateLimiter limiter = limiter(200);
        long[] sentAt = new long[2000];
        for (int i = 0; i < sentAt.length; i++) {
            limiter.acquire();
            sentAt[i] = now;
        }
        int worst = 0;
        for (int first = 0, last = 0; first < sentAt.length; first++) {
            while (last < sentAt.length && sentAt[last] < sentAt[first] + 1_000_000_000L) {
                last++;
            }
            worst = Math.max(worst, last - first);
        }
        assertThat(worst).as("no one-second window holds more than the rate plus 10 %").isLessThanOrEqualTo(220);
    }

    @Test
    void anIdleSpellEarnsOnlyTwentyMillisecondsOfBurst() throws InterruptedException {
        RowRateLimiter limiter = limiter(1000);
        now += 60_000_000_000L; // a minute without rows
        long start = now;
        for (int i = 0; i < 20; i++) {
            limiter.acquire();
        }
        assertThat(now).as("the first 20 rows (20 ms of rate) go at once after the pause").isEqualTo(start);
        limiter.acquire();
        assertThat(now).as("the next row waits for the bucket to refill").isGreaterThan(start);
    }

    @Test
    void refusesANonPositiveRate() {
        assertThatThrownBy(() -> limiter(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowsPerSecond must be > 0, got 0.0");
    }
}
