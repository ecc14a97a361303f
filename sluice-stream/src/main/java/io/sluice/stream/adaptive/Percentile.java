package io.sluice.stream.adaptive;

import java.util.Arrays;

/**
 * The one way the controller's latency judgements take a percentile: the median of baseline windows, rounds and probe
 * seconds, the probe seconds' 90th percentile, and the writes' k-th slowest.
 */
final class Percentile {
    private Percentile() {
    }

    /** The median (the upper one for an even count) of the first {@code count} values; the array is left as it is. */
    static long median(long[] values, int count) {
        return of(values, count, 0.5);
    }

    /**
     * The value {@code fraction} of the way up the first {@code count} values (nearest rank, rounded down); the array
     * is left as it is.
     */
    static long of(long[] values, int count, double fraction) {
        return sorted(values, count)[Math.min(count - 1, (int) (count * fraction))];
    }

    /** The {@code rank}-th slowest (1 = the slowest) of the first {@code count} values; the array is left as it is. */
    static long slowest(long[] values, int count, int rank) {
        return sorted(values, count)[Math.max(0, count - rank)];
    }

    private static long[] sorted(long[] values, int count) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted;
    }
}
