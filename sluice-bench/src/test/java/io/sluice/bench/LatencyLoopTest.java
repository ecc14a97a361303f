package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bench.LatencyLoop.Pacing;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LatencyLoopTest {
    private static final Duration INTERVAL = Duration.ofMillis(10);

    /** A request that answers after {@code millis}, or fails after it. */
    private static CompletableFuture<Void> answerAfter(long millis, boolean fail) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> {
            if (fail) {
                answer.completeExceptionally(new IllegalStateException("timed out"));
            } else {
                answer.complete(null);
            }
        });
        return answer;
    }

    /** A loop whose requests each take 50 ms, every other one failing when {@code failing}; counts them in {@code sent}. */
    private static LatencyLoop slowLoop(Pacing pacing, boolean failing, AtomicLong sent) {
        return new LatencyLoop("test-" + pacing, INTERVAL, pacing, n -> {
            sent.incrementAndGet();
            return answerAfter(50, failing && n % 2 == 1);
        });
    }

    @Test
    void anOpenLoopKeepsItsRateWhenAnswersAreSlow() {
        AtomicLong sent = new AtomicLong();
        long from = System.nanoTime();
        try (LatencyLoop loop = slowLoop(Pacing.OPEN, false, sent)) {
            Sleep.millis(500);
            assertThat(sent.get()).as("about one every 10 ms, not one every 50 ms").isGreaterThan(25);
            assertThat(loop.p99Ms(from, System.nanoTime())).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void aClosedLoopWaitsForEachAnswerAndCountsFailuresWithTheirTime() {
        AtomicLong sent = new AtomicLong();
        long from = System.nanoTime();
        try (LatencyLoop loop = slowLoop(Pacing.CLOSED, true, sent)) {
            Sleep.millis(500);
            assertThat(sent.get()).as("one at a time: at most one every 50 ms, no catch-up burst").isBetween(2L, 11L);
            assertThat(loop.p99Ms(from, System.nanoTime())).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void aWindowWithoutRequestsHasNoLatency() {
        try (LatencyLoop loop = new LatencyLoop("test-empty", INTERVAL, Pacing.CLOSED,
                n -> CompletableFuture.completedFuture(null))) {
            long before = System.nanoTime() - Duration.ofHours(1).toNanos();
            assertThat(loop.p99Ms(before - 1_000, before)).isZero();
        }
    }
}
