package io.sluice.bench;

import java.util.List;
import java.util.Map;

/**
 * Every figure of one benchmark run; written as JSON as is, and summarised in BENCHMARKS.md. A stage that could not
 * be measured is null here and named, with the reason, in {@code failures}. {@code sluiceDefaults} runs every flow
 * key at its default; {@code connectorDefaults} the same but with {@code sink.writer: connector}, the default before
 * the driver writer with its controller replaced it (kept in the bench so that choice stays checked). {@code cpu} holds, per throughput stage
 * ({@link CpuLedger#CEILING} etc.), the CPU each JVM spent in the stage's measured window; empty off Linux.
 */
public record BenchResults(Machine machine, Map<String, Object> settings, Ceiling ceiling, KafkaCeiling kafka,
                           Drain baseline, Drain sluice, Drain sluiceDefaults, Drain connectorDefaults, Drain flink,
                           Ratios ratios,
                           Latency latency, Flood flood, PauseStage.Result pause, NeighbourStage.Result neighbour,
                           Map<String, Double> peakRssMb, Map<String, String> failures, Map<String, CpuUse> cpu) {

    /** {@code loadAverage}: the 1/5/15-minute load averages at the start and the end; other work on the machine. */
    public record Machine(String date, String cpu, int cores, long memoryMb, String os, String java,
                          String loadAverage, boolean quick) {
    }

    /**
     * One in-flight level of the Cassandra ceiling: {@code rowsPerRequest} 1 for single-row INSERTs, more for grouped
     * UNLOGGED batches (in flight and latency count requests); {@code cpu} is null where /proc is missing.
     */
    public record CeilingLevel(int inFlight, int rowsPerRequest, long rows, double seconds, double rowsPerSecond, double p50Ms,
                               double p99Ms, long errors, CpuUse cpu) {
    }

    /**
     * The ceiling both ways: {@code levels}/{@code singleRowBest} one row per request, {@code batchedLevels}/
     * {@code batchedBest} grouped batches ({@code batching} says how); {@code best} is the faster of the two bests,
     * the ceiling every ratio uses.
     */
    public record Ceiling(List<CeilingLevel> levels, CeilingLevel singleRowBest, String statement,
                          List<CeilingLevel> batchedLevels, CeilingLevel batchedBest, String batching,
                          CeilingLevel best) {
    }

    public record KafkaCeiling(long records, long bytes, double seconds, double recordsPerSecond,
                               double megabytesPerSecond, long errors, Map<String, String> producerSettings) {
    }

    /**
     * An engine job (a Spark job or the Flink peer) draining the same backlog. The rate counts from the start of the
     * first micro-batch to the end of the last, so JVM and engine start-up are not in it (they are in {@code wallSeconds}). {@code rowsInTable} is null
     * when the rows could not be counted back (the drain's figures still stand). {@code faults}: what went wrong
     * on the way, from the job's progress lines.
     */
    public record Drain(String name, long records, Long rowsInTable, long batches, double seconds,
                        double rowsPerSecond, double wallSeconds, Map<String, String> settings, String dataQuality,
                        EngineCpu engineCpu, Faults faults) {
    }

    /**
     * A job's faults over its run: write attempts that timed out and were retried (the driver writer's figures; the
     * connector writer reports none), and restarts of its query (query starts after the first).
     */
    public record Faults(long writeTimeouts, long queryRestarts) {
    }

    /**
     * A drain's CPU, cold and warm ({@link WarmCold} says how they are cut): µs per row of the engine JVM and of
     * Cassandra over the whole drain (cold) and from the end of the first micro-batch on (warm, over
     * {@code warmRows}); {@code batchCpuMsMedian} is the engine's CPU for one warm micro-batch (median over the
     * batches after the first, each from the previous batch's end to its own), of {@code batchRowsMedian} records.
     * Warm figures are null with fewer than two batches; every figure is null where /proc is missing.
     */
    public record EngineCpu(Double engineColdMicrosPerRow, Double engineWarmMicrosPerRow,
                            Double cassandraColdMicrosPerRow, Double cassandraWarmMicrosPerRow, long warmRows,
                            int batches, Double batchCpuMsMedian, Double batchRowsMedian) {
    }

    /**
     * The CPU the JVMs of one throughput stage used during its measured window. {@code machineBusyCores} is the
     * whole machine's average busy cores over the window (null without /proc): what it shows beyond the JVMs listed
     * is other work on the machine. A JVM whose CPU could not be read is left out of {@code jvms}.
     */
    public record CpuUse(String stage, double windowSeconds, long rows, Double machineBusyCores,
                         Map<String, JvmCpu> jvms) {
    }

    /**
     * One JVM's share of a {@link CpuUse} window: CPU seconds (user + system), the average cores that makes, and
     * microseconds of CPU per row of the stage. {@code exitedBeforeEnd}: the JVM ended inside the window, so its
     * figure stops at its last reading (taken every {@value CpuWindow#SAMPLE_MILLIS} ms).
     */
    public record JvmCpu(double cpuSeconds, double cores, double microsPerRow, boolean exitedBeforeEnd) {
    }

    /** Rows/s of Sluice at full speed over each other's; NaN where the other was not measured. */
    public record Ratios(double sluiceOverCeiling, double sluiceOverBaseline, double sluiceOverFlink) {
    }

    public record Latency(double targetRecordsPerSecond, double actualRecordsPerSecond, long rows, long rowsInTable,
                          double triggerSeconds, double p50Ms, double p99Ms, double maxMs,
                          Map<String, String> settings) {
    }

    /** One second of the flood run. */
    public record FloodSample(double t, long produced, long consumed, long kafkaLag, long cassandraWrites,
                              double producedPerSecond, double consumedPerSecond, double cassandraWritesPerSecond,
                              double probeP99Ms) {
    }

    public record Flood(double writeCapRowsPerSecond, String writeCapDefinition, double burstRecordsPerSecond,
                        double burstSeconds, long produced, long rowsInTable, long rowsLost, double drainSeconds,
                        double drainSecondsAfterBurst, double meanWriteRowsPerSecond, double peakWriteRowsPerSecond1s,
                        double peakWriteRowsPerSecondTriggerWindow, double idleProbeP99Ms, double floodProbeP99Ms,
                        long maxKafkaLag, String writeRateSource, Map<String, String> settings,
                        List<FloodSample> samples) {
    }
}
