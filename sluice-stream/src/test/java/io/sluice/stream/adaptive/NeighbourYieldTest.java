package io.sluice.stream.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The yield's rule, a second at a time: nobody else there means no ceiling; others active means a ceiling that
 * halves while the probe is slow and creeps up while it is not.
 */
class NeighbourYieldTest {
    private static final long MS = 1_000_000;
    private static final double MIN = 100;
    private static final double MAX = 1_000_000;

    /** Requests Sluice keeps in flight while yielding: a stall holds up this many writes at once. */
    private static final int FLOOR = 4;
    private static final long[] NO_WRITES = new long[0];

    private final NeighbourYield yield = new NeighbourYield(MIN, MAX, 2.0, 10, FLOOR);

    /** A second of twenty probes, all at {@code ms}. */
    private static long[] probes(double ms) {
        return latencies(20, ms, 0, 0);
    }

    /** A second of twenty probes at {@code ms}, {@code slow} of them at {@code slowMs} instead. */
    private static long[] probes(double ms, int slow, double slowMs) {
        return latencies(20, ms, slow, slowMs);
    }

    /** A second of {@code count} writes at {@code ms}, {@code slow} of them at {@code slowMs} instead. */
    private static long[] writes(int count, double ms, int slow, double slowMs) {
        return latencies(count, ms, slow, slowMs);
    }

    private static long[] latencies(int count, double ms, int slow, double slowMs) {
        long[] latencies = new long[count];
        Arrays.fill(latencies, (long) (ms * MS));
        Arrays.fill(latencies, 0, slow, (long) (slowMs * MS));
        return latencies;
    }

    @Test
    void aloneOnTheClusterThereIsNoCeilingWhateverTheProbeSays() {
        yield.second(0, probes(1), NO_WRITES, 5_000);
        yield.second(3, probes(50), NO_WRITES, 5_000); // a monitoring poll or two: still alone
        yield.second(Double.NaN, probes(50), NO_WRITES, 5_000); // Cassandra could not say: not known to be shared

        assertThat(yield.othersActive()).isFalse();
        assertThat(yield.ceiling()).isInfinite();
    }

    @Test
    void othersArrivingStartTheCeilingAtHalfTheRateSluiceWrote() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        yield.second(200, probes(1.5), NO_WRITES, 4_000);

