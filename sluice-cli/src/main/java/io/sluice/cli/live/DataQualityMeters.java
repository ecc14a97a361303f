package io.sluice.cli.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.ingest.TaggedCounters;
import io.sluice.stream.launch.StreamProgress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data-quality stage, from the stream job's progress lines: records passed (written), warned, quarantined by
 * reason ({@code parse:<detail>}, or {@code rule} when they failed a quarantine rule) and failures by rule (a record
 * failing two rules counts for both; {@code warn} rules included).
 */
public final class DataQualityMeters implements MeterBinder, StreamProgressFeed.Listener {
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong warned = new AtomicLong();
    private final AtomicLong quarantinedTotal = new AtomicLong();
    private final Map<String, Long> quarantined = new ConcurrentHashMap<>();
    private final Map<String, Long> failuresByRule = new ConcurrentHashMap<>();
    private TaggedCounters byReason;
    private TaggedCounters byRule;

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("sluice.dq.passed", passed, AtomicLong::get).baseUnit("records")
                .description("Records that passed every quarantine rule and were written").register(registry);
        FunctionCounter.builder("sluice.dq.warned", warned, AtomicLong::get).baseUnit("records")
                .description("Records written although they failed a warn rule").register(registry);
        FunctionCounter.builder("sluice.dq.quarantined.total", quarantinedTotal, AtomicLong::get).baseUnit("records")
                .description("Records quarantined, all reasons").register(registry);
        byReason = new TaggedCounters(registry, "sluice.dq.quarantined", "reason", "records",
                "Records quarantined, by reason (parse:<detail>, or rule for records that failed a quarantine rule)",
                () -> Map.copyOf(quarantined));
        byRule = new TaggedCounters(registry, "sluice.dq.rule.failures", "rule", "records",
                "Records that failed each rule (a record failing two rules counts for both)", () -> Map.copyOf(failuresByRule));
    }

    @Override
    public void onBatch(StreamProgress batch) {
        passed.addAndGet(batch.rowsWritten());
        warned.addAndGet(batch.rowsWarned());
        quarantinedTotal.addAndGet(batch.rowsSkipped());
        long parseFailures = 0;
        for (var e : batch.skippedByReason().entrySet()) {
            quarantined.merge("parse:" + e.getKey(), e.getValue(), Long::sum);
            parseFailures += e.getValue();
        }
        long byRules = batch.rowsSkipped() - parseFailures;
        if (byRules > 0) {
            quarantined.merge("rule", byRules, Long::sum);
        }
        batch.failedByRule().forEach((rule, n) -> failuresByRule.merge(rule, n, Long::sum));
        refresh();
    }

    /** Quarantined records so far, by reason. */
    public Map<String, Long> quarantinedByReason() {
        return new TreeMap<>(quarantined);
    }

    void refresh() {
        if (byReason != null) {
            byReason.refresh();
            byRule.refresh();
        }
    }
}
