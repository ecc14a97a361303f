package io.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One JVM's CPU seconds read at moments of a {@link CpuWindow}, in order, so CPU can be charged to stretches of time
 * that other clocks name, e.g. a job's micro-batches from its progress lines (the same machine, the same wall clock).
 * Between two readings CPU is taken to grow evenly; outside the readings the nearest reading holds, so a JVM that
 * exited is charged up to its last reading.
 */
final class CpuTimeline {
    /** A reading: CPU seconds the JVM had used by then. */
    record Reading(Instant at, double cpuSeconds) {
    }

    private final List<Reading> readings = new ArrayList<>();

    synchronized void add(Instant at, double cpuSeconds) {
        if (!readings.isEmpty() && at.isBefore(readings.get(readings.size() - 1).at())) {
            throw new IllegalArgumentException("readings must come in time order");
        }
        readings.add(new Reading(at, cpuSeconds));
    }

    synchronized boolean isEmpty() {
        return readings.isEmpty();
    }

    /** CPU seconds used between two moments. */
    synchronized double secondsBetween(Instant from, Instant to) {
        return Math.max(0, at(to) - at(from));
    }

    /** CPU seconds used by {@code moment}, interpolated between the readings around it. */
    private double at(Instant moment) {
        if (readings.isEmpty()) {
            throw new IllegalStateException("no CPU readings");
        }
        Reading before = readings.get(0);
        if (!moment.isAfter(before.at())) {
            return before.cpuSeconds();
        }
        for (Reading after : readings) {
            if (!after.at().isBefore(moment)) {
                double span = Duration.between(before.at(), after.at()).toNanos();
                double part = span == 0 ? 1 : Duration.between(before.at(), moment).toNanos() / span;
                return before.cpuSeconds() + part * (after.cpuSeconds() - before.cpuSeconds());
            }
            before = after;
        }
        return before.cpuSeconds();
    }
}
