package io.sluice.bench;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Writes per second between successive counts of a {@link WriteCounter}. A count that did not answer (Cassandra paused,
 * no virtual table) leaves the last one standing, so the next rate spans the gap.
 */
final class WriteRate {
    private boolean counted;
    private long lastCount;
    private long lastNanos;

    /** @param atStart the count at {@code startNanos}, if one was taken; without one, the first rate is 0 */
    WriteRate(OptionalLong atStart, long startNanos) {
        this.counted = atStart.isPresent();
        this.lastCount = atStart.orElse(0);
        this.lastNanos = startNanos;
    }

    /** The rate from the last count to {@code count}, taken at {@code nowNanos}; empty when {@code count} is. */
    OptionalDouble next(long nowNanos, OptionalLong count) {
        if (count.isEmpty()) {
            return OptionalDouble.empty();
        }
        double rate = counted ? (count.getAsLong() - lastCount) / ((nowNanos - lastNanos) / 1e9) : 0;
        counted = true;
        lastCount = count.getAsLong();
        lastNanos = nowNanos;
        return OptionalDouble.of(rate);
    }
}
