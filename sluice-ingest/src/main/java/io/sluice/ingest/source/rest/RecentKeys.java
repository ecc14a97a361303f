package io.sluice.ingest.source.rest;

/**
 * The most recently seen natural keys, bounded (least recently seen goes first). Overlapping pages repeat records;
 * remembering only the recent keys catches those repeats in constant memory, while Cassandra's upsert by key remains the
 * backstop for anything older.
 */
final class RecentKeys {
    private final int capacity;
    private final LruMap<String, Boolean> keys;

    RecentKeys(int capacity) {
        this.capacity = capacity;
        this.keys = new LruMap<>(capacity);
    }

    /** True the first time a key is seen (within the window); false for a repeat. Always true when capacity is 0. */
    boolean firstSeen(String key) {
        if (capacity == 0) {
            return true;
        }
        return keys.put(key, Boolean.TRUE) == null;
    }

    int size() {
        return keys.size();
    }
}
