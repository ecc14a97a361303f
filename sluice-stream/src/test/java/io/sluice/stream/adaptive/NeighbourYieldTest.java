package io.sluice.stream.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The yield's rule, a second at a time: the minimum rate until the first second is heard; nobody else there means no
 * ceiling; others active means a ceiling that starts at the minimum rate, doubles while the node stays quiet, and after
 * the first slow second halves on each slow one and creeps up otherwise.
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

    /** Writes as fast as any ceiling here: Sluice uses whatever it is given. */
    private static final double BUSY = 100_000;

    /** Alone at the first look (quiet levels learned at 1 ms), then others arrive: the ceiling is the minimum. */
    private void othersArrive() {
        yield.second(0, probes(1), writes(300, 1, 0, 0), BUSY);
        yield.second(200, probes(1), writes(300, 1, 0, 0), BUSY);
    }

    /** {@code count} seconds beside the others in which nothing was slow. */
    private void quietSeconds(int count) {
        for (int i = 0; i < count; i++) {
            yield.second(200, probes(1), writes(300, 1, 0, 0), BUSY);
        }
    }

    @Test
    void untilTheFirstSecondIsHeardSluiceKeepsToTheMinimumRate() {
        assertThat(yield.heard()).isFalse();
        assertThat(yield.ceiling()).as("nobody knows yet whether an online client is there").isEqualTo(MIN);

        assertThat(yield.second(0, probes(1), NO_WRITES, MIN)).isEqualTo("no other client at the first look: no ceiling");
        assertThat(yield.heard()).isTrue();
        assertThat(yield.ceiling()).isInfinite();
    }

    @Test
    void whenCassandraCannotSayAtTheFirstLookSluiceDoesNotYield() {
        assertThat(yield.second(Double.NaN, NO_WRITES, NO_WRITES, MIN))
                .isEqualTo("cannot tell whether other clients are there: no ceiling");
        assertThat(yield.ceiling()).isInfinite();
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
    void othersThereAtTheFirstLookKeepTheMinimumRateThenEachQuietSecondDoublesIt() {
        assertThat(yield.second(200, probes(1), NO_WRITES, MIN)).startsWith("other clients active at the first look");
        assertThat(yield.othersActive()).isTrue();
        assertThat(yield.ceiling()).isEqualTo(MIN);

        quietSeconds(3);
        assertThat(yield.ceiling()).as("a slow start: 100, 200, 400, 800").isEqualTo(800);
    }

    @Test
    void othersArrivingDuringADrainDropTheCeilingToTheMinimumRateWhateverSluiceWrote() {
        yield.second(0, probes(1), NO_WRITES, 20_000);
        // The node under Sluice's full load: this second says nothing about the others' share, so it is not judged.
        assertThat(yield.second(200, probes(8), NO_WRITES, 20_000)).startsWith("other clients active (200 requests/s)");

        assertThat(yield.ceiling()).as("not half of the 20,000 rows/s Sluice wrote").isEqualTo(MIN);
    }

    @Test
    void theFirstSlowSecondEndsTheSlowStartThenTheCeilingGrowsByATwentiethWhileSluiceUsesIt() {
        othersArrive();
        quietSeconds(3);
        assertThat(yield.second(200, probes(8), NO_WRITES, BUSY)).startsWith("probe slow");
        assertThat(yield.ceiling()).as("800 halved").isEqualTo(400);

        quietSeconds(1);
        assertThat(yield.ceiling()).isEqualTo(420);
        yield.second(200, probes(1), NO_WRITES, 150); // Sluice between batches: the ceiling must not drift up unused
        assertThat(yield.ceiling()).isEqualTo(420);
    }

    @Test
    void aSlowProbeHalvesTheCeilingEverySecondDownToTheMinimumRate() {
        othersArrive();
        quietSeconds(4);
        for (int i = 0; i < 10; i++) {
            yield.second(200, probes(8), NO_WRITES, BUSY); // 8 ms against a quiet 1 ms
        }
        assertThat(yield.ceiling()).as("1,600 halved, never below sink.adaptive.min_rows_per_second").isEqualTo(MIN);
    }

    @Test
    void aLowQuietLevelIsNotCutOnNoise() {
        othersArrive();
        yield.second(200, probes(4), NO_WRITES, BUSY); // 4x the quiet level, but only 3 ms above it

        assertThat(yield.ceiling()).isEqualTo(2 * MIN);
    }

    @Test
    void oneSlowProbeInASecondIsNoiseAndTooFewProbesSayNothing() {
        othersArrive();
        yield.second(200, probes(1, 1, 500), NO_WRITES, BUSY); // one probe in twenty held up by the executor's own threads
        assertThat(yield.ceiling()).as("neither the median nor the 90th percentile moved").isEqualTo(2 * MIN);

        yield.second(200, new long[] {500 * MS, 500 * MS}, NO_WRITES, BUSY); // the probe itself was held up
        assertThat(yield.ceiling()).as("two probes are too few to judge: grows as usual").isEqualTo(4 * MIN);
    }

    @Test
    void aStallOfTheNodeInPartOfASecondHalvesTheCeiling() {
        othersArrive();
        quietSeconds(2);
        // a flush or a compaction held three probes in twenty: the median stayed at 1 ms
        yield.second(200, probes(1, 3, 60), NO_WRITES, BUSY);

        assertThat(yield.ceiling()).as("half of 400").isEqualTo(200);
    }

    @Test
    void aTailOnlyMillisecondsAboveItsQuietLevelIsNotAStall() {
        othersArrive();
        // four probes in twenty at 15x the quiet level, but 14 ms above it: scheduling noise, not a stall
        yield.second(200, probes(1, 4, 15), NO_WRITES, BUSY);

        assertThat(yield.ceiling()).isEqualTo(2 * MIN);
    }

    @Test
    void everyWriteInFlightHeldUpAtOnceIsAStallTheProbesMissed() {
        othersArrive();
        quietSeconds(2);
        // a 40 ms flush held up the four writes in flight; the probes, 50 ms apart, all went through around it
        yield.second(200, probes(1), writes(300, 1, FLOOR, 40), BUSY);

        assertThat(yield.ceiling()).as("half of 400").isEqualTo(200);
    }

    @Test
    void fewerSlowWritesThanWereInFlightOrOnlyMillisecondsSlowerAreNoStall() {
        othersArrive();
        // three writes held up by the executor's own GC: not all of those in flight
        yield.second(200, probes(1), writes(300, 1, FLOOR - 1, 200), BUSY);
        assertThat(yield.ceiling()).isEqualTo(2 * MIN);

        // all four at 9x the quiet level but 8 ms above it: the executor's noise, not the node's stall
        yield.second(200, probes(1), writes(300, 1, FLOOR, 9), BUSY);
        assertThat(yield.ceiling()).isEqualTo(4 * MIN);
    }

    @Test
    void theLogLineSaysWhatEachLookSaw() {
        yield.second(0, probes(1), NO_WRITES, BUSY);
        assertThat(yield.second(200, probes(1), NO_WRITES, BUSY)).startsWith("other clients active (200 requests/s)")
                .contains("probe median 1.0 ms").contains("no second of 20 writes yet").contains("ceiling 100 rows/s");

        assertThat(yield.second(200, probes(1), writes(300, 1, 0, 0), BUSY)).as("nothing changed").isNull();
        assertThat(yield.second(200, probes(1), writes(300, 1, FLOOR, 40), BUSY)).startsWith("writes stalled")
                .contains("write stall level 40.0 ms, quiet 1.0 ms");
    }

    @Test
    void aSecondOfFewWritesSaysNothingAboutStalls() {
        othersArrive();
        // Sluice between batches: a dozen writes, four of them slow, are too few to tell a stall from noise
        yield.second(200, probes(1), writes(12, 1, FLOOR, 60), BUSY);

        assertThat(yield.ceiling()).isEqualTo(2 * MIN);
    }

    @Test
    void theCeilingIsLiftedWhenTheOthersLeaveAndTheNextArrivalStartsSlowAgain() {
        othersArrive();
        quietSeconds(2);
        yield.second(200, probes(8), NO_WRITES, BUSY);
        assertThat(yield.ceiling()).isEqualTo(200);

        yield.second(0, probes(8), NO_WRITES, BUSY);
        assertThat(yield.othersActive()).isFalse();
        assertThat(yield.ceiling()).isInfinite();

        yield.second(200, probes(1), NO_WRITES, BUSY);
        quietSeconds(1);
        assertThat(yield.ceiling()).as("the minimum, doubled: a slow start again").isEqualTo(2 * MIN);
    }
}
