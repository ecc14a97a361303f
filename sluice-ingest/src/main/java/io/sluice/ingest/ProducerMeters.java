package io.sluice.ingest;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka producer stage: records handed to the producer, acknowledged, refused, and the time from a send to its
 * acknowledgement (measured on the pipeline's {@link Ticker}, so a test sets it exactly). Counts come from
 * {@link IngestMetrics}; the latency timer is created here and fed by {@link RecordSender}.
 */
public final class ProducerMeters implements MeterBinder {
    private final IngestMetrics metrics;

    public ProducerMeters(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("sluice.producer.sent", metrics, IngestMetrics::handedToProducer).baseUnit("records")
                .description("Records handed to the Kafka producer").register(registry);
        FunctionCounter.builder("sluice.producer.acked", metrics, m -> m.snapshot().recordsSent()).baseUnit("records")
                .description("Records Kafka acknowledged on the pipeline's topic").register(registry);
        FunctionCounter.builder("sluice.producer.dead.lettered", metrics, m -> m.snapshot().deadLettered().values().stream()
                        .mapToLong(Long::longValue).sum()).baseUnit("records")
                .description("Unreadable payloads Kafka acknowledged on the dead-letter topic").register(registry);
        FunctionCounter.builder("sluice.producer.errors", metrics, m -> m.snapshot().sendErrors()).baseUnit("records")
                .description("Records Kafka finally refused after the producer's retries").register(registry);
        Timer latency = Timer.builder("sluice.producer.latency")
                .description("Time from handing a record to the producer until Kafka acknowledged it")
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(1))
                .register(registry);
        metrics.onAckLatency(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
    }
}
