package io.sluice.cli.live;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.stream.launch.StreamProgress;
import io.sluice.stream.launch.StreamProgress.WriteFigures;
import java.time.Instant;
import java.util.Map;

/** Progress lines as the stream job writes them, for the stream-side binder tests. */
final class Batches {
    static final Instant AT = Instant.parse("2025-01-01T10:00:00Z");

    private Batches() {
    }

    static SimpleMeterRegistry registry() {
        return new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock());
    }

    static StreamProgress batch(long id, long in, long written, Map<String, Long> parseFailures, long durationMs,
                                long triggerDelayMs, WriteFigures write, Map<String, Long> failedByRule) {
        long skipped = in - written;
        return StreamProgress.batch(id, AT, in, written, skipped, parseFailures, durationMs,
                Map.of("users", Map.of(0, 100 * (id + 1))), 0, failedByRule).withFlow(triggerDelayMs, write);
    }
}
