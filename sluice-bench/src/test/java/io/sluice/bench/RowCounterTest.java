package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Token slices and the sliced count, against a fake table of random tokens; nothing sleeps (pauses are recorded). */
class RowCounterTest {
    private final List<Long> pauses = new ArrayList<>();

    @Test
    void theRingSplitsIntoContiguousSlicesThatCoverItExactlyOnce() {
        for (int n : List.of(1, 2, 3, 64, 1000)) {
            List<TokenRange> slices = TokenRange.ring(n);
            assertThat(slices).hasSize(n);
            assertThat(slices.get(0).start()).isEqualTo(Long.MIN_VALUE);
            assertThat(slices.get(0).includesStart()).isTrue();
            assertThat(slices.get(n - 1).end()).isEqualTo(Long.MAX_VALUE);
            for (int i = 1; i < n; i++) {
                assertThat(slices.get(i).start()).as("slice %d starts where %d ends", i, i - 1)
                        .isEqualTo(slices.get(i - 1).end());
                assertThat(slices.get(i).includesStart()).isFalse();
            }
        }
    }

    @Test
    void everyTokenFallsInExactlyOneSliceIncludingTheRingsEnds() {
        List<TokenRange> slices = TokenRange.ring(7);
        long[] tokens = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, slices.get(3).end(), slices.get(3).end() + 1,
                Long.MAX_VALUE};
        for (long token : tokens) {
            assertThat(slices.stream().filter(s -> s.contains(token))).as("token %d", token).hasSize(1);
        }
    }

    @Test
    void halvesAreContiguousAndTogetherTheWholeSlice() {
        TokenRange whole = TokenRange.ring(1).get(0);
        List<TokenRange> halves = whole.halves();
        assertThat(halves.get(0).start()).isEqualTo(whole.start());
        assertThat(halves.get(0).end()).isEqualTo(halves.get(1).start());
        assertThat(halves.get(1).end()).isEqualTo(whole.end());
        assertThat(halves).allMatch(h -> h.depth() == 1);
        assertThat(halves.get(0).includesStart()).as("the first half still holds the ring's first token").isTrue();
        assertThat(new TokenRange(5, 6, 0).splittable()).as("one token cannot be halved").isFalse();
        assertThat(new TokenRange(5, 7, 0).splittable()).isTrue();
    }

    @Test
    void slicedCountEqualsTheRowsOfTheTable() {
        List<Long> table = randomTokens(5_000);
        assertThat(new RowCounter(slice -> rowsIn(table, slice), pauses::add).total()).isEqualTo(5_000);
        assertThat(pauses).isEmpty();
    }

    @Test
    void failedReadsAreRetriedAfterGrowingPausesAndTheCountStaysExact() {
        List<Long> table = randomTokens(3_000);
        Set<TokenRange> failedOnce = new HashSet<>();
        RowCounter counter = new RowCounter(slice -> {
            if (failedOnce.add(slice)) {
                throw new IllegalStateException("Cassandra failure during read query at consistency LOCAL_ONE");
            }
            return rowsIn(table, slice);
        }, pauses::add, FULL_DELAY);
        assertThat(counter.total()).isEqualTo(3_000);
        assertThat(counter.retries()).isEqualTo(RowCounter.SLICES);
        assertThat(pauses).hasSize(RowCounter.SLICES).containsOnly(RowCounter.FIRST_PAUSE.toMillis());
    }

    @Test
    void aSliceThatKeepsFailingIsHalvedAndItsHalvesStillCountEveryRow() {
        List<Long> table = randomTokens(4_000);
        TokenRange stubborn = TokenRange.ring(RowCounter.SLICES).get(10);
        RowCounter counter = new RowCounter(slice -> {
            if (slice.equals(stubborn)) {
                throw new IllegalStateException("read timeout");
            }
            return rowsIn(table, slice);
        }, pauses::add, FULL_DELAY);
        assertThat(counter.total()).isEqualTo(4_000);
        assertThat(pauses).containsExactly(500L, 1000L);
    }

    @Test
    void aReadThatNeverWorksFailsTheCountNamingTheSlice() {
        RowCounter counter = new RowCounter(slice -> {
            throw new IllegalStateException("node down");
        }, pauses::add, FULL_DELAY);
        assertThatThrownBy(counter::total).isInstanceOf(BenchException.class)
                .hasMessageContaining("token slice").hasMessageContaining("node down")
                .hasMessageContaining(RowCounter.MOST_HALVINGS + " halvings");
    }

    @Test
    void pausesDoubleFromTheFirstAndNeverExceedTheLongest() {
        RowCounter counter = new RowCounter(slice -> {
            throw new IllegalStateException("node down");
        }, pauses::add, FULL_DELAY);
        assertThatThrownBy(counter::total).isInstanceOf(BenchException.class);
        assertThat(pauses.subList(0, 2)).containsExactly(RowCounter.FIRST_PAUSE.toMillis(), 2 * RowCounter.FIRST_PAUSE.toMillis());
        assertThat(pauses).allSatisfy(p -> assertThat(p).isBetween(RowCounter.FIRST_PAUSE.toMillis(), RowCounter.LONGEST_PAUSE.toMillis()));
    }

    /** The Backoff's jitter at its top: every pause is the full doubled delay, so the figures are exact. */
    private static final java.util.function.DoubleSupplier FULL_DELAY = () -> 0.999_999;

    private static long rowsIn(List<Long> table, TokenRange slice) {
        return table.stream().filter(slice::contains).count();
    }

    /** Random tokens plus the ring's two ends, which only an inclusive first slice and last slice catch. */
    private static List<Long> randomTokens(int n) {
        Random random = new Random(14);
        List<Long> tokens = new ArrayList<>();
        tokens.add(Long.MIN_VALUE);
        tokens.add(Long.MAX_VALUE);
        while (tokens.size() < n) {
            tokens.add(random.nextLong());
        }
        return tokens;
    }
}
