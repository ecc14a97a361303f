package io.sluice.ingest;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.config.TokenBuckets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Holds the producer to {@code producer.records_per_second} and {@code producer.bytes_per_second} at the same time.
 *
 * <p>Two Bucket4j token buckets, one counting records and one counting bytes: a single bucket cannot do it, because
 * all limits in one bucket spend the same tokens. Each bucket holds one second's worth, so a burst after an idle
 * spell is at most one second of traffic, and over any window of {@code t} seconds at most {@code rate * (t + 1)}
 * pass. A record larger than the byte bucket waits for a full bucket and then overdraws it, so the long-run byte rate
 * still holds.
 *
 * <p>Time comes from a {@link Ticker}: tests run it on a {@link ManualTicker} and never sleep. Meant for one
 * consumer thread (the pipeline's sender); {@link #acquire} is synchronized so a second caller is merely slower.
 */
public final class Throttle implements MeterBinder {
    private final Bucket records;
    private final Bucket bytes;
    private static final long MAX_TOKENS_PER_SECOND = 100_000_000;

    private final long byteCapacity;
    private final long bytesPerToken;
    private final Ticker ticker;
    private final double recordsPerSecond;
    private final long bytesPerSecond;
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder waits = new LongAdder();

    public Throttle(double recordsPerSecond, long bytesPerSecond, Ticker ticker) {
        if (!(recordsPerSecond > 0) || bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rates must be positive, got " + recordsPerSecond + " records/s and "
                    + bytesPerSecond + " bytes/s");
        }
        this.ticker = ticker;
        this.recordsPerSecond = recordsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        TimeMeter time = TokenBuckets.clock(ticker::nanoTime);
        // One second's worth, at least one record; a fractional rate such as 2.5/s stretches the refill period.
        this.records = bucket(TokenBuckets.bandwidth(recordsPerSecond, (long) Math.max(1, Math.ceil(recordsPerSecond))),
                time);
        // Bucket4j refills at most one token per nanosecond: above that, one token stands for several bytes.
        this.bytesPerToken = Math.max(1, (bytesPerSecond + MAX_TOKENS_PER_SECOND - 1) / MAX_TOKENS_PER_SECOND);
        this.byteCapacity = bytesPerSecond / bytesPerToken;
        this.bytes = bucket(TokenBuckets.bandwidth(byteCapacity, byteCapacity), time);
    }

    /** Waits until one record of {@code sizeInBytes} may be sent, then spends it from both buckets. */
    public synchronized void acquire(int sizeInBytes) throws InterruptedException {
        long byteTokens = (Math.max(sizeInBytes, 0) + bytesPerToken - 1) / bytesPerToken;
        long needBytes = Math.min(byteTokens, byteCapacity);
        while (true) {
            EstimationProbe recordProbe = records.estimateAbilityToConsume(1);
            EstimationProbe byteProbe = bytes.estimateAbilityToConsume(needBytes);
            if (recordProbe.canBeConsumed() && byteProbe.canBeConsumed()) {
                records.consumeIgnoringRateLimits(1);
                bytes.consumeIgnoringRateLimits(byteTokens);
                return;
            }
            long waitNanos = Math.max(waitOf(recordProbe), waitOf(byteProbe));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while throttled");
            }
            long sleep = Math.max(waitNanos, 1);
            ticker.sleepNanos(sleep);
            waitedNanos.add(sleep);
            waits.increment();
        }
    }

    /** Total time callers of {@link #acquire} spent waiting for tokens: the throttle holding the flow back. */
    public Duration waited() {
        return Duration.ofNanos(waitedNanos.sum());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("sluice.throttle.wait", waitedNanos, w -> w.sum() / 1e9)
                .baseUnit("seconds").description("Time the producer waited for the throttle's tokens")
                .register(registry);
        FunctionCounter.builder("sluice.throttle.waits", waits, LongAdder::sum)
                .baseUnit("waits").description("Times a record had to wait for the throttle")
                .register(registry);
        Gauge.builder("sluice.throttle.limit", this, t -> t.recordsPerSecond).tag("unit", "records")
                .baseUnit("per.second").description("The throttle's limit: producer.records_per_second")
                .register(registry);
        Gauge.builder("sluice.throttle.limit", this, t -> t.bytesPerSecond).tag("unit", "bytes")
                .baseUnit("per.second").description("The throttle's limit: producer.bytes_per_second")
                .register(registry);
    }

    private static long waitOf(EstimationProbe probe) {
        return probe.canBeConsumed() ? 0 : probe.getNanosToWaitForRefill();
    }

    private static Bucket bucket(Bandwidth limit, TimeMeter time) {
        return Bucket.builder().addLimit(limit).withCustomTimePrecision(time).build();
    }
}
