package io.sluice.bench;

import io.sluice.bench.BenchResults.CpuUse;
import io.sluice.bench.BenchResults.Drain;
import io.sluice.stream.launch.ProgressBar;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Stages 3 and 4 and the Flink peer: an engine job drains the whole backlog topic; we time it and count the rows it left in its table. The
 * CPU window runs from the job's query start to the moment it has written the whole backlog, so JVM and Spark
 * start-up are not in it, as they are not in the rate.
 */
final class DrainStage {
    private final BenchStack stack;
    private final RssMonitor rss;
    private final CpuLedger cpu;
    private final Console console;
    private final Duration timeout;

    DrainStage(BenchStack stack, RssMonitor rss, CpuLedger cpu, Console console, Duration timeout) {
        this.stack = stack;
        this.rss = rss;
        this.cpu = cpu;
        this.console = console;
        this.timeout = timeout;
    }

    /**
     * @param stage the stage's key in the CPU figures ({@link CpuLedger#BASELINE} or {@link CpuLedger#SLUICE})
     * @param label the Spark JVM's name in the report (peak memory, results)
     */
    /** Lets a caller that is asked often act at most once per period. */
    private static final class ReportEvery {
        private final long periodNanos;
        private long last = Long.MIN_VALUE;

        ReportEvery(Duration period) {
            this.periodNanos = period.toNanos();
        }

        boolean due() {
            long now = System.nanoTime();
            if (last != Long.MIN_VALUE && now - last < periodNanos) {
                return false;
            }
            last = now;
            return true;
        }
    }

    Drain drain(SparkJob job, String stage, String label, String topic, long backlog, String table,
                Map<String, String> settings, String dataQuality) {
        try (job) {
            rss.track(label, job.pid());
            job.awaitStarted(timeout);
            CpuUse use;
            try (CpuWindow window = cpu.open(job.pid())) {
                // A bar drawn in place on a terminal; in a pipe or CI log one plain line every few seconds.
                ProgressBar bar = new ProgressBar(console.out(), System.console() != null, "  " + label, System::nanoTime);
                ReportEvery every = new ReportEvery(Duration.ofSeconds(System.console() != null ? 0 : 5));
                job.awaitConsumed(topic, backlog, timeout, consumed -> {
                    if (every.due()) {
                        bar.report(Math.min(consumed, backlog), backlog, "records written");
                    }
                });
                bar.finish();
                use = window.finish(CpuLedger.stageName(stage), backlog);
            }
            rss.sampleNow();
            Instant finished = Instant.now();
            cpu.record(stage, use);
            console.step("%s", CpuLedger.describe(use));
            DrainTiming timing = DrainTiming.of(job.progress());
            job.stop(Duration.ofSeconds(60));
            long inTable = Tables.count(stack.session(), table);
            double wall = Duration.between(job.launchedAt(), finished).toNanos() / 1e9;
            return new Drain(label, backlog, inTable, timing.batches(), timing.seconds(), timing.rowsPerSecond(), wall,
                    settings, dataQuality);
        }
    }
}
