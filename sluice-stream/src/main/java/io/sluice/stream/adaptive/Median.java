package io.sluice.stream.adaptive;

import java.util.Arrays;

/**
 * The one median the controller's latency judgements use (baseline windows, rounds and probe seconds), and the probe's
 * other percentile.
 */
final class Median {
    private Median() {
    }

    /** The median (the upper one for an even count) of the first {@code count} values; the array is left as it is. */
    static long of(long[] values, int count) {
        return percentile(values, count, 0.5);
    }

    /** The value {@code fraction} of the way up the first {@code count} values (nearest rank, rounded down). */
    static long percentile(long[] values, int count, double fraction) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted[Math.min(count - 1, (int) (count * fraction))];
    }
}
