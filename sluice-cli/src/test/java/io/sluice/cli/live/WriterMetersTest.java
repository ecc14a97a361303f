package io.sluice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.stream.launch.StreamProgress.ControlFigures;
import io.sluice.stream.launch.StreamProgress.WriteFigures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriterMetersTest {
    private final SimpleMeterRegistry registry = Batches.registry();

    @Test
    void rowsRateInFlightLatencyTimeoutsRetriesAndTheLimitAreMeters() {
        WriterMeters meters = new WriterMeters(200);
        meters.bindTo(registry);
        meters.onBatch(Batches.batch(0, 400, 400, Map.of(), 2000, 0, new WriteFigures(50, 2048, 16384, 1, 3, 12), Map.of()));

        assertThat(registry.get("sluice.writer.rows").functionCounter().count()).as("rows written").isEqualTo(400);
        assertThat(registry.get("sluice.writer.rate").gauge().value()).as("rows/s while the batch was written").isEqualTo(200);
        assertThat(registry.get("sluice.writer.limit").gauge().value()).as("sink.max_rows_per_second").isEqualTo(200);
        assertThat(registry.get("sluice.writer.inflight").gauge().value()).as("most requests in flight").isEqualTo(12);
        assertThat(registry.get("sluice.writer.latency").tag("quantile", "0.5").gauge().value()).as("p50 in seconds")
                .isEqualTo(0.002048);
        assertThat(registry.get("sluice.writer.latency").tag("quantile", "0.99").gauge().value()).as("p99 in seconds")
                .isEqualTo(0.016384);
        assertThat(registry.get("sluice.writer.timeouts").functionCounter().count()).as("timeouts").isEqualTo(1);
        assertThat(registry.get("sluice.writer.retries").functionCounter().count()).as("retries").isEqualTo(3);
        assertThat(registry.get("sluice.writer.requests").functionCounter().count()).as("requests").isEqualTo(50);
    }

    @Test
    void theAdaptiveControllerIsFourGaugesAndAReasonStateSet() {
        WriterMeters meters = new WriterMeters(50_000);
        meters.bindTo(registry);
        meters.onBatch(Batches.batch(0, 400, 400, Map.of(), 2000, 0, new WriteFigures(50, 2048, 16384, 1, 3, 12,
                new ControlFigures(48, 9_000, 3_000, 6_000, "slow")), Map.of()));

        assertThat(registry.get("sluice.writer.adaptive.limit").gauge().value()).isEqualTo(48);
        assertThat(registry.get("sluice.writer.adaptive.rate").gauge().value()).isEqualTo(9_000);
        assertThat(registry.get("sluice.writer.adaptive.latency").gauge().value()).as("seconds").isEqualTo(0.003);
        assertThat(registry.get("sluice.writer.adaptive.target").gauge().value()).as("seconds").isEqualTo(0.006);
        assertThat(registry.get("sluice.writer.adaptive.reason").tag("reason", "slow").gauge().value()).isEqualTo(1);
        assertThat(registry.get("sluice.writer.adaptive.reason").tag("reason", "growing").gauge().value()).isEqualTo(0);
    }
}
