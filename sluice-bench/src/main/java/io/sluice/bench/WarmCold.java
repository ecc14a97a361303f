package io.sluice.bench;

import io.sluice.bench.BenchResults.EngineCpu;
import io.sluice.stream.launch.StreamProgress;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a drain's CPU into cold and warm from its micro-batches. Cold is the whole drain, the first run of a fresh
 * JVM: its first micro-batch is mostly JIT compilation and class loading. Warm is the same JVMs from the end of the
 * first micro-batch to the end of the last, per row of the later batches: the steady cost once the first batch has
 * paid the start-up. Each later batch is also charged on its own, from the end of the batch before it to its own end,
 * so its figure holds everything one micro-batch costs (planning, offset and commit logs, the Spark jobs, the writes);
 * the median of those is the cost of one warm micro-batch.
 */
final class WarmCold {
    private WarmCold() {
    }

    /**
     * @param progress the job's progress lines; only batches with records count
     * @param engine   the engine JVM's readings over the drain's window
     * @param cassandra Cassandra's readings over the same window (may be empty)
     * @param coldRows  the rows of the whole drain
     * @return null when the drain had fewer than two batches with records (nothing is warm)
     */
    static EngineCpu of(List<StreamProgress> progress, CpuTimeline engine, CpuTimeline cassandra, double engineColdSeconds,
                        Double cassandraColdSeconds, long coldRows) {
        List<StreamProgress> batches = progress.stream().filter(p -> p.isBatch() && p.numInputRows() > 0)
                .sorted(Comparator.comparing(StreamProgress::timestamp)).toList();
        Double coldEngine = engineColdSeconds * 1e6 / coldRows;
        Double coldCassandra = cassandraColdSeconds == null ? null : cassandraColdSeconds * 1e6 / coldRows;
        if (batches.size() < 2 || engine.isEmpty()) {
            return new EngineCpu(coldEngine, null, coldCassandra, null, 0, batches.size(), null, null);
        }
        Instant warmFrom = batches.get(0).timestamp();
        Instant warmTo = batches.get(batches.size() - 1).timestamp();
        long warmRows = batches.stream().skip(1).mapToLong(StreamProgress::numInputRows).sum();
        double warmEngine = engine.secondsBetween(warmFrom, warmTo) * 1e6 / warmRows;
        Double warmCassandra = cassandra.isEmpty() ? null : cassandra.secondsBetween(warmFrom, warmTo) * 1e6 / warmRows;
        double[] perBatchMs = new double[batches.size() - 1];
        long[] rows = new long[batches.size() - 1];
        for (int i = 1; i < batches.size(); i++) {
            perBatchMs[i - 1] = engine.secondsBetween(batches.get(i - 1).timestamp(), batches.get(i).timestamp()) * 1e3;
            rows[i - 1] = batches.get(i).numInputRows();
        }
        return new EngineCpu(coldEngine, warmEngine, coldCassandra, warmCassandra, warmRows, batches.size(),
                median(perBatchMs), median(Arrays.stream(rows).asDoubleStream().toArray()));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
