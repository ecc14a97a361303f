package io.sluice.ingest.source.push;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays for push sources: the base delay doubles with every failed attempt up to a cap, and each delay is
 * drawn from {@code [d/2, d]} ("equal jitter") so many clients cut off at once do not reconnect in lockstep, yet none
 * comes back sooner than half the intended wait. Pure arithmetic: the random source is injected and nothing sleeps.
 * Not thread-safe; each source owns one.
 */
public final class Backoff {
    private final Duration max;
    private final DoubleSupplier random;
    private Duration base;
    private int failures;

    /**
     * @param min    first delay ({@code source.reconnect_min})
     * @param max    longest delay ({@code source.reconnect_max})
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

    /** The delay before the next attempt; each call counts one more failure. */
    public Duration nextDelay() {
        long capMillis = max.toMillis();
        long delayMillis = base.toMillis();
        for (int i = 0; i < failures && delayMillis < capMillis; i++) {
            delayMillis = Math.max(1, delayMillis * 2);
        }
        delayMillis = Math.min(delayMillis, capMillis);
        failures++;
        long half = delayMillis / 2;
        long jitter = Math.min(half, (long) (random.getAsDouble() * (half + 1)));
        return Duration.ofMillis(delayMillis - half + jitter);
    }

    /** A connection worked: the next failure starts again from the base delay. */
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
