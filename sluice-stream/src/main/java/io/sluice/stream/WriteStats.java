package io.sluice.stream;

import io.sluice.stream.adaptive.ControlState;
import io.sluice.stream.launch.StreamProgress.ControlFigures;
import io.sluice.stream.launch.StreamProgress.WriteFigures;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How one task's Cassandra writes went: request latency in power-of-two buckets of microseconds (so tasks merge
 * exactly and p50/p99 come out within a factor of two, enough to see a database slowing down), timeouts, retries and
 * the most requests outstanding at once. Recorded from the driver's callback threads, hence synchronized; shipped to
 * the driver inside {@link BatchCounts}.
 */
final class WriteStats implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BUCKETS = 40;

    private final long[] latencyBuckets = new long[BUCKETS];
    private long requests;
    private long timeouts;
    private long retries;
    private int inFlightPeak;
    /** The latest state of each adaptive controller (one per executor) the batch's tasks used. */
    private final Map<String, ControlState> controllers = new HashMap<>();

    synchronized void latency(long nanos) {
        long micros = Math.max(1, nanos / 1_000);
        latencyBuckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(micros))]++;
        requests++;
    }

    synchronized void retry(boolean timedOut) {
        retries++;
        if (timedOut) {
            timeouts++;
        }
    }

    synchronized void inFlight(int now) {
        inFlightPeak = Math.max(inFlightPeak, now);
    }

    /** The adaptive controller's state as the task ended; null with static limits. */
    synchronized void control(ControlState state) {
        if (state != null) {
            controllers.merge(state.controller(), state, (a, b) -> a.atNanos() >= b.atNanos() ? a : b);
        }
    }

    synchronized void addAll(WriteStats other) {
        other.controllers.values().forEach(this::control);
        for (int i = 0; i < BUCKETS; i++) {
            latencyBuckets[i] += other.latencyBuckets[i];
        }
        requests += other.requests;
        timeouts += other.timeouts;
        retries += other.retries;
        inFlightPeak += other.inFlightPeak; // tasks write at the same time: their peaks add up to the job's bound
    }


    /** The upper edge of the bucket holding the q-quantile request, in microseconds; 0 without requests. */
    synchronized long quantileMicros(double q) {
        if (requests == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * requests);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += latencyBuckets[i];
            if (seen >= rank) {
                return 1L << (i + 1);
            }
        }
        return 1L << BUCKETS;
    }

    synchronized WriteFigures figures() {
        return new WriteFigures(requests, quantileMicros(0.5), quantileMicros(0.99), timeouts, retries, inFlightPeak,
                controlFigures());
    }

    /** Executors write at once: their limits and paces add up; latency and target are the worst executor's. */
    private ControlFigures controlFigures() {
        if (controllers.isEmpty()) {
            return ControlFigures.NONE;
        }
        long limit = 0;
        double rate = 0;
        long latency = 0;
        long target = 0;
        ControlState latest = null;
        for (ControlState c : controllers.values()) {
            limit += c.limit();
            rate += c.rowsPerSecond();
            latency = Math.max(latency, c.latencyNanos() / 1_000);
            target = Math.max(target, c.targetNanos() / 1_000);
            latest = latest == null || c.atNanos() > latest.atNanos() ? c : latest;
        }
        return new ControlFigures(limit, Math.round(rate), latency, target, latest.reason().name().toLowerCase(Locale.ROOT));
    }
}
