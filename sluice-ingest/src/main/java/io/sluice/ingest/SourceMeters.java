package io.sluice.ingest;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The source stage: records delivered, payloads quarantined (dead-lettered with a reason) or ignored on purpose
 * (heartbeats, control messages), failed API calls, reconnects by cause, and the committed position. Tags that are
 * only known at run time (reasons, ignored kinds) appear at the next {@link #refresh()}.
 */
public final class SourceMeters implements MeterBinder {
    /** The causes {@code PushSource.Cause} names; registered up front so a scrape shows them at zero. */
    static final String[] RECONNECT_CAUSES = {"closed", "error", "stall", "idle", "refused"};

    private final IngestMetrics metrics;
    private final String sourceType;
    private final Supplier<Map<String, Long>> ignored;
    private TaggedCounters quarantined;
    private TaggedCounters ignoredCounters;
    private TaggedCounters reconnects;

    /** @param ignored a push source's ignored payloads by kind ({@code PushSource::ignoredCounts}); empty otherwise */
    public SourceMeters(IngestMetrics metrics, String sourceType, Supplier<Map<String, Long>> ignored) {
        this.metrics = metrics;
        this.sourceType = sourceType;
        this.ignored = ignored;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("sluice.source.records", metrics, m -> m.snapshot().recordsPolled()).baseUnit("records")
                .tag("type", sourceType).description("Well-formed records the source delivered").register(registry);
        FunctionCounter.builder("sluice.source.poll.errors", metrics, m -> m.snapshot().pollErrors()).baseUnit("calls")
                .tag("type", sourceType).description("Failed calls to the source API, each retried").register(registry);
        FunctionCounter.builder("sluice.source.position.commits", metrics, IngestMetrics::positionCommits)
                .baseUnit("commits").tag("type", sourceType)
                .description("Times the source position advanced after Kafka acknowledged the records before it")
                .register(registry);
        Gauge.builder("sluice.source.position", metrics, SourceMeters::numericPosition).tag("type", sourceType)
                .description("The last committed source position when it is a number (event id, seq); NaN otherwise")
                .register(registry);
        quarantined = new TaggedCounters(registry, "sluice.source.payloads.quarantined", "reason", "payloads",
                "Payloads the source could not read, sent to the dead-letter topic with their bytes, by reason",
                () -> metrics.snapshot().deadLettered());
        ignoredCounters = new TaggedCounters(registry, "sluice.source.payloads.ignored", "kind", "payloads",
                "Payloads skipped on purpose (heartbeats, control messages, other event types), by kind", ignored);
        reconnects = new TaggedCounters(registry, "sluice.source.reconnects", "cause", "reconnects",
                "Reconnects of a push source, by cause", metrics::reconnectsByCause).preregister(RECONNECT_CAUSES);
        refresh();
    }

    /** Registers counters for reasons and kinds that appeared since the last call. */
    public void refresh() {
        if (quarantined != null) {
            quarantined.refresh();
            ignoredCounters.refresh();
            reconnects.refresh();
        }
    }

    static double numericPosition(IngestMetrics metrics) {
        String position = metrics.snapshot().lastCommittedPosition();
        if (position == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(position.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
