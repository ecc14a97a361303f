package io.sluice.ingest;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Counts distinct natural keys exactly, up to a cap that bounds memory. {@code sluice demo} compares this number with
 * the Cassandra row count, so it must not be an estimate (no HyperLogLog).
 *
 * <p>Keys that are canonical lower-case UUID strings (randomuser's {@code login.uuid}) are stored as two longs in an
 * open-addressing table, about 32 bytes each at the worst load, instead of ~130 bytes as {@code String}s in a
 * {@code HashSet}; the mapping is one-to-one, so the count stays exact. Other keys are kept as strings. Once
 * {@code cap} keys are tracked, new keys are no longer counted and {@link #capReached()} turns true.
 */
public final class DistinctKeyCounter {
    public static final int DEFAULT_CAP = 5_000_000;

    private final int cap;
    private final LongPairSet uuids = new LongPairSet();
    private final Set<String> others = new HashSet<>();
    private boolean capReached;

    public DistinctKeyCounter(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1, got " + cap);
        }
        this.cap = cap;
    }

    /** Adds a key; returns true if it had not been seen (and the cap allowed tracking it). */
    public synchronized boolean add(String key) {
        UUID uuid = canonicalUuid(key);
        boolean known = uuid != null ? uuids.contains(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits())
                : others.contains(key);
        if (known) {
            return false;
        }
        if (size() >= cap) {
            capReached = true;
            return false;
        }
        return uuid != null ? uuids.add(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()) : others.add(key);
    }

    /** Distinct keys seen; exact while {@link #capReached()} is false, a lower bound after. */
    public synchronized long size() {
        return (long) uuids.size() + others.size();
    }

    /** True once a new key arrived after {@code cap} keys were tracked: {@link #size()} is then a lower bound. */
    public synchronized boolean capReached() {
        return capReached;
    }

    public int cap() {
        return cap;
    }

    private static UUID canonicalUuid(String key) {
        if (key.length() != 36 || key.charAt(8) != '-') {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(key);
            // Only a string that round-trips maps one-to-one onto the two longs (no upper case, no short groups).
            return uuid.toString().equals(key) ? uuid : null;
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    /** Open-addressing hash set of 128-bit values; grows by doubling at half load. Not thread-safe. */
    static final class LongPairSet {
        private long[] high = new long[1024];
        private long[] low = new long[1024];
        private boolean[] used = new boolean[1024];
        private int size;

        boolean contains(long hi, long lo) {
            int mask = used.length - 1;
            for (int i = slot(hi, lo, mask); used[i]; i = (i + 1) & mask) {
                if (high[i] == hi && low[i] == lo) {
                    return true;
                }
            }
            return false;
        }

        boolean add(long hi, long lo) {
            if (contains(hi, lo)) {
                return false;
            }
            if ((size + 1) * 2L > used.length) {
                grow();
            }
            insert(hi, lo);
            size++;
            return true;
        }

        int size() {
            return size;
        }

        private void insert(long hi, long lo) {
            int mask = used.length - 1;
            int i = slot(hi, lo, mask);
            while (used[i]) {
                i = (i + 1) & mask;
            }
            used[i] = true;
            high[i] = hi;
            low[i] = lo;
        }

        private void grow() {
            long[] oldHigh = high;
            long[] oldLow = low;
            boolean[] oldUsed = used;
            high = new long[oldUsed.length * 2];
            low = new long[oldUsed.length * 2];
            used = new boolean[oldUsed.length * 2];
            for (int i = 0; i < oldUsed.length; i++) {
                if (oldUsed[i]) {
                    insert(oldHigh[i], oldLow[i]);
                }
            }
        }

        private static int slot(long hi, long lo, int mask) {
            long h = hi * 0x9E3779B97F4A7C15L ^ lo;
            h ^= h >>> 33;
            h *= 0xFF51AFD7ED558CCDL;
            h ^= h >>> 33;
            return (int) h & mask;
        }
    }
}
