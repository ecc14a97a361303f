package io.sluice.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The neighbour: an online workload ({@link NeighbourLoad}) runs at a fixed rate on its own table while Sluice drains
 * the backlog topic with no static row cap. First, without the neighbour, Sluice drains the first {@code quietBacklog}
 * records with the controller off (the rate with the cap off) and on: the adaptive drain should reach 90 % of the
 * first. These two drains are longer than the runs beside the neighbour: a fresh engine JVM spends its first seconds
 * compiling, and in a drain of a few seconds those, not the controller, would decide the ratio. Then three runs, reported
 * side by side, each of the first {@code backlog} records:
 * <ol>
 *   <li>the neighbour alone: its idle p99;</li>
 *   <li>Sluice with a high static cap ({@code sink.adaptive: false}, the full-speed in-flight limit);</li>
 *   <li>Sluice adaptive ({@code sink.adaptive: true}, the same ceilings).</li>
 * </ol>
 * Each second we keep the neighbour's p99, Sluice's write rate (from its progress) and the adaptive limit, for the
 * chart. The figure the issue asks for: with adaptive on, the neighbour's p99 stays within 2x its idle p99.
 */
final class NeighbourStage {
    /** One second of a run. */
    record Second(double t, double neighbourP99Ms, double sluiceRowsPerSecond, long limit) {
    }

    /** One run: the neighbour's p99 over the whole drain, the drain's mean rate, and its seconds. */
    record Run(String name, double neighbourP99Ms, double drainRowsPerSecond, double drainSeconds, List<Second> seconds) {
    }

    /**
     * @param staticQuiet   Sluice with the controller off and no neighbour: the rate with the cap off
     * @param adaptiveQuiet Sluice adaptive and no neighbour
     */
    /** @param quietRecords records each drain without the neighbour wrote; {@code records}: each run beside it */
    record Result(double opsPerSecond, long records, long quietRecords, Run staticQuiet, Run adaptiveQuiet, Run alone,
                  Run staticCap, Run adaptive) {
        /** Adaptive without the neighbour over the rate with the cap off; issue 15 asks for at least 0.9. */
        double adaptiveQuietShare() {
            return adaptiveQuiet.drainRowsPerSecond() / staticQuiet.drainRowsPerSecond();
        }

        double staticP99Ratio() {
            return staticCap.neighbourP99Ms() / alone.neighbourP99Ms();
        }

        double adaptiveP99Ratio() {
            return adaptive.neighbourP99Ms() / alone.neighbourP99Ms();
        }

        String summary() {
            return String.format(java.util.Locale.ROOT, "without the neighbour: adaptive %.0f rows/s = %.0f %% of %.0f "
                            + "with the cap off; neighbour at %.0f ops/s: p99 alone %.1f ms; with Sluice static "
                            + "%.1f ms (%.1fx, drain %.0f rows/s); with Sluice adaptive %.1f ms (%.1fx, drain %.0f rows/s)",
                    adaptiveQuiet.drainRowsPerSecond(), 100 * adaptiveQuietShare(), staticQuiet.drainRowsPerSecond(),
                    opsPerSecond, alone.neighbourP99Ms(), staticCap.neighbourP99Ms(), staticP99Ratio(),
                    staticCap.drainRowsPerSecond(), adaptive.neighbourP99Ms(), adaptiveP99Ratio(),
                    adaptive.drainRowsPerSecond());
        }
    }

    /** How long the neighbour runs before its idle p99 is measured. */
    static final Duration WARM_UP = Duration.ofSeconds(5);

    private final BenchStack stack;
    private final Console console;

    NeighbourStage(BenchStack stack, Console console) {
        this.stack = stack;
        this.console = console;
    }

