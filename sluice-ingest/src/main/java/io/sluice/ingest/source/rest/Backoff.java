package io.sluice.ingest.source.rest;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, bounded: attempt n waits {@code first × 2^(n-1)}, at most {@code max}, spread by
 * ±{@code jitter} so that many pollers hit by the same outage do not come back in lockstep.
 */
final class Backoff {
    private final long firstNanos;
    private final long maxNanos;
    private final double jitter;
    private final DoubleSupplier random;

    Backoff(Duration first, Duration max, double jitter, DoubleSupplier random) {
        this.maxNanos = max.toNanos();
        this.firstNanos = Math.min(first.toNanos(), maxNanos);
        this.jitter = jitter;
        this.random = random;
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    Duration delay(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 40);
        double base = Math.min((double) firstNanos * Math.pow(2, doublings), maxNanos);
        double spread = base * (1 + jitter * (2 * random.getAsDouble() - 1));
        return Duration.ofNanos((long) Math.min(Math.max(spread, 0), maxNanos));
    }
}
