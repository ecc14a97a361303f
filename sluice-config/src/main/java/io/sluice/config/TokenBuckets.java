package io.sluice.config;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The two pieces every Sluice token bucket needs from Bucket4j, so the ingest {@code Throttle} and the stream job's
 * {@code RowRateLimiter} read rates and clocks the same way.
 *
 * <p>Bucket4j counts whole tokens refilled over a whole number of nanoseconds, while our rates are doubles: 2.5
 * records/s, or a task's share of 166.67 rows/s. {@link #bandwidth} keeps the capacity whole and stretches the refill
 * period to match the rate instead (1 token per 400 ms; 3 tokens per 17,999,640 ns), which is exact to a nanosecond.
 */
public final class TokenBuckets {
    private TokenBuckets() {
    }

    /**
     * A limit that starts full, holds at most {@code capacity} tokens and refills them one by one (greedily) at
     * {@code tokensPerSecond}; the capacity is the burst an idle spell may earn.
     *
     * @throws IllegalArgumentException if the rate is not positive, the capacity is below one, or the rate exceeds
     *                                  Bucket4j's one token per nanosecond
     */
    public static Bandwidth bandwidth(double tokensPerSecond, long capacity) {
        if (!(tokensPerSecond > 0) || capacity < 1) {
            throw new IllegalArgumentException("a token bucket needs a positive rate and capacity, got "
                    + tokensPerSecond + " tokens/s and capacity " + capacity);
        }
        // Math.round saturates, so a vanishing rate (a share drifted to 1e-12/s) becomes a very long period, not an
        // overflow.
        long periodNanos = Math.max(1, Math.round(capacity * 1e9 / tokensPerSecond));
        return Bandwidth.builder().capacity(capacity).refillGreedy(capacity, Duration.ofNanos(periodNanos))
                .initialTokens(capacity).build();
    }

    /** Bucket4j's clock over {@code nanoTime}: tests hand in a fake clock and the bucket never looks at the wall. */
    public static TimeMeter clock(LongSupplier nanoTime) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoTime.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }
}
