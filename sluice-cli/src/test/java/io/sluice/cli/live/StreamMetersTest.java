package io.sluice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.stream.launch.StreamProgress.WriteFigures;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamMetersTest {
    private final SimpleMeterRegistry registry = Batches.registry();

    @Test
    void batchSizeDurationTriggerDelayAndTheCapAreMeters() {
        StreamMeters meters = new StreamMeters(500, Duration.ofSeconds(5));
        meters.bindTo(registry);
        meters.onBatch(Batches.batch(0, 500, 500, Map.of(), 1200, 0, WriteFigures.NONE, Map.of()));
        meters.onBatch(Batches.batch(1, 125, 125, Map.of(), 300, 4700, WriteFigures.NONE, Map.of()));

        assertThat(registry.get("sluice.stream.records").functionCounter().count()).as("records read").isEqualTo(625);
        assertThat(registry.get("sluice.stream.batch.records").summary().max()).as("largest batch").isEqualTo(500);
        assertThat(registry.get("sluice.stream.batch.records").summary().count()).as("batches").isEqualTo(2);
        assertThat(registry.get("sluice.stream.batch.duration").timer().totalTime(TimeUnit.MILLISECONDS))
                .as("time spent in batches").isEqualTo(1500);
        assertThat(registry.get("sluice.stream.trigger.delay").timer().max(TimeUnit.MILLISECONDS))
                .as("longest wait for the trigger").isEqualTo(4700);
        assertThat(registry.get("sluice.stream.batch.cap").gauge().value()).as("the cap").isEqualTo(500);
        assertThat(registry.get("sluice.stream.batch.fill").gauge().value()).as("last batch against the cap").isEqualTo(0.25);
        assertThat(meters.limitPerSecond()).as("the cap over the trigger interval").isEqualTo(100);
    }
}
