package io.sluice.bench;

import io.sluice.bench.BenchResults.Drain;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Stages 3 and 4: a Spark job drains the whole backlog topic; we time it and count the rows it left in its table. */
final class DrainStage {
    private final BenchStack stack;
    private final RssMonitor rss;
    private final Duration timeout;

    DrainStage(BenchStack stack, RssMonitor rss, Duration timeout) {
        this.stack = stack;
        this.rss = rss;
        this.timeout = timeout;
    }

    Drain drain(SparkJob job, String label, String topic, long backlog, String table, Map<String, String> settings,
                String dataQuality) {
        try (job) {
            rss.track(label, job.pid());
            job.awaitStarted(timeout);
            job.awaitConsumed(topic, backlog, timeout);
            rss.sampleNow();
            Instant finished = Instant.now();
            DrainTiming timing = DrainTiming.of(job.progress());
            job.stop(Duration.ofSeconds(60));
            long inTable = Tables.count(stack.session(), table);
            double wall = Duration.between(job.launchedAt(), finished).toNanos() / 1e9;
            return new Drain(label, backlog, inTable, timing.batches(), timing.seconds(), timing.rowsPerSecond(), wall,
                    settings, dataQuality);
        }
    }
}
