package io.sluice.config;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The one retry delay Sluice uses: REST retries within a poll cycle, push-source reconnects, and the stream job's
 * driver writer retrying a write that Cassandra refused as overloaded, unavailable or timed out. The base delay
 * doubles with every failed attempt up to a cap, and each delay is drawn from {@code [d/2, d]} ("equal jitter") so
 * many clients cut off at once do not come back in lockstep, yet none comes back sooner than half the intended wait.
 *
 * <p>Pure arithmetic: the random source is injected and nothing sleeps, so callers schedule the wait on their own
 * (injected) clock and tests need no sleeping. We do not use Failsafe's {@code RetryPolicy} for this: it sleeps on
 * the wall clock, and our push sources reconnect from a scheduler rather than retrying one call. Not thread-safe;
 * each source owns one.
 */
public final class Backoff {
    private final Duration max;
    private final DoubleSupplier random;
    private Duration base;
    private int failures;

    /**
     * @param min    first delay ({@code source.reconnect_min} for push sources)
     * @param max    longest delay ({@code source.reconnect_max}, {@code source.max_backoff})
     * @param random values in {@code [0, 1)}, e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    public Backoff(Duration min, Duration max, DoubleSupplier random) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= min <= max, got min " + min + ", max " + max);
        }
        this.base = min;
        this.max = max;
        this.random = random;
    }

    /** A backoff whose first delay is {@code first}, or {@code max} if that is shorter. */
    public static Backoff capped(Duration first, Duration max, DoubleSupplier random) {
        return new Backoff(first.compareTo(max) > 0 ? max : first, max, random);
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public Duration nextDelay() {
        failures++;
        return delayForAttempt(failures);
    }

    /** The delay before retry number {@code attempt} (1 for the first retry), without counting a failure. */
    public Duration delayForAttempt(int attempt) {
        long capMillis = max.toMillis();
        long delayMillis = base.toMillis();
        for (int i = 1; i < attempt && delayMillis < capMillis; i++) {
            delayMillis = Math.max(1, delayMillis * 2);
        }
        delayMillis = Math.min(delayMillis, capMillis);
        long half = delayMillis / 2;
        long jitter = Math.min(half, (long) (random.getAsDouble() * (half + 1)));
        return Duration.ofMillis(delayMillis - half + jitter);
    }

    /** A connection or call worked: the next failure starts again from the base delay. */
    public void reset() {
        failures = 0;
    }

    /**
     * Replaces the base delay, as an SSE server's {@code retry:} field asks; still capped by {@code max}. Zero is
     * allowed (reconnect at once), since the server knows its own capacity.
     */
    public void setBase(Duration newBase) {
        if (newBase.isNegative()) {
            throw new IllegalArgumentException("base delay must be >= 0, got " + newBase);
        }
        this.base = newBase.compareTo(max) > 0 ? max : newBase;
    }

    public Duration base() {
        return base;
    }

    /** Failed attempts since the last {@link #reset}. */
    public int failures() {
        return failures;
    }
}
