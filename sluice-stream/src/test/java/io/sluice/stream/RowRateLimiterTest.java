package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
    void aFractionalRateIsKeptExactly() throws InterruptedException {
        RowRateLimiter limiter = limiter(2.5);
        long start = now;
        for (int i = 0; i < 11; i++) {
            limiter.acquire();
        }
        assertThat(now - start).as("one row at once, then one every 400 ms").isEqualTo(4_000_000_000L);
    }

    @Test
    void aTasksFractionalShareIsKeptToo() throws InterruptedException {
        RowRateLimiter limiter = limiter(166.67); // a cap of 500 rows/s over 3 tasks, rounded
        long start = now;
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire();
        }
        double seconds = (now - start) / 1e9;
        assertThat((10_000 - 3) / seconds).as("after a 3-row burst, rows leave at 166.67 rows/s, not at 166 or 167")
                .isCloseTo(166.67, within(0.001));
    }

    @Test
    void aLowerRateTakesEffectForTheNextRow() throws InterruptedException {
        RowRateLimiter limiter = limiter(1000);
        for (int i = 0; i < 500; i++) {
            limiter.acquire();
        }
        limiter.setRate(100);
        assertThat(limiter.rate()).isEqualTo(100.0);
        long start = now;
        limiter.acquire();
        assertThat(now - start).as("the next row already keeps the new spacing of 10 ms").isEqualTo(10_000_000L);
        for (int i = 1; i < 100; i++) {
            limiter.acquire();
        }
        assertThat(now - start).as("100 rows at 100 rows/s take a second").isEqualTo(1_000_000_000L);
    }

    @Test
    void aLowerRateLeavesOnlyItsOwnBurst() throws InterruptedException {
        RowRateLimiter limiter = limiter(1000);
        now += 60_000_000_000L; // the bucket fills with 20 ms of 1,000 rows/s: 20 rows
        limiter.setRate(100);
        long start = now;
        limiter.acquire();
        limiter.acquire();
        assertThat(now).as("20 ms of 100 rows/s, 2 rows, go at once").isEqualTo(start);
        limiter.acquire();
        assertThat(now).as("the third waits: the 20 rows saved at the old rate are gone").isEqualTo(start + 10_000_000L);
    }

    @Test
    void refusesANonPositiveRate() {
        assertThatThrownBy(() -> limiter(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowsPerSecond must be > 0, got 0.0");
    }

    @Test
    void refusesToChangeToANonPositiveRate() {
        RowRateLimiter limiter = limiter(100);
        assertThatThrownBy(() -> limiter.setRate(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowsPerSecond must be > 0, got -1.0");
        assertThat(limiter.rate()).as("a refused rate leaves the old one").isEqualTo(100.0);
    }
}
