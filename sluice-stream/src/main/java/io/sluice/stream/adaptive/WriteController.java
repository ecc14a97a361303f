package io.sluice.stream.adaptive;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets Cassandra set the write pace: every answered (or failed) write reports its latency and outcome here, and the
 * controller adjusts how many requests may be in flight and how many rows per second are sent.
 *
 * <p>The limit is Netflix concurrency-limits' {@link AIMDLimit}, fed one sample per request: a request answered
 * within the latency target adds one while the limit is in use (so the limit doubles per round trip while latency
 * stays near the baseline), and a round of requests ({@link RoundLatency}) whose median is slower than the target, or
 * a request that times out or meets an overloaded or unavailable Cassandra, halves it. A median, not single requests:
 * on a busy host one request in a few is held up by a GC pause or the scheduler, and cutting on each one kept the
 * limit near its floor on a node that had room (the bench's drain alone reached two thirds of its speed without the
 * controller). A slow request does not grow the limit either. AIMD because it is the one of the library's algorithms
 * that treats such errors as a multiplicative cut and whose latency threshold is an explicit target (Gradient2
 * ignores drops and lets its baseline drift up under a long drain, which is exactly the load that hurts a neighbour;
 * Vegas cuts a drop by log10 of the limit only). Two rules of our own sit around it:
 * <ul>
 *   <li>one cut per round trip: a request sent before the last cut was sent under the old limit, and the cut has
 *       answered it already, so it cannot cut again (TCP's rule; without it one slow round drops the limit to its
 *       floor);</li>
 *   <li>the target: {@code sink.adaptive.latency_target}, or {@code baseline_multiple} times the baseline, the
 *       median latency at the lowest limit ({@link BaselineLatency}); the limit does not grow before it is known.</li>
 * </ul>
 *
 * <p>The row rate follows the limit: what that many requests in flight deliver at baseline latency, between
 * {@code sink.adaptive.min_rows_per_second} and the hard ceiling {@code sink.max_rows_per_second}. Pacing at that rate
 * spreads a batch's rows evenly instead of in bursts of a whole limit, and since the controller outlives a micro-batch
 * the next batch starts at the pace the last one ended with. To hold the minimum rate the limit never drops below what
 * carries it at the current latency. With {@code sink.adaptive.neighbours} the rate also has the ceiling of
 * {@link NeighbourYield}, which {@link NeighbourWatch} feeds once a second: while other clients are active, what their
 * requests meet sets how fast Sluice may go. Time comes from an injected clock; thread-safe (driver callback threads
 * report).
 */
public final class WriteController {
    private static final double BACKOFF_RATIO = 0.5;
    /** Weight of one request in the running mean of rows per request (UNLOGGED batches carry several). */
    private static final double ROWS_SMOOTHING = 0.05;
    /** A second's writes kept for the yield at most: bounds the memory if no watch calls for them. */
    private static final int MAX_KEPT_WRITES = 1 << 16;

    private final AdaptiveSettings settings;
    private final LongSupplier nanoClock;
    private final AIMDLimit aimd;
    private final BaselineLatency latency = new BaselineLatency();
    private final RoundLatency round = new RoundLatency();
    private final String id = UUID.randomUUID().toString();
    private double rowsPerRequest = 1;
    private long lastCutNanos = Long.MIN_VALUE;
    private ControlReason reason = ControlReason.BASELINE;
    /** Null unless {@code sink.adaptive.neighbours}. */
    private final NeighbourYield neighbours;
    private long rowsWritten;
    private long rowsWrittenAtLastSecond;
    private long lastSecondNanos;
    /** This second's answered writes, for the yield's stall check; only kept while watching neighbours. */
    private long[] secondWrites = new long[256];
    private int secondWriteCount;

    public WriteController(AdaptiveSettings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.aimd = AIMDLimit.newBuilder()
                .initialLimit(settings.minLimit())
                .minLimit(settings.minLimit())
                .maxLimit(settings.maxLimit())
                .backoffRatio(BACKOFF_RATIO)
                .timeout(1, TimeUnit.DAYS) // slowness is judged here, against the target, not by AIMD's fixed timeout
                .build();
        AdaptiveSettings.Neighbours n = settings.neighbours();
        // While yielding the in-flight limit is its floor: a stall holds up that many writes at once.
        this.neighbours = n != null && n.on() ? new NeighbourYield(settings.minRowsPerSecond(),
                settings.maxRowsPerSecond(), n.latencyMultiple(), n.activeAtRequestsPerSecond(), settings.minLimit())
                : null;
        this.lastSecondNanos = nanoClock.getAsLong();
    }

    /** True when {@link NeighbourWatch} should feed {@link #onNeighbourSecond}. */
    public boolean watchesNeighbours() {
        return neighbours != null;
    }

    /** True while another client is active and this controller makes room for it ({@link NeighbourYield}). */
    public synchronized boolean othersActive() {
        return neighbours != null && neighbours.othersActive();
    }

