package io.sluice.cli.live;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.stream.launch.StreamProgress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Spark stage, from the stream job's progress lines ({@link StreamProgressFeed}): micro-batch size and duration,
 * the trigger delay, and records per batch against the cap ({@code stream.max_offsets_per_trigger}).
 */
public final class StreamMeters implements MeterBinder, StreamProgressFeed.Listener {
    private final long maxOffsetsPerTrigger;
    private final Duration triggerInterval;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong lastBatchRecords = new AtomicLong();
    private DistributionSummary batchRecords;
    private Timer batchDuration;
    private Timer triggerDelay;

    public StreamMeters(long maxOffsetsPerTrigger, Duration triggerInterval) {
        this.maxOffsetsPerTrigger = maxOffsetsPerTrigger;
        this.triggerInterval = triggerInterval;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("sluice.stream.records", records, AtomicLong::get).baseUnit("records")
                .description("Records the stream job read from Kafka").register(registry);
        batchRecords = DistributionSummary.builder("sluice.stream.batch.records").baseUnit("records")
                .description("Records per micro-batch").register(registry);
        batchDuration = Timer.builder("sluice.stream.batch.duration")
                .description("Time to parse, check and write one micro-batch").register(registry);
        triggerDelay = Timer.builder("sluice.stream.trigger.delay")
                .description("Wait between the end of one micro-batch and the start of the next (0: the job runs behind)")
                .register(registry);
        Gauge.builder("sluice.stream.batch.cap", this, m -> m.maxOffsetsPerTrigger).baseUnit("records")
                .description("Most records per micro-batch: stream.max_offsets_per_trigger").register(registry);
        Gauge.builder("sluice.stream.batch.fill", this, m -> m.maxOffsetsPerTrigger == 0 ? 0
                        : (double) m.lastBatchRecords.get() / m.maxOffsetsPerTrigger).baseUnit("ratio")
                .description("Records of the last micro-batch against the cap (1: the cap holds the job back)")
                .register(registry);
        Gauge.builder("sluice.stream.trigger.interval", this, m -> m.triggerInterval.toNanos() / 1e9).baseUnit("seconds")
                .description("The trigger: stream.trigger_interval").register(registry);
    }

    @Override
    public void onBatch(StreamProgress batch) {
        records.addAndGet(batch.numInputRows());
        lastBatchRecords.set(batch.numInputRows());
        if (batchRecords != null) {
            batchRecords.record(batch.numInputRows());
            batchDuration.record(Duration.ofMillis(batch.durationMs()));
            triggerDelay.record(Duration.ofMillis(batch.triggerDelayMs()));
        }
    }

    /** Records read per second at most: the cap over the trigger interval. */
    public double limitPerSecond() {
        return triggerInterval.isZero() ? 0 : maxOffsetsPerTrigger / (triggerInterval.toNanos() / 1e9);
    }
}
