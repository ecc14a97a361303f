package io.sluice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.dashboard.FlowSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowSamplerTest {
    private static FlowSampler.Totals streamOnly(long nanos, long kafka, long lag, long streamRecords, double fill,
                                                 long rows, double writerLimit) {
        return new FlowSampler.Totals(nanos, null, 0, 0, 0, kafka, lag, true, streamRecords, 100, fill, 0, rows, 0,
                Map.of(), rows, writerLimit, 2, 9);
    }

    @Test
    void ratesAreTakenOverTheWindowAndTheWriterAtItsLimitWithABacklogHoldsTheFlowBack() {
        FlowSampler sampler = new FlowSampler("p");
        sampler.sample(streamOnly(0, 1_000, 500, 500, 0.5, 500, 200), 0);
        FlowSnapshot now = sampler.sample(streamOnly(5_000_000_000L, 2_000, 800, 1_500, 0.5, 1_500, 200), 5_000);

        assertThat(now.stages()).as("stages left to right").extracting(FlowSnapshot.Stage::id)
                .containsExactly("source", "queue", "kafka", "spark", "dq", "cassandra");
        assertThat(now.stages().get(5).rate()).as("rows/s over the 5 s since the first sample").isEqualTo(200);
        assertThat(now.stages().get(2).rate()).as("records/s into Kafka").isEqualTo(200);
        assertThat(now.bottleneck()).as("the writer at sink.max_rows_per_second while Kafka holds a backlog").isEqualTo("cassandra");
    }

    @Test
    void fullBatchesWithAGrowingBacklogPointAtTheTriggerCap() {
        FlowSampler sampler = new FlowSampler("p");
        sampler.sample(streamOnly(0, 1_000, 500, 500, 1.0, 500, 0), 0);
        FlowSnapshot now = sampler.sample(streamOnly(5_000_000_000L, 3_000, 2_000, 1_000, 1.0, 1_000, 0), 5_000);
        assertThat(now.bottleneck()).as("every batch at the cap while the lag grows").isEqualTo("spark");
        assertThat(now.why()).as("the sentence names the key").contains("stream.max_offsets_per_trigger");
    }
}
