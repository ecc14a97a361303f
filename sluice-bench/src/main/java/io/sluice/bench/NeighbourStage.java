package io.sluice.bench;

import io.sluice.stream.launch.StreamProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The neighbour: an online workload ({@link NeighbourLoad}) runs at a fixed rate on its own table while Sluice drains
 * the backlog topic with no static row cap, three times, reported side by side:
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

    record Result(double opsPerSecond, Run alone, Run staticCap, Run adaptive) {
        double staticP99Ratio() {
            return staticCap.neighbourP99Ms() / alone.neighbourP99Ms();
        }

        double adaptiveP99Ratio() {
            return adaptive.neighbourP99Ms() / alone.neighbourP99Ms();
        }

        String summary() {
            return String.format(java.util.Locale.ROOT, "neighbour at %.0f ops/s: p99 alone %.1f ms; with Sluice static "
                            + "%.1f ms (%.1fx, drain %.0f rows/s); with Sluice adaptive %.1f ms (%.1fx, drain %.0f rows/s)",
                    opsPerSecond, alone.neighbourP99Ms(), staticCap.neighbourP99Ms(), staticP99Ratio(),
                    staticCap.drainRowsPerSecond(), adaptive.neighbourP99Ms(), adaptiveP99Ratio(),
                    adaptive.drainRowsPerSecond());
        }
    }

    private final BenchStack stack;
    private final Console console;

    NeighbourStage(BenchStack stack, Console console) {
        this.stack = stack;
        this.console = console;
    }

    /**
     * @param fullSpeed the bench's full-speed overrides (no row cap, high in-flight ceiling)
     * @param backlog   records in {@code topic}; each Sluice run drains all of them into its own table
     */
    Result run(SluiceJobFactory jobs, Map<String, String> fullSpeed, String topic, long backlog, double opsPerSecond,
               Duration aloneFor, Duration timeout) {
        try (NeighbourLoad neighbour = new NeighbourLoad(stack.session(), opsPerSecond)) {
            long start = System.nanoTime();
            Sampler alone = new Sampler(start, neighbour, null, topic);
            Sleep.millis(aloneFor.toMillis());
            Run idle = new Run("neighbour alone", neighbour.p99Ms(start, System.nanoTime()), 0,
                    aloneFor.toSeconds(), alone.stop());
            console.step("neighbour: %.0f ops/s alone, p99 %.1f ms", opsPerSecond, idle.neighbourP99Ms());
            Run staticCap = drain(jobs, neighbour, with(fullSpeed, "false"), "bench_neighbour_static",
                    "neighbour_static", topic, backlog, timeout);
            Run adaptive = drain(jobs, neighbour, with(fullSpeed, "true"), "bench_neighbour_adaptive",
                    "neighbour_adaptive", topic, backlog, timeout);
            return new Result(opsPerSecond, idle, staticCap, adaptive);
        }
    }

    private static Map<String, String> with(Map<String, String> fullSpeed, String adaptive) {
        Map<String, String> settings = new LinkedHashMap<>(fullSpeed);
        settings.put("sink.writer", "driver");
        settings.put("sink.adaptive", adaptive);
        return settings;
    }

    private Run drain(SluiceJobFactory jobs, NeighbourLoad neighbour, Map<String, String> settings, String name,
                      String table, String topic, long backlog, Duration timeout) {
        stack.createTable(table, DemoRecords.COLUMNS);
        try (SluiceJob job = jobs.startAvailableNow(name, topic, table, settings)) {
            job.awaitStarted(timeout);
            long start = System.nanoTime();
            Sampler sampler = new Sampler(start, neighbour, job, topic);
            job.awaitConsumed(topic, backlog, timeout);
            long end = System.nanoTime();
            List<Second> seconds = sampler.stop();
            double drainSeconds = (end - start) / 1e9;
            Run run = new Run(name, neighbour.p99Ms(start, end), backlog / drainSeconds, drainSeconds, seconds);
            console.step("neighbour: %s drained %,d records in %.0f s (%.0f rows/s); neighbour p99 %.1f ms", name,
                    backlog, drainSeconds, run.drainRowsPerSecond(), run.neighbourP99Ms());
            return run;
        }
    }

    /** One {@link Second} a second: the neighbour's p99 of that second, Sluice's progress, the adaptive limit. */
    private static final class Sampler {
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bench-neighbour-sampler");
                    t.setDaemon(true);
                    return t;
                });
        private final List<Second> seconds = new ArrayList<>();
        private final long origin;
        private final NeighbourLoad neighbour;
        private final SluiceJob job;
        private final String topic;
        private long lastNanos;
        private long lastConsumed;

        Sampler(long origin, NeighbourLoad neighbour, SluiceJob job, String topic) {
            this.origin = origin;
            this.neighbour = neighbour;
            this.job = job;
            this.topic = topic;
            this.lastNanos = origin;
            timer.scheduleAtFixedRate(this::sample, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }

        private void sample() {
            try {
                long now = System.nanoTime();
                long consumed = job == null ? 0 : job.consumed(topic);
                long limit = job == null ? 0 : job.progress().stream().filter(StreamProgress::isBatch)
                        .reduce((a, b) -> b).map(b -> b.write().control().limit()).orElse(0L);
                synchronized (seconds) {
                    seconds.add(new Second(Math.round((now - origin) / 1e7) / 100.0, neighbour.p99Ms(lastNanos, now),
                            (consumed - lastConsumed) / ((now - lastNanos) / 1e9), limit));
                }
                lastNanos = now;
                lastConsumed = consumed;
            } catch (RuntimeException e) {
                // one missed second; the next covers both
            }
        }

        List<Second> stop() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (seconds) {
                return List.copyOf(seconds);
            }
        }
    }
}
