package io.sluice.stream.adaptive;

/**
 * The latency Cassandra gives when Sluice writes gently: the median of each window of {@value #WINDOW} answered
 * requests, and the lowest such median seen. The controller starts at its lowest limit and grows only once the first
 * window is in, so the baseline is measured at the least load Sluice puts on the node. Medians rather than single
 * requests, so one lucky request cannot set an unreachable baseline. Not thread-safe: the controller guards it.
 */
final class BaselineLatency {
    static final int WINDOW = 32;

    private final long[] window = new long[WINDOW];
    private int filled;
    private long baselineNanos = Long.MAX_VALUE;
    private long recentNanos;

    void add(long latencyNanos) {
        window[filled++] = latencyNanos;
        if (filled == WINDOW) {
            recentNanos = Percentile.median(window, WINDOW);
            baselineNanos = Math.min(baselineNanos, recentNanos);
            filled = 0;
        }
    }

    boolean known() {
        return baselineNanos != Long.MAX_VALUE;
    }

    /** The lowest window median so far; 0 before the first window. */
    long baselineNanos() {
        return known() ? baselineNanos : 0;
    }

    /** The median of the last full window; 0 before the first. */
    long recentNanos() {
        return recentNanos;
    }
}
