package io.sluice.bench;

import io.sluice.stream.launch.StreamProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How long a job took to write a backlog, from its progress lines: from the start of its first non-empty micro-batch
 * (end time minus duration) to the end of its last one. JVM and Spark start-up are outside this window.
 */
record DrainTiming(long rows, long batches, Instant firstBatchStart, Instant lastBatchEnd) {

    static DrainTiming of(List<StreamProgress> progress) {
        List<StreamProgress> batches = progress.stream().filter(p -> p.isBatch() && p.numInputRows() > 0).toList();
        if (batches.isEmpty()) {
            throw new BenchException("the job reported no micro-batch with records");
        }
        Instant first = batches.stream().map(p -> p.timestamp().minusMillis(p.durationMs())).min(Instant::compareTo)
                .orElseThrow();
        Instant last = batches.stream().map(StreamProgress::timestamp).max(Instant::compareTo).orElseThrow();
        long rows = batches.stream().mapToLong(StreamProgress::rowsWritten).sum();
        return new DrainTiming(rows, batches.size(), first, last);
    }

    double seconds() {
        return Math.max(Duration.between(firstBatchStart, lastBatchEnd).toNanos() / 1e9, 1e-3);
    }

    double rowsPerSecond() {
        return rows / seconds();
    }
}
