package io.sluice.bench;

import io.sluice.stream.launch.StreamProgress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The pause: Sluice drains a backlog with the adaptive controller and no static cap, and in the middle of it Cassandra's
 * JVM is stopped with SIGSTOP for {@code pause}, then resumed (a long GC pause, a frozen VM: no answer, no closed
 * connection). Reported: rows lost (acknowledged by Kafka, not in the table), failed queries (the job's exit and
 * restarts of its query), batches run twice, and the seconds from the resume until the write rate is back to 80 % of
 * its mean over the ten seconds before the pause. Cassandra's own write count gives the rate, one sample a second.
 */
final class PauseStage {
    static final String TOPIC = "bench_pause";
    static final String TABLE = "pause";
    static final double RECOVERED = 0.8;

    /** One second of the run: time since the drain started, Cassandra's writes per second, the adaptive limit. */
    record Sample(double t, double writesPerSecond, long limit) {
    }

    /**
     * @param recoverySeconds from the resume to the first second at {@value #RECOVERED} of the pre-pause rate; NaN if
     *                        it never got there before the drain ended
     */
    record Result(long produced, long rowsInTable, long rowsLost, int exitCode, long queryStarts, long batchesRunTwice,
                  double pauseStartT, double pauseEndT, double prePauseRowsPerSecond, double recoverySeconds,
                  List<Sample> samples) {
        long failedQueries() {
            return (exitCode == 0 ? 0 : 1) + Math.max(0, queryStarts - 1);
        }

        /** The stage's figures in one line, for the console and the report. */
        String summary() {
            return String.format(java.util.Locale.ROOT, "%,d rows lost, %d failed queries, %d batches run twice; "
                            + "%.0f rows/s before the pause, back to 80%% of it %s",
                    rowsLost, failedQueries(), batchesRunTwice, prePauseRowsPerSecond, Double.isNaN(recoverySeconds)
                            ? "never before the drain ended" : String.format(java.util.Locale.ROOT,
                            "%.0f s after the resume", recoverySeconds));
        }
    }

    private final BenchStack stack;
    private final DemoRecords records;
    private final Console console;

    PauseStage(BenchStack stack, DemoRecords records, Console console) {
        this.stack = stack;
        this.records = records;
        this.console = console;
    }

    /**
     * @param settings the job's overrides: full speed with {@code sink.writer: driver} and {@code sink.adaptive: true}
     */
    Result run(SluiceJobFactory jobs, Map<String, String> settings, int partitions, long backlog, Duration pause,
               Map<String, String> producerSettings, Duration timeout) {
        stack.createTopic(TOPIC, partitions);
        stack.createTable(TABLE, DemoRecords.COLUMNS);
        long acked;
        try (PacedProducer producer = new PacedProducer(stack, records, TOPIC, producerSettings, 0)) {
            producer.produce(backlog / 5.0, Duration.ofSeconds(5));
            acked = producer.acked();
        }
        console.step("pause: %,d records in %s; draining with the adaptive writer, SIGSTOP Cassandra for %d s at a third",
                acked, TOPIC, pause.toSeconds());
        try (SluiceJob job = jobs.startAvailableNow("bench_pause", TOPIC, TABLE, settings)) {
            job.awaitStarted(timeout);
            long origin = System.nanoTime();
            Sampler sampler = new Sampler(origin, job);
            job.awaitConsumed(TOPIC, acked / 3, timeout);
            double pauseStart = (System.nanoTime() - origin) / 1e9;
            Signals.send("STOP", stack.cassandraPid());
            try {
                Sleep.millis(pause.toMillis());
            } finally {
                Signals.send("CONT", stack.cassandraPid());
            }
            double pauseEnd = (System.nanoTime() - origin) / 1e9;
            int exit = job.awaitExit(timeout);
            Sleep.millis(2000); // a calm tail on the chart
            List<Sample> samples = sampler.stop();
            List<StreamProgress> progress = job.progress();
            long starts = progress.stream().filter(p -> StreamProgress.STARTED.equals(p.event())).count();
            List<Long> batchIds = progress.stream().filter(StreamProgress::isBatch).map(StreamProgress::batchId).toList();
            long inTable = RowCounter.count(stack.session(), TABLE);
            double before = meanRate(samples, pauseStart - 10, pauseStart);
            return new Result(acked, inTable, Math.max(0, acked - inTable), exit, starts,
                    batchIds.size() - batchIds.stream().distinct().count(), pauseStart, pauseEnd, before,
                    recoverySeconds(samples, pauseEnd, RECOVERED * before), samples);
        }
    }

    /** Mean write rate of the samples in {@code [from, to)}. */
    static double meanRate(List<Sample> samples, double from, double to) {
        return samples.stream().filter(s -> s.t() >= from && s.t() < to).mapToDouble(Sample::writesPerSecond)
                .average().orElse(0);
    }

    /** Seconds from {@code resumedAt} to the first later sample at or above {@code rate}; NaN if none. */
    static double recoverySeconds(List<Sample> samples, double resumedAt, double rate) {
        return samples.stream().filter(s -> s.t() > resumedAt && s.writesPerSecond() >= rate)
                .mapToDouble(s -> s.t() - resumedAt).findFirst().orElse(Double.NaN);
    }

    /** One {@link Sample} a second. A fresh counter each time: one that timed out during the pause would otherwise stay
     *  switched off. A second without a count (Cassandra paused) has no sample; the next one spans the gap. */
    private final class Sampler {
        private final long origin;
        private final SluiceJob job;
        private final WriteRate writeRate;
        private final PerSecondSampler<Sample> seconds;

        Sampler(long origin, SluiceJob job) {
            this.origin = origin;
            this.job = job;
            this.writeRate = new WriteRate(OptionalLong.empty(), origin);
            this.seconds = new PerSecondSampler<>("bench-pause-sampler", List.of(), 0, this::sample);
        }

        private Sample sample() {
            long now = System.nanoTime();
            OptionalLong writes = new WriteCounter(stack.session(), TABLE).count();
            long limit = job.adaptiveLimit();
            OptionalDouble rate = writeRate.next(now, writes);
            return rate.isEmpty() ? null
                    : new Sample(Math.round((now - origin) / 1e7) / 100.0, Math.round(rate.getAsDouble()), limit);
        }

        List<Sample> stop() {
            return seconds.stop();
        }
    }
}
