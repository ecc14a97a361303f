package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ThrottleMetersTest {
    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = MeterAssertions.registry(clock);
    private final ManualTicker ticker = new ManualTicker();

    @Test
    void theTimeWaitedForTokensAndBothLimitsAreMeters() throws InterruptedException {
        Throttle throttle = new Throttle(10, 1 << 20, ticker);
        throttle.bindTo(registry);

        for (int i = 0; i < 20; i++) { // a full bucket of 10, then 10 more at 10 per second: one second of waiting
            throttle.acquire(100);
        }

        double waited = registry.get("sluice.throttle.wait").functionCounter().count();
        assertThat(waited).as("seconds the throttle held records back (10 records beyond the bucket at 10/s)")
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(registry.get("sluice.throttle.waits").functionCounter().count()).as("records that had to wait").isEqualTo(10);
        assertThat(registry.get("sluice.throttle.limit").tag("unit", "records").gauge().value()).as("records/s limit").isEqualTo(10);
        assertThat(registry.get("sluice.throttle.limit").tag("unit", "bytes").gauge().value()).as("bytes/s limit")
                .isEqualTo(1 << 20);
        MeterAssertions.assertWellNamed(registry, "throttle");
    }
}
