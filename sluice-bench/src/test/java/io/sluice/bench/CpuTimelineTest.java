package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.bench.BenchResults.EngineCpu;
import io.sluice.stream.launch.StreamProgress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Charging CPU readings to spans of time, and the cold/warm split of a drain built on it. */
class CpuTimelineTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    @Test
    void cpuBetweenReadingsGrowsEvenlyAndHoldsOutsideThem() {
        CpuTimeline t = new CpuTimeline();
        t.add(at(0), 10);
        t.add(at(1), 11);
        t.add(at(2), 13);
        assertThat(t.secondsBetween(at(0), at(2))).isCloseTo(3, within(1e-9));
        assertThat(t.secondsBetween(at(0.5), at(1.5))).isCloseTo(1.5, within(1e-9));
        assertThat(t.secondsBetween(at(-5), at(0))).as("before the first reading nothing is charged").isZero();
        assertThat(t.secondsBetween(at(1.5), at(9))).as("after the last reading (the JVM exited) it holds")
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void coldIsTheWholeDrainWarmStartsAfterTheFirstBatchAndOneBatchIsItsOwnSpan() {
        // Engine: 2 CPU s during the first batch (JIT), then 0.5 s per batch of 1,000 records; Cassandra 0.1 s per batch.
        CpuTimeline engine = new CpuTimeline();
        CpuTimeline cassandra = new CpuTimeline();
        double engineCpu = 0;
        double cassandraCpu = 0;
        for (int second = 0; second <= 5; second++) {
            engine.add(at(second), engineCpu);
            cassandra.add(at(second), cassandraCpu);
            engineCpu += second == 0 ? 2 : 0.5;
            cassandraCpu += 0.1;
        }
        List<StreamProgress> progress = List.of(
                StreamProgress.started(at(0), "p"),
                batch(0, 1), batch(1, 2), batch(2, 3), batch(3, 4), batch(4, 5),
                StreamProgress.batch(5, at(5.5), 0, 0, 0, Map.of(), 100, Map.of()));
        EngineCpu cpu = WarmCold.of(progress, engine, cassandra, 4.0, 0.5, 5_000);
        assertThat(cpu.engineColdMicrosPerRow()).isCloseTo(800, within(1e-6));
        assertThat(cpu.engineWarmMicrosPerRow()).as("4 warm batches: 2 CPU s over 4,000 rows").isCloseTo(500, within(1e-6));
        assertThat(cpu.cassandraColdMicrosPerRow()).isCloseTo(100, within(1e-6));
        assertThat(cpu.cassandraWarmMicrosPerRow()).isCloseTo(100, within(1e-6));
        assertThat(cpu.warmRows()).isEqualTo(4_000);
        assertThat(cpu.batches()).as("the empty last batch is not counted").isEqualTo(5);
        assertThat(cpu.batchCpuMsMedian()).isCloseTo(500, within(1e-6));
        assertThat(cpu.batchRowsMedian()).isEqualTo(1_000);
    }

    @Test
    void aSingleBatchHasNoWarmFigures() {
        CpuTimeline engine = new CpuTimeline();
        engine.add(at(0), 0);
        engine.add(at(1), 1);
        EngineCpu cpu = WarmCold.of(List.of(batch(0, 1)), engine, new CpuTimeline(), 1.0, null, 1_000);
        assertThat(cpu.engineColdMicrosPerRow()).isCloseTo(1000, within(1e-6));
        assertThat(cpu.engineWarmMicrosPerRow()).isNull();
        assertThat(cpu.cassandraColdMicrosPerRow()).isNull();
        assertThat(cpu.batchCpuMsMedian()).isNull();
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(WarmCold.median(new double[]{4, 1, 3, 100})).isEqualTo(3.5);
        assertThat(WarmCold.median(new double[]{7})).isEqualTo(7);
    }

    /** A batch of 1,000 records that ended at {@code endSecond}, having taken one second. */
    private static StreamProgress batch(long id, double endSecond) {
        return StreamProgress.batch(id, at(endSecond), 1_000, 1_000, 0, Map.of(), 1_000, Map.of());
    }
}
