package io.sluice.stream;

import io.sluice.stream.launch.StreamProgress.WriteFigures;
import java.io.Serializable;

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

    synchronized void addAll(WriteStats other) {
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
        return new WriteFigures(requests, quantileMicros(0.5), quantileMicros(0.99), timeouts, retries, inFlightPeak);
    }
}