        assertThat(yield.othersActive()).isTrue();
        assertThat(yield.ceiling()).as("half of 4,000, then one step up: the probe is within 2x").isEqualTo(2_100);
    }

    @Test
    void aSlowProbeHalvesTheCeilingEverySecondDownToTheMinimumRate() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        yield.second(200, probes(8), NO_WRITES, 4_000); // 8 ms against a quiet 1 ms: halved at once, on top of the start
        assertThat(yield.ceiling()).isEqualTo(1_000);
        for (int i = 0; i < 10; i++) {
            yield.second(200, probes(8), NO_WRITES, 1_000);
        }
        assertThat(yield.ceiling()).as("never below sink.adaptive.min_rows_per_second").isEqualTo(MIN);
    }

    @Test
    void aQuietProbeLetsTheCeilingGrowByATwentiethWhileSluiceUsesIt() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        yield.second(200, probes(1), NO_WRITES, 4_000); // start 2,000, grown to 2,100
        yield.second(200, probes(1), NO_WRITES, 2_000);
        assertThat(yield.ceiling()).isEqualTo(2_205);

        yield.second(200, probes(1), NO_WRITES, 500); // Sluice between batches: the ceiling must not drift up unused
        assertThat(yield.ceiling()).isEqualTo(2_205);
    }

    @Test
    void aLowQuietLevelIsNotCutOnNoise() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        yield.second(200, probes(4), NO_WRITES, 4_000); // 4x the quiet level, but only 3 ms above it

        assertThat(yield.ceiling()).isEqualTo(2_100);
    }

    @Test
    void oneSlowProbeInASecondIsNoiseAndTooFewProbesSayNothing() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        yield.second(200, probes(1, 1, 500), NO_WRITES, 4_000); // one probe in twenty held up by the executor's own threads
        assertThat(yield.ceiling()).as("neither the median nor the 90th percentile moved").isEqualTo(2_100);

        yield.second(200, new long[] {500 * MS, 500 * MS}, NO_WRITES, 4_000); // the probe itself was held up
        assertThat(yield.ceiling()).as("two probes are too few to judge: grows as usual").isEqualTo(2_205);
    }

    @Test
    void aStallOfTheNodeInPartOfASecondHalvesTheCeiling() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        // a flush or a compaction held three probes in twenty: the median stayed at 1 ms
        yield.second(200, probes(1, 3, 60), NO_WRITES, 4_000);

        assertThat(yield.ceiling()).as("half of the starting 2,000").isEqualTo(1_000);
    }

    @Test
    void aTailOnlyMillisecondsAboveItsQuietLevelIsNotAStall() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        // four probes in twenty at 15x the quiet level, but 14 ms above it: scheduling noise, not a stall
        yield.second(200, probes(1, 4, 15), NO_WRITES, 4_000);

        assertThat(yield.ceiling()).isEqualTo(2_100);
    }

    @Test
    void everyWriteInFlightHeldUpAtOnceIsAStallTheProbesMissed() {
        yield.second(0, probes(1), writes(300, 1, 0, 0), 4_000);
        // a 40 ms flush held up the four writes in flight; the probes, 50 ms apart, all went through around it
        yield.second(200, probes(1), writes(300, 1, FLOOR, 40), 4_000);

        assertThat(yield.ceiling()).as("half of the starting 2,000").isEqualTo(1_000);
    }

    @Test
    void fewerSlowWritesThanWereInFlightOrOnlyMillisecondsSlowerAreNoStall() {
        yield.second(0, probes(1), writes(300, 1, 0, 0), 4_000);
        // three writes held up by the executor's own GC: not all of those in flight
        yield.second(200, probes(1), writes(300, 1, FLOOR - 1, 200), 4_000);
        assertThat(yield.ceiling()).isEqualTo(2_100);

        // all four at 9x the quiet level but 8 ms above it: the executor's noise, not the node's stall
        yield.second(200, probes(1), writes(300, 1, FLOOR, 9), 4_000);
        assertThat(yield.ceiling()).isEqualTo(2_205);
    }

    @Test
    void theLogLineSaysWhatEachLookSaw() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        assertThat(yield.second(200, probes(1), NO_WRITES, 4_000)).startsWith("other clients active (200 requests/s)")
                .contains("probe median 1.0 ms").contains("no second of 20 writes yet");

        assertThat(yield.second(200, probes(1), writes(300, 1, 0, 0), 4_000)).as("nothing changed").isNull();
        assertThat(yield.second(200, probes(1), writes(300, 1, FLOOR, 40), 4_000)).startsWith("writes stalled")
                .contains("write stall level 40.0 ms, quiet 1.0 ms");
    }

    @Test
    void aSecondOfFewWritesSaysNothingAboutStalls() {
        yield.second(0, probes(1), writes(300, 1, 0, 0), 4_000);
        // Sluice between batches: a dozen writes, four of them slow, are too few to tell a stall from noise
        yield.second(200, probes(1), writes(12, 1, FLOOR, 60), 4_000);

        assertThat(yield.ceiling()).isEqualTo(2_100);
    }

    @Test
    void theCeilingIsLiftedWhenTheOthersLeave() {
        yield.second(0, probes(1), NO_WRITES, 4_000);
        yield.second(200, probes(8), NO_WRITES, 4_000);
        assertThat(yield.ceiling()).isEqualTo(1_000);

        yield.second(0, probes(8), NO_WRITES, 1_000);
        assertThat(yield.othersActive()).isFalse();
        assertThat(yield.ceiling()).isInfinite();
    }
}
