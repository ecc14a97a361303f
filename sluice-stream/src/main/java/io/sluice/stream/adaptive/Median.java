package io.sluice.stream.adaptive;

import java.util.Arrays;

/** The one median the controller's latency judgements use: baseline windows, rounds and probe seconds. */
final class Median {
    private Median() {
    }

    /** The median (the upper one for an even count) of the first {@code count} values; the array is left as it is. */
    static long of(long[] values, int count) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
