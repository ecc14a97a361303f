package io.sluice.bench;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A slice of the Murmur3 token ring, {@code (start, end]}; the slice that starts at the ring's first token includes
 * it. {@code depth} counts how often a slice was halved after its count kept failing, so halving stops somewhere.
 */
record TokenRange(long start, long end, int depth) {
    static final long RING_START = Long.MIN_VALUE;
    static final long RING_END = Long.MAX_VALUE;

    TokenRange {
        if (end <= start) {
            throw new IllegalArgumentException("a token range needs start < end, got (" + start + ", " + end + "]");
        }
    }

    /** The whole ring in {@code n} contiguous slices of (nearly) equal width, first to last. */
    static List<TokenRange> ring(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the ring needs at least one slice, got " + n);
        }
        BigInteger first = BigInteger.valueOf(RING_START);
        BigInteger width = BigInteger.valueOf(RING_END).subtract(first);
        List<TokenRange> slices = new ArrayList<>(n);
        long start = RING_START;
        for (int i = 1; i <= n; i++) {
            long end = i == n ? RING_END : first.add(width.multiply(BigInteger.valueOf(i))
                    .divide(BigInteger.valueOf(n))).longValueExact();
            slices.add(new TokenRange(start, end, 0));
            start = end;
        }
        return slices;
    }

    boolean includesStart() {
        return start == RING_START;
    }

    /** Whether this slice can be halved: it is wider than one token. */
    boolean splittable() {
        return width().compareTo(BigInteger.ONE) > 0;
    }

    /** Two contiguous halves that together are exactly this slice. */
    List<TokenRange> halves() {
        long middle = BigInteger.valueOf(start).add(width().shiftRight(1)).longValueExact();
        return List.of(new TokenRange(start, middle, depth + 1), new TokenRange(middle, end, depth + 1));
    }

    private BigInteger width() {
        return BigInteger.valueOf(end).subtract(BigInteger.valueOf(start));
    }

    /** Whether a token falls in this slice. */
    boolean contains(long token) {
        return (token > start || (includesStart() && token == start)) && token <= end;
    }
}
