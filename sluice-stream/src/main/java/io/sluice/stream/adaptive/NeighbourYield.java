package io.sluice.stream.adaptive;

import java.util.Locale;

/**
 * Makes room for Cassandra's other clients. Sluice's own latency cannot tell it that someone else is suffering: a
 * drain that keeps its batched writes near their baseline still fills the node's CPU, memtables and young generation,
 * and an online application's single-row requests meet the pauses that follow (on the bench, 7x its idle p99 beside
 * an adaptive drain that never left its target). So once a second this looks at what Cassandra reports and what
 * requests met:
 * <ul>
 *   <li>whether anyone else is there: the requests per second of connections that are not Sluice's
 *       ({@code system_views.clients}, see {@link NeighbourWatch});</li>
 *   <li>what an online request meets: that second's probe reads, tiny requests of the kind an application sends,
 *       against the node at its quietest (the lowest level seen). Two looks at them:
 *       <ul>
 *         <li>the median: a whole second of slower probes is the node's doing (single probes are not enough, since
 *             the probe runs in the executor, whose own busy threads add noise that no application on another host
 *             would see);</li>
 *         <li>the 90th percentile, far above its quiet level: a stall of the node, such as a memtable flush or a
 *             compaction, that holds up every request for tens of milliseconds but only for part of a second. The
 *             median misses these, and on a busy node they make an online client's p99. They come with the rows
 *             written, so a ceiling that each stall cuts settles where they are rare.</li>
 *       </ul></li>
 *   <li>what Sluice's own writes met: a stall holds up every request in flight at once, Sluice's too. At twenty
 *       probes a second a stall of 50 ms catches one probe, too few for any percentile; Sluice's writes, hundreds a
 *       second, catch every one. While others are active Sluice keeps {@code stalledWrites} requests in flight (the
 *       in-flight floor), so a second whose {@code stalledWrites}-th slowest write is far above its quiet level had
 *       all of them held up at once. On the bench, every second in which the neighbour's p99 was above twice its
 *       idle level had such a stall of Sluice's writes; the probes' 90th percentile caught 3 of those 11 stalls.</li>
 * </ul>
 * While others are active, the rows per second Sluice may send get a ceiling of their own, AIMD on the rate (MIMD,
 * strictly): halved in a slow second (at most once a second), raised by a twentieth otherwise, never below the
 * controller's minimum rate. A second is slow when the probe's median is above {@code latencyMultiple} times its quiet
 * level and at least 5 ms above it, or when the probes' 90th percentile or the writes' stall level is above twice that
 * multiple and at least 15 ms (probes) or 10 ms (writes) above its own quiet level. It grows only while Sluice uses
 * at least half of it. When nobody else is there the ceiling is lifted, so a drain on a node of its own runs at full
 * speed.
 *
 * <p>How it starts matters most, since every level is judged against the node at its quietest:
 * <ul>
 *   <li>until the first second is heard (the watch needs two looks a second apart for a rate), the ceiling is the
 *       minimum rate: an online application that was there first must not meet a drain at full speed while Sluice
 *       cannot yet see it;</li>
 *   <li>when others appear, the ceiling drops to the minimum rate, and doubles each second that is not slow until
 *       the first slow one (a slow start, as in TCP); then the twentieth. Starting at half of what Sluice was writing
 *       kept the drain near full speed for the seconds in which the quiet levels were first learned, so those levels
 *       were the node under Sluice's full load, not quiet, and a later second had to be four times worse than that
 *       to count as slow: on the bench, beside a fast engine, the neighbour's p99 went to 10x its idle level in two
 *       runs of three. At the minimum rate the first seconds show the node as the others see it alone.</li>
 * </ul>
 * Not thread-safe: the {@link WriteController} guards it.
 */
final class NeighbourYield {
    static final double CUT = 0.5;
    static final double GROWTH = 0.05;
    /** The slow start's step per second that is not slow, until the first one that is. */
    static final double SLOW_START_GROWTH = 2;
    /** Fewer probes than this in a second say nothing about it (the probe itself was held up). */
    static final int MIN_PROBES = 5;
    /**
     * A probe second is slow only this much above its quiet level too: a level of a millisecond or two doubles on
     * scheduling noise alone, while an online request at a few milliseconds' p99 does not suffer from it.
     */
    static final long MIN_SLACK_NANOS = 5_000_000;
    /**
     * The 90th percentile is slow only this far above its quiet level too: two probes in twenty held up by the
     * executor's own threads add a few milliseconds; a flush or a compaction that stalls the node adds tens.
     */
    static final long TAIL_SLACK_NANOS = 15_000_000;
    /**
     * Sluice's writes are slow together only this far above their quiet level too: they are measured in the executor,
     * where its own GC and busy threads add a few milliseconds to some of them.
     */
    static final long STALL_SLACK_NANOS = 10_000_000;
    /** Fewer writes than this in a second say nothing about stalls (Sluice was between batches). */
    static final int MIN_WRITES = 20;

    private final double minRowsPerSecond;
    private final double maxRowsPerSecond;
    private final double latencyMultiple;
    private final double activeAtRequestsPerSecond;
    private final int stalledWrites;
    private long quietNanos = Long.MAX_VALUE;
    private long quietTailNanos = Long.MAX_VALUE;
    private long lastProbeNanos;
    private long lastTailNanos;
    private long quietStallNanos = Long.MAX_VALUE;
    private long lastStallNanos;
    /** The minimum rate until the first second is heard: nobody knows yet whether Sluice is alone. */
    private double ceiling;
    private boolean heard;
    private boolean othersActive;
    /** True from the others' arrival until the first slow second. */
    private boolean slowStart;

