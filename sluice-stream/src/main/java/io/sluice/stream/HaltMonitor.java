package io.sluice.stream;

import io.sluice.config.HaltWindow;
import io.sluice.config.PipelineConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Watches the quarantined share of records over a sliding window of micro-batches (the last N, or those of the last
 * stretch of time) and says when it has stayed above the limit for a whole window. A window must be full and hold at
 * least {@code dq.halt.min_rows} records, so a job that just started or a quiet topic with three bad records cannot
 * trip it. Lives on the driver only; a restarted job starts with an empty window.
 */
final class HaltMonitor {
    private record Batch(Instant at, long rows, long quarantined, Map<String, Long> reasons) {
    }

    private final double maxRatio;
    private final HaltWindow window;
    private final long minRows;
    private final Clock clock;
    private final Deque<Batch> batches = new ArrayDeque<>();
    private Instant firstBatch;

    HaltMonitor(double maxRatio, HaltWindow window, long minRows, Clock clock) {
        this.maxRatio = maxRatio;
        this.window = window;
        this.minRows = minRows;
        this.clock = clock;
    }

    static HaltMonitor fromConfig(PipelineConfig config, Clock clock) {
        return new HaltMonitor(config.dqHaltMaxFailureRatio(), config.dqHaltWindow(), config.dqHaltMinRows(), clock);
    }

    /** Records one batch; throws when the window is full and its failure ratio is above the limit. */
    void record(long rows, long quarantined, Map<String, Long> reasons) {
        Instant now = clock.instant();
        if (firstBatch == null) {
            firstBatch = now;
        }
        batches.addLast(new Batch(now, rows, quarantined, reasons));
        boolean full;
        if (window.byTime()) {
            Instant cutoff = now.minus(window.time());
            while (!batches.isEmpty() && batches.peekFirst().at().isBefore(cutoff)) {
                batches.removeFirst();
            }
            full = !firstBatch.isAfter(cutoff);
        } else {
            while (batches.size() > window.batches()) {
                batches.removeFirst();
            }
            full = batches.size() == window.batches();
        }
        long total = batches.stream().mapToLong(Batch::rows).sum();
        long bad = batches.stream().mapToLong(Batch::quarantined).sum();
        if (maxRatio >= 1 || !full || total < minRows || (double) bad / total <= maxRatio) {
            return;
        }
        throw new DataQualityHaltException(message(total, bad));
    }

    private String message(long total, long bad) {
        Map<String, Long> reasons = new TreeMap<>();
        batches.forEach(b -> b.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum)));
        String top = reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5)
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        String span = window.byTime() ? "the last " + window : "the last " + batches.size() + " micro-batches";
        return String.format(Locale.ROOT, "data quality halt: %.0f%% of the %d records in %s were quarantined, above "
                        + "`dq.halt.max_failure_ratio` %.0f%%. Failing most: %s. Look at the quarantine table or the "
                        + "dead-letter topic, fix the producer or the rules, then rerun: the job resumes at the batch "
                        + "it stopped in.", 100.0 * bad / total, total, span, 100 * maxRatio, top);
    }

}
