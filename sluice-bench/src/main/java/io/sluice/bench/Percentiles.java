package io.sluice.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample; the sample array is sorted in place. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] values, int count) {
        sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
    }

    boolean isEmpty() {
        return sorted.length == 0;
    }

    /** The value below which {@code p} percent of the sample lies; 0 for an empty sample. */
    long at(double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }
}
