package io.sluice.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The normal path of {@link SignalStop}; the signal path (a real SIGTERM and SIGINT) is covered by it/RunCommandIT. */
class SignalStopTest {
    @Test
    void theStopSequenceRunsOnceOnTheNormalPathAndNoSignalIsReported() throws Exception {
        AtomicInteger sequences = new AtomicInteger();
        AtomicInteger announcements = new AtomicInteger();
        try (SignalStop stop = new SignalStop("test-stop", announcements::incrementAndGet, sequences::incrementAndGet)) {
            stop.runNow();
            stop.runNow();
            stop.parkIfSignalled(); // must return: no signal came

            assertThat(sequences.get()).as("times the stop sequence ran after two calls").isEqualTo(1);
            assertThat(announcements.get()).as("times the signal announcement ran without a signal").isZero();
            assertThat(stop.signalled()).as("whether a stop without a signal counts as signalled").isFalse();
        }
    }
}
