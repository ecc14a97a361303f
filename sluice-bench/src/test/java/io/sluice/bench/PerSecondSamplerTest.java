package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PerSecondSamplerTest {
    @Test
    void startsWithTheFirstSamplesAndSkipsSecondsWithoutOneOrThatFailed() {
        AtomicInteger calls = new AtomicInteger();
        PerSecondSampler<Integer> sampler = new PerSecondSampler<>("test-sampler", List.of(-1), 0, () -> {
            int call = calls.getAndIncrement();
            if (call == 0) {
                throw new IllegalStateException("Cassandra paused");
            }
            return call == 1 ? null : call;
        });
        long deadline = System.currentTimeMillis() + 10_000;
        while (calls.get() < 3 && System.currentTimeMillis() < deadline) {
            Sleep.millis(50);
        }
        List<Integer> samples = sampler.stop();
        assertThat(samples).as("the failure did not stop the timer").startsWith(-1, 2);
        int callsAtStop = calls.get();
        Sleep.millis(1_200);
        assertThat(calls.get()).as("no sample after stop()").isEqualTo(callsAtStop);
    }
}
