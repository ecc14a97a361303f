package io.sluice.ingest.source.rest;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map of at most {@code capacity} entries that drops the least recently used one first. */
final class LruMap<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    LruMap(int capacity) {
        super(16, 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