    NeighbourYield(double minRowsPerSecond, double maxRowsPerSecond, double latencyMultiple,
                   double activeAtRequestsPerSecond, int stalledWrites) {
        if (stalledWrites < 1) {
            throw new IllegalArgumentException("stalledWrites must be at least 1, got " + stalledWrites);
        }
        this.stalledWrites = stalledWrites;
        this.minRowsPerSecond = minRowsPerSecond;
        this.maxRowsPerSecond = maxRowsPerSecond;
        this.latencyMultiple = latencyMultiple;
        this.activeAtRequestsPerSecond = activeAtRequestsPerSecond;
        this.ceiling = clamp(minRowsPerSecond);
    }

    /**
     * One second went by.
     *
     * @param othersPerSecond requests per second from clients that are not Sluice; NaN when Cassandra could not say
     * @param probeNanos      latencies of the probe reads answered in that second
     * @param writeNanos      latencies of Sluice's writes answered in that second
     * @param writtenPerSecond rows Sluice wrote in that second
     * @return what changed, for the log: the others came or went, or a slow probe or stalled writes cut the ceiling;
     *         null otherwise
     */
    String second(double othersPerSecond, long[] probeNanos, long[] writeNanos, double writtenPerSecond) {
        boolean judged = probeNanos.length >= MIN_PROBES;
        if (judged) {
            lastProbeNanos = Percentile.median(probeNanos, probeNanos.length);
            lastTailNanos = Percentile.of(probeNanos, probeNanos.length, 0.9);
            quietNanos = Math.min(quietNanos, lastProbeNanos);
            quietTailNanos = Math.min(quietTailNanos, lastTailNanos);
        }
        boolean writesJudged = writeNanos.length >= Math.max(MIN_WRITES, stalledWrites);
        if (writesJudged) {
            lastStallNanos = Percentile.slowest(writeNanos, writeNanos.length, stalledWrites);
            quietStallNanos = Math.min(quietStallNanos, lastStallNanos);
        }
        boolean first = !heard;
        heard = true;
        boolean active = othersPerSecond >= activeAtRequestsPerSecond; // NaN: not known to be active
        if (!active) {
            boolean left = othersActive;
            othersActive = false;
            ceiling = Double.POSITIVE_INFINITY;
            if (first) {
                return othersPerSecond >= 0 ? "no other client at the first look: no ceiling"
                        : "cannot tell whether other clients are there: no ceiling";
            }
            return left ? "other clients gone: no ceiling" : null;
        }
        String change;
        if (!othersActive) {
            // This second was written at whatever pace Sluice had: it says nothing about the ceiling, so it is not
            // judged; the next ones, at the minimum rate, show the node as the others see it.
            othersActive = true;
            slowStart = true;
            ceiling = clamp(minRowsPerSecond);
            change = first ? "other clients active at the first look" : "other clients active";
        } else {
            change = judge(judged, writesJudged, writtenPerSecond);
        }
        if (change == null) {
            return null;
        }
        String writes = quietStallNanos == Long.MAX_VALUE ? "no second of " + MIN_WRITES + " writes yet"
                : String.format(Locale.ROOT, "write stall level %.1f ms, quiet %.1f ms", lastStallNanos / 1e6,
                        quietStallNanos / 1e6);
        return String.format(Locale.ROOT, "%s (%.0f requests/s): probe median %.1f ms, quiet %.1f ms; 90th percentile "
                + "%.1f ms, quiet %.1f ms; %s; ceiling %.0f rows/s (Sluice wrote %.0f)", change, othersPerSecond,
                lastProbeNanos / 1e6, millis(quietNanos), lastTailNanos / 1e6, millis(quietTailNanos), writes, ceiling,
                writtenPerSecond);
    }

    /** One second while others are active: a cut when it was slow, else a step up; the cut's name, or null. */
    private String judge(boolean probesJudged, boolean writesJudged, double writtenPerSecond) {
        boolean probesSlow = probesJudged && (slow(lastProbeNanos, quietNanos, latencyMultiple, MIN_SLACK_NANOS)
                || slow(lastTailNanos, quietTailNanos, 2 * latencyMultiple, TAIL_SLACK_NANOS));
        boolean writesStalled = writesJudged
                && slow(lastStallNanos, quietStallNanos, 2 * latencyMultiple, STALL_SLACK_NANOS);
        if (probesSlow || writesStalled) {
            slowStart = false;
            ceiling = clamp(ceiling * CUT);
            return probesSlow ? "probe slow" : "writes stalled";
        }
        if (writtenPerSecond >= CUT * ceiling) {
            // Grows only while Sluice uses it: a ceiling raised through the pauses between batches would let the
            // next batch go out at a rate nobody had tried beside the neighbour.
            ceiling = clamp(ceiling * (slowStart ? SLOW_START_GROWTH : 1 + GROWTH));
        }
        return null;
    }

    private static boolean slow(long nanos, long quiet, double multiple, long slack) {
        return nanos > multiple * quiet && nanos - quiet > slack;
    }

    private static double millis(long quietNanos) {
        return quietNanos == Long.MAX_VALUE ? 0 : quietNanos / 1e6;
    }

    /**
     * The most rows per second Sluice may send now: the minimum rate until the first second is heard, infinite while
     * no other client is active.
     */
    double ceiling() {
        return ceiling;
    }

    /** Whether a second has been heard: before it, nobody knows whether Sluice is alone. */
    boolean heard() {
        return heard;
    }

    boolean othersActive() {
        return othersActive;
    }

    private double clamp(double rowsPerSecond) {
        return Math.max(minRowsPerSecond, Math.min(maxRowsPerSecond, rowsPerSecond));
    }
}
