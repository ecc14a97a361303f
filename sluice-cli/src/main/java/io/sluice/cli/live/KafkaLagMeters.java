package io.sluice.cli.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka as the buffer: per partition the topic's end offset, and the lag, the end offset against the offset the
 * stream job has read up to (from its progress lines). Before the job's first batch of this run its position is not
 * known, and the lag counts from the start of the partition. {@link #update} is called by the sampler with figures it
 * read from Kafka's Admin API; the gauges only read them, so a scrape never waits on Kafka.
 */
public final class KafkaLagMeters implements MeterBinder {
    private final String topic;
    private final Map<Integer, Long> endOffsets = new ConcurrentHashMap<>();
    private final Map<Integer, Long> consumed = new ConcurrentHashMap<>();
    private final Set<Integer> registered = ConcurrentHashMap.newKeySet();
    private MeterRegistry registry;

    public KafkaLagMeters(String topic) {
        this.topic = topic;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("sluice.kafka.lag.total", this, KafkaLagMeters::totalLag).tag("topic", topic).baseUnit("records")
                .description("Records in Kafka the stream job has not read yet, all partitions").register(registry);
        FunctionCounter.builder("sluice.kafka.records", this, KafkaLagMeters::totalEnd).tag("topic", topic)
                .baseUnit("records").description("Records the topic holds (sum of end offsets)").register(registry);
        registerPartitions();
    }

    /** New figures: end offsets from Kafka, and how far the stream job has read (next offset to read). */
    public void update(Map<Integer, Long> end, Map<Integer, Long> readUpTo) {
        endOffsets.putAll(end);
        consumed.putAll(readUpTo);
        registerPartitions();
    }

    public long totalLag() {
        return endOffsets.keySet().stream().mapToLong(this::lag).sum();
    }

    public long totalEnd() {
        return endOffsets.values().stream().mapToLong(Long::longValue).sum();
    }

    long lag(int partition) {
        return Math.max(0, endOffsets.getOrDefault(partition, 0L) - consumed.getOrDefault(partition, 0L));
    }

    private void registerPartitions() {
        if (registry == null) {
            return;
        }
        for (Integer partition : endOffsets.keySet()) {
            if (registered.add(partition)) {
                String p = Integer.toString(partition);
                Gauge.builder("sluice.kafka.lag", this, m -> m.lag(partition)).tags("topic", topic, "partition", p)
                        .baseUnit("records").description("End offset minus the stream job's read offset, per partition")
                        .register(registry);
                Gauge.builder("sluice.kafka.end.offset", this, m -> m.endOffsets.getOrDefault(partition, 0L))
                        .tags("topic", topic, "partition", p).baseUnit("records")
                        .description("The partition's end offset (next offset to be written)").register(registry);
            }
        }
    }
}
