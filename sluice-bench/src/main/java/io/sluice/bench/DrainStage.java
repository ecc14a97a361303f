package io.sluice.bench;

import io.sluice.bench.BenchResults.CpuUse;
import io.sluice.bench.BenchResults.Drain;
import io.sluice.bench.BenchResults.EngineCpu;
import io.sluice.bench.BenchResults.Faults;
import io.sluice.bench.BenchResults.JvmCpu;
import io.sluice.stream.launch.ProgressBar;
import io.sluice.stream.launch.StreamProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The drains (the baseline, Sluice at full speed and with its defaults, the Flink peer): an engine job drains the
 * backlog topic; we time it and count the rows it left in its table. The CPU window runs from the job's query start to
 * the moment it has written the whole backlog, so JVM and engine start-up are not in it, as they are not in the rate.
 * The Flink peer writes a single batch line, so only its cold figure exists.
 */
final class DrainStage {
    /** How long a drain waits for Cassandra to finish the flushes and compactions of the stage before it. */
    static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

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

    /**
     * @param stage the stage's key in the CPU figures ({@link CpuLedger#BASELINE}, {@link CpuLedger#SLUICE} etc.)
     * @param label the engine JVM's name in the report (peak memory, results)
     */
    Drain drain(Supplier<SparkJob> start, String stage, String label, String topic, long backlog, String table,
                Map<String, String> settings, String dataQuality) {
        settle(label);
        try (SparkJob job = start.get()) {
            rss.track(label, job.pid());
            job.awaitStarted(timeout);
            CpuUse use;
            CpuTimeline engine;
            CpuTimeline cassandra;
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
                engine = window.timeline(CpuLedger.ENGINE);
                cassandra = window.timeline(CpuLedger.CASSANDRA);
            }
            rss.sampleNow();
            Instant finished = Instant.now();
            cpu.record(stage, use);
            console.step("%s", CpuLedger.describe(use));
            EngineCpu warmCold = warmCold(job, use, engine, cassandra, backlog);
            DrainTiming timing = DrainTiming.of(job.progress());
            job.stop(Duration.ofSeconds(60));
            Long inTable = rowsIn(table);
            double wall = Duration.between(job.launchedAt(), finished).toNanos() / 1e9;
            return new Drain(label, backlog, inTable, timing.batches(), timing.seconds(), timing.rowsPerSecond(), wall,
                    settings, dataQuality, warmCold, faults(job.progress()));
        }
    }

    /**
     * Each engine starts on a node at rest. Without it a drain shared the two cores with the flushes and compactions
     * of the rows the stage before it had written (the ceiling's 1.2 million before the tutorial, the tutorial's
     * 500,000 before Sluice), and paid for them in its rate and in Cassandra's CPU per row, while an engine measured
     * after two slow stages (Flink, after the default drains) found the node quiet. A node still compacting after
     * {@link #SETTLE_TIMEOUT} is reported and the drain goes ahead: a busy node must not void a measurement.
     */
    private void settle(String label) {
        try {
            Duration took = stack.settle(SETTLE_TIMEOUT);
            console.step("%s: Cassandra flushed and done compacting in %.1f s", label, took.toMillis() / 1e3);
        } catch (BenchException e) {
            console.step("%s: %s; the drain starts anyway", label, e.getMessage());
        }
    }

    /** Write timeouts summed over the batches, and query starts after the first. */
    static Faults faults(List<StreamProgress> progress) {
        long timeouts = progress.stream().filter(StreamProgress::isBatch).filter(p -> p.write() != null)
                .mapToLong(p -> p.write().timeouts()).sum();
        long starts = progress.stream().filter(p -> StreamProgress.STARTED.equals(p.event())).count();
        return new Faults(timeouts, Math.max(0, starts - 1));
    }

    /**
     * The rows the drain left in its table, or null if even the sliced, retried count failed: the drain itself
     * finished and its rate stands, so a failed check is reported beside it instead of voiding it.
     */
    private Long rowsIn(String table) {
        try {
            return RowCounter.count(stack.session(), table);
        } catch (RuntimeException e) {
            console.step("rows in %s not verified: %s", table, e.getMessage());
            return null;
        }
    }

    /** The drain's CPU cold and warm; null where the engine's CPU could not be read (no /proc). */
    private EngineCpu warmCold(SparkJob job, CpuUse use, CpuTimeline engine, CpuTimeline cassandra, long rows) {
        JvmCpu engineCpu = use.jvms().get(CpuLedger.ENGINE);
        if (engineCpu == null) {
            return null;
        }
        JvmCpu db = use.jvms().get(CpuLedger.CASSANDRA);
        EngineCpu figures = WarmCold.of(job.progress(), engine, cassandra, engineCpu.cpuSeconds(),
                db == null ? null : db.cpuSeconds(), rows);
        console.step("engine CPU per row: cold %s µs, warm %s µs; Cassandra cold %s, warm %s µs; one warm micro-batch "
                        + "(median of %d): %s ms of engine CPU for %s records", micros(figures.engineColdMicrosPerRow()),
                micros(figures.engineWarmMicrosPerRow()), micros(figures.cassandraColdMicrosPerRow()),
                micros(figures.cassandraWarmMicrosPerRow()), Math.max(0, figures.batches() - 1),
                micros(figures.batchCpuMsMedian()), micros(figures.batchRowsMedian()));
        return figures;
    }

    private static String micros(Double value) {
        return value == null ? "n/a" : String.format(java.util.Locale.ROOT, "%,.0f", value);
    }
}