    /**
     * A second of Cassandra's other clients ({@link NeighbourWatch}), judged with the writes answered since the last
     * call.
     *
     * @param othersPerSecond requests per second of clients that are not Sluice; NaN when Cassandra could not say
     * @param probeNanos      latencies of the probe reads answered in that second
     * @return what changed, for the log; null when nothing worth a line did
     */
    public synchronized String onNeighbourSecond(double othersPerSecond, long[] probeNanos) {
        if (neighbours == null) {
            return null;
        }
        long now = nanoClock.getAsLong();
        double seconds = Math.max(1e-3, (now - lastSecondNanos) / 1e9);
        double written = (rowsWritten - rowsWrittenAtLastSecond) / seconds;
        lastSecondNanos = now;
        rowsWrittenAtLastSecond = rowsWritten;
        long[] writes = Arrays.copyOf(secondWrites, secondWriteCount);
        secondWriteCount = 0;
        return neighbours.second(othersPerSecond, probeNanos, writes, written);
    }

    /**
     * One write attempt ended.
     *
     * @param startNanos   when it was sent, on this controller's clock
     * @param latencyNanos how long it took
     * @param inFlight     requests in flight when it ended, itself included
     * @param rows         rows it carried
     */
    public synchronized void onWrite(long startNanos, long latencyNanos, int inFlight, int rows, WriteOutcome outcome) {
        if (outcome == WriteOutcome.FAILED) {
            return; // a bad statement says nothing about load
        }
        long target = targetNanos();
        boolean slowRequest = outcome == WriteOutcome.OK && target > 0 && latencyNanos > target;
        boolean slowRound = false;
        if (outcome == WriteOutcome.OK) {
            rowsWritten += rows;
            keepForTheSecond(latencyNanos);
            rowsPerRequest += ROWS_SMOOTHING * (rows - rowsPerRequest);
            latency.add(latencyNanos);
            // A round judges the limit its requests were sent under: requests sent before the last cut stay out of it.
            if (startNanos >= lastCutNanos && target > 0) {
                slowRound = round.add(latencyNanos, aimd.getLimit()) > target;
            }
        }
        if (outcome.busy() || slowRound) {
            if (startNanos >= lastCutNanos) {
                aimd.onSample(startNanos, latencyNanos, inFlight, true);
                lastCutNanos = nanoClock.getAsLong();
                round.restart();
                reason = ControlReason.backOff(outcome);
            }
        } else if (latency.known() && !slowRequest) {
            int before = aimd.getLimit();
            aimd.onSample(startNanos, latencyNanos, inFlight, false);
            if (aimd.getLimit() != before) {
                reason = aimd.getLimit() >= settings.maxLimit() ? ControlReason.CEILING : ControlReason.GROWING;
            }
        }
    }

    /**
     * Requests allowed in flight now. While other clients are active the limit stays at its floor: a neighbour's
     * request that arrives behind a burst of Sluice's writes waits for all of them, so its tail latency follows
     * Sluice's concurrency even at a rate the neighbour can bear.
     */
    public synchronized int limit() {
        int grown = othersActive() ? settings.minLimit() : aimd.getLimit();
        return Math.min(settings.maxLimit(), Math.max(grown, limitForMinimumRate()));
    }

    /** The pace rows may be sent at now. */
    public synchronized double rowsPerSecond() {
        long baseline = latency.baselineNanos();
        double ceiling = neighbours == null ? settings.maxRowsPerSecond()
                : Math.min(settings.maxRowsPerSecond(), neighbours.ceiling());
        if (baseline == 0) {
            return ceiling; // the lowest limit holds the flow until the baseline is known
        }
        double carried = limit() * rowsPerRequest * 1e9 / baseline;
        return Math.max(settings.minRowsPerSecond(), Math.min(ceiling, carried));
    }

    /** The latency above which requests back off; 0 while the baseline is being measured. */
    public synchronized long targetNanos() {
        if (settings.latencyTargetNanos() > 0) {
            return settings.latencyTargetNanos();
        }
        return (long) (latency.baselineNanos() * settings.baselineMultiple());
    }

    public synchronized ControlState state() {
        double rate = rowsPerSecond();
        // While the neighbours' ceiling is what holds the pace back, that is the reason to show, whatever AIMD did last.
        boolean yielding = othersActive() && neighbours.ceiling() <= rate;
        ControlReason shown = neighbours != null && !neighbours.heard() ? ControlReason.WATCHING
                : yielding ? ControlReason.YIELDING : reason;
        return new ControlState(id, nanoClock.getAsLong(), limit(), rate, latency.recentNanos(), targetNanos(), shown);
    }

    private void keepForTheSecond(long latencyNanos) {
        if (neighbours == null || secondWriteCount == MAX_KEPT_WRITES) {
            return;
        }
        if (secondWriteCount == secondWrites.length) {
            secondWrites = Arrays.copyOf(secondWrites, secondWriteCount * 2);
        }
        secondWrites[secondWriteCount++] = latencyNanos;
    }

    /** Requests in flight that carry the minimum rate at the latency of the last window. */
    private int limitForMinimumRate() {
        long recent = latency.recentNanos();
        if (recent == 0) {
            return 1;
        }
        return (int) Math.ceil(settings.minRowsPerSecond() * recent / 1e9 / rowsPerRequest);
    }
}
