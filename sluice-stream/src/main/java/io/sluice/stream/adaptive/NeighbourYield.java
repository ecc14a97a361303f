package io.sluice.stream.adaptive;

import java.util.Locale;

/**
 * Makes room for Cassandra's other clients. Sluice's own latency cannot tell it that someone else is suffering: a
 * drain that keeps its batched writes near their baseline still fills the node's CPU, memtables and young generation,
 * and an online application's single-row requests meet the pauses that follow (on the bench, 7x its idle p99 beside
 * an adaptive drain that never left its target). So once a second this looks at two things Cassandra reports:
 * <ul>
 *   <li>whether anyone else is there: the requests per second of connections that are not Sluice's
 *       ({@code system_views.clients}, see {@link NeighbourWatch});</li>
 *   <li>what an online request meets: the median of that second's probe reads, tiny requests of the kind an
 *       application sends, against the lowest such median seen (the node at its quietest). The median, because the
 *       probe runs in the executor, whose own busy threads add noise to single probes that no application on
 *       another host would see; a whole second of slower probes is the node's doing.</li>
 * </ul>
 * While others are active, the rows per second Sluice may send get a ceiling of their own, AIMD on the rate (MIMD,
 * strictly): halved when the probe is above {@code latencyMultiple} times its quiet level and at least 5 ms above it
 * (at most once a second), raised by a twentieth otherwise, never below the controller's minimum rate. It starts at
 * half the rate Sluice was writing when the others appeared, and grows only while Sluice uses at least half of it.
 * When nobody else is there the ceiling is lifted, so a drain on a node of its own runs at full speed. Not
 * thread-safe: the {@link WriteController} guards it.
 */
final class NeighbourYield {
    static final double CUT = 0.5;
    static final double GROWTH = 0.05;
    /** Fewer probes than this in a second say nothing about it (the probe itself was held up). */
    static final int MIN_PROBES = 5;
    /**
     * A probe second is slow only this much above its quiet level too: a level of a millisecond or two doubles on
     * scheduling noise alone, while an online request at a few milliseconds' p99 does not suffer from it.
     */
    static final long MIN_SLACK_NANOS = 5_000_000;

    private final double minRowsPerSecond;
    private final double maxRowsPerSecond;
    private final double latencyMultiple;
    private final double activeAtRequestsPerSecond;
    private long quietNanos = Long.MAX_VALUE;
    private long lastProbeNanos;
    private double ceiling = Double.POSITIVE_INFINITY;
    private boolean othersActive;

    NeighbourYield(double minRowsPerSecond, double maxRowsPerSecond, double latencyMultiple,
                   double activeAtRequestsPerSecond) {
        this.minRowsPerSecond = minRowsPerSecond;
        this.maxRowsPerSecond = maxRowsPerSecond;
        this.latencyMultiple = latencyMultiple;
        this.activeAtRequestsPerSecond = activeAtRequestsPerSecond;
    }

    /**
     * One second went by.
     *
     * @param othersPerSecond requests per second from clients that are not Sluice; NaN when Cassandra could not say
     * @param probeNanos      latencies of the probe reads answered in that second
     * @param writtenPerSecond rows Sluice wrote in that second
     * @return what changed, for the log: the others came or went, or a slow probe cut the ceiling; null otherwise
     */
    String second(double othersPerSecond, long[] probeNanos, double writtenPerSecond) {
        if (probeNanos.length >= MIN_PROBES) {
            lastProbeNanos = Median.of(probeNanos, probeNanos.length);
            quietNanos = Math.min(quietNanos, lastProbeNanos);
        }
        boolean active = othersPerSecond >= activeAtRequestsPerSecond; // NaN: not known to be active
        if (!active) {
            boolean left = othersActive;
            othersActive = false;
            ceiling = Double.POSITIVE_INFINITY;
            return left ? "other clients gone: no ceiling" : null;
        }
        String change = null;
        if (!othersActive) {
            othersActive = true;
            ceiling = clamp(CUT * writtenPerSecond);
            change = "other clients active";
        }
        if (probeNanos.length >= MIN_PROBES && lastProbeNanos > latencyMultiple * quietNanos
                && lastProbeNanos - quietNanos > MIN_SLACK_NANOS) {
            ceiling = clamp(ceiling * CUT);
            change = "probe slow";
        } else if (writtenPerSecond >= CUT * ceiling) {
            // Grows only while Sluice uses it: a ceiling raised through the pauses between batches would let the
            // next batch go out at a rate nobody had tried beside the neighbour.
            ceiling = clamp(ceiling * (1 + GROWTH));
        }
        return change == null ? null : String.format(Locale.ROOT, "%s (%.0f requests/s): probe median %.1f ms, quiet %.1f "
                + "ms; ceiling %.0f rows/s (Sluice wrote %.0f)", change, othersPerSecond, lastProbeNanos / 1e6,
                quietNanos == Long.MAX_VALUE ? 0 : quietNanos / 1e6, ceiling, writtenPerSecond);
    }

    /** The most rows per second Sluice may send now; infinite while no other client is active. */
    double ceiling() {
        return ceiling;
    }

    boolean othersActive() {
        return othersActive;
    }

    private double clamp(double rowsPerSecond) {
        return Math.max(minRowsPerSecond, Math.min(maxRowsPerSecond, rowsPerSecond));
    }
}