    /**
     * @param fullSpeed the bench's full-speed overrides (no row cap, high in-flight ceiling)
     * @param backlog      records of {@code topic} each Sluice run beside the neighbour drains (the first ones), each
     *                     into its own table
     * @param quietBacklog the same for the two drains without the neighbour
     */
    Result run(SluiceJobFactory jobs, Map<String, String> fullSpeed, String topic, long backlog, long quietBacklog,
               double opsPerSecond, Duration aloneFor, Duration timeout) {
        Run staticQuiet = drain(jobs, null, Bench.adaptive(fullSpeed, false), "bench_quiet_static", "quiet_static", topic,
                quietBacklog, timeout);
        Run adaptiveQuiet = drain(jobs, null, Bench.adaptive(fullSpeed, true), "bench_quiet_adaptive", "quiet_adaptive", topic,
                quietBacklog, timeout);
        settle(timeout);
        try (LatencyLoop neighbour = NeighbourLoad.start(stack.session(), opsPerSecond)) {
            // Its first seconds are the client's own warm-up (JIT, connections), which the runs beside Sluice never
            // see: an idle p99 that counted them would be a lenient yardstick.
            Sleep.millis(Math.min(WARM_UP.toMillis(), aloneFor.toMillis()));
            long start = System.nanoTime();
            Sampler alone = new Sampler(start, neighbour, null, topic);
            Sleep.millis(aloneFor.toMillis());
            Run idle = new Run("neighbour alone", neighbour.p99Ms(start, System.nanoTime()), 0,
                    aloneFor.toSeconds(), alone.stop());
            console.step("neighbour: %.0f ops/s alone, p99 %.1f ms", opsPerSecond, idle.neighbourP99Ms());
            Run staticCap = drain(jobs, neighbour, Bench.adaptive(fullSpeed, false), "bench_neighbour_static",
                    "neighbour_static", topic, backlog, timeout);
            Run adaptive = drain(jobs, neighbour, Bench.adaptive(fullSpeed, true), "bench_neighbour_adaptive",
                    "neighbour_adaptive", topic, backlog, timeout);
            return new Result(opsPerSecond, backlog, quietBacklog, staticQuiet, adaptiveQuiet, idle, staticCap, adaptive);
        }
    }

    /** @param neighbour null for a run without the neighbour */
    private Run drain(SluiceJobFactory jobs, LatencyLoop neighbour, Map<String, String> settings, String name,
                      String table, String topic, long backlog, Duration timeout) {
        stack.createTable(table, DemoRecords.COLUMNS);
        settle(timeout);
        try (SluiceJob job = jobs.startAvailableNow(name, topic, table, settings)) {
            job.awaitStarted(timeout);
            long start = System.nanoTime();
            Sampler sampler = new Sampler(start, neighbour, job, topic);
            job.awaitConsumed(topic, backlog, timeout);
            long end = System.nanoTime();
            List<Second> seconds = sampler.stop();
            double drainSeconds = (end - start) / 1e9;
            Run run = new Run(name, neighbour == null ? 0 : neighbour.p99Ms(start, end), backlog / drainSeconds,
                    drainSeconds, seconds);
            console.step("neighbour: %s drained %,d records in %.0f s (%.0f rows/s)%s", name, backlog, drainSeconds,
                    run.drainRowsPerSecond(), neighbour == null ? ", no neighbour"
                            : String.format(java.util.Locale.ROOT, "; neighbour p99 %.1f ms", run.neighbourP99Ms()));
            return run;
        }
    }

    /**
     * Each run starts on a node at rest: the runs are compared, and the flushes and compactions of one run's rows must
     * not land in the next (the adaptive run, last, used to pay for the static one's).
     */
    private void settle(Duration timeout) {
        Duration took = stack.settle(timeout);
        console.step("neighbour: Cassandra flushed and done compacting in %.1f s", took.toMillis() / 1e3);
    }

    /**
     * One {@link Second} a second: the neighbour's p99 of that second (0 without a neighbour), Sluice's progress, the
     * adaptive limit.
     */
    private static final class Sampler {
        private final long origin;
        private final LatencyLoop neighbour;
        private final SluiceJob job;
        private final String topic;
        private final PerSecondSampler<Second> seconds;
        private long lastNanos;
        private long lastConsumed;

        Sampler(long origin, LatencyLoop neighbour, SluiceJob job, String topic) {
            this.origin = origin;
            this.neighbour = neighbour;
            this.job = job;
            this.topic = topic;
            this.lastNanos = origin;
            this.seconds = new PerSecondSampler<>("bench-neighbour-sampler", List.of(), 1, this::sample);
        }

        private Second sample() {
            long now = System.nanoTime();
            long consumed = job == null ? 0 : job.consumed(topic);
            long limit = job == null ? 0 : job.adaptiveLimit();
            Second second = new Second(Math.round((now - origin) / 1e7) / 100.0, neighbour == null ? 0
                    : neighbour.p99Ms(lastNanos, now),
                    (consumed - lastConsumed) / ((now - lastNanos) / 1e9), limit);
            lastNanos = now;
            lastConsumed = consumed;
            return second;
        }

        List<Second> stop() {
            return seconds.stop();
        }
    }
}
