package io.sluice.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchTest {
    private final ManualTicker ticker = new ManualTicker();
    private final StallWatch watch = new StallWatch(ticker, Duration.ofSeconds(30));

    @Test
    void waitingForTheWholeTimeoutIsAStall() {
        watch.expecting();
        ticker.advance(Duration.ofSeconds(29));
        assertThat(watch.stalled()).as("29 s of silence is within a 30 s timeout").isFalse();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(watch.stalled()).as("30 s of silence is a stall").isTrue();
    }

    @Test
    void inputRestartsTheTimeout() {
        watch.expecting();
        ticker.advance(Duration.ofSeconds(20));
        watch.expecting();
        ticker.advance(Duration.ofSeconds(20));
        assertThat(watch.stalled()).isFalse();
    }

    @Test
    void silenceWhileNotReadingIsNeverAStall() {
        watch.expecting();
        watch.paused();
        ticker.advance(Duration.ofHours(1));
        assertThat(watch.stalled()).as("a source held back by a full queue is not stalled").isFalse();
    }

    @Test
    void aFreshWatchIsNotStalled() {
        ticker.advance(Duration.ofHours(1));
        assertThat(watch.stalled()).isFalse();
    }
}
