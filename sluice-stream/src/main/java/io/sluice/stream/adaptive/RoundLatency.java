package io.sluice.stream.adaptive;

/**
 * The controller's verdict on a round of requests: the median latency of as many answered requests as the limit lets
 * fly at once (at most {@value #MAX_ROUND}), all sent since the last cut. One slow request in a round says little on a
 * busy host, where a GC pause or the scheduler holds one in a few; a slow median says the node is slow. A round as
 * large as the limit keeps the verdict at one per round trip, so a cut at a small limit comes as fast as at a large
 * one. Not thread-safe: the controller guards it.
 */
final class RoundLatency {
    static final int MAX_ROUND = 32;

    private final long[] samples = new long[MAX_ROUND];
    private int filled;

    /**
     * Adds one answered request.
     *
     * @param roundSize requests that make a round: the limit now (at least 1, at most {@value #MAX_ROUND})
     * @return the median of the round this request completed, or 0 while the round is still filling
     */
    long add(long latencyNanos, int roundSize) {
        int size = Math.max(1, Math.min(MAX_ROUND, roundSize));
        samples[filled++] = latencyNanos;
        if (filled < size) {
            return 0;
        }
        long median = Percentile.median(samples, filled);
        filled = 0;
        return median;
    }

    /** Forgets the round being filled: after a cut, the next verdict is on requests sent under the new limit. */
    void restart() {
        filled = 0;
    }
}
