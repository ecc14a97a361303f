package io.sluice.ingest;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Counters tagged by a value that is only known at run time (a quarantine reason, a reconnect cause, a rule). Each
 * {@link #refresh()} registers a {@link FunctionCounter} for every tag value that has appeared since; every counter
 * reads its value from the latest counts. Reading never throws: a failing supplier reads as no counts.
 */
public final class TaggedCounters {
    private final MeterRegistry registry;
    private final String name;
    private final String tagKey;
    private final String baseUnit;
    private final String description;
    private final Supplier<Map<String, Long>> counts;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public TaggedCounters(MeterRegistry registry, String name, String tagKey, String baseUnit, String description,
                          Supplier<Map<String, Long>> counts) {
        this.registry = registry;
        this.name = name;
        this.tagKey = tagKey;
        this.baseUnit = baseUnit;
        this.description = description;
        this.counts = counts;
    }

    /** Registers a counter for each tag value seen so far; returns this. */
    public TaggedCounters refresh() {
        for (String value : safeCounts().keySet()) {
            if (registered.add(value)) {
                FunctionCounter.builder(name, this, c -> c.safeCounts().getOrDefault(value, 0L))
                        .tag(tagKey, value).baseUnit(baseUnit).description(description).register(registry);
            }
        }
        return this;
    }

    /** Registers these tag values now, with zero until they occur (known causes show before the first one). */
    public TaggedCounters preregister(String... values) {
        for (String value : values) {
            if (registered.add(value)) {
                FunctionCounter.builder(name, this, c -> c.safeCounts().getOrDefault(value, 0L))
                        .tag(tagKey, value).baseUnit(baseUnit).description(description).register(registry);
            }
        }
        return this;
    }

    private Map<String, Long> safeCounts() {
        try {
            Map<String, Long> now = counts.get();
            return now == null ? Map.of() : now;
        } catch (RuntimeException e) {
            return Map.of(); // metrics never throw
        }
    }
}
