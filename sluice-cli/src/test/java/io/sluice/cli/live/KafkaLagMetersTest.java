package io.sluice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaLagMetersTest {
    private final SimpleMeterRegistry registry = Batches.registry();

    @Test
    void lagPerPartitionIsTheEndOffsetAgainstWhatTheStreamJobRead() {
        KafkaLagMeters meters = new KafkaLagMeters("users");
        meters.bindTo(registry);
        meters.update(Map.of(0, 300L, 1, 250L), Map.of(0, 100L));

        assertThat(registry.get("sluice.kafka.lag").tags("topic", "users", "partition", "0").gauge().value())
                .as("lag of partition 0").isEqualTo(200);
        assertThat(registry.get("sluice.kafka.lag").tags("partition", "1").gauge().value())
                .as("lag of a partition the job has not read yet: all of it").isEqualTo(250);
        assertThat(registry.get("sluice.kafka.lag.total").gauge().value()).as("total lag").isEqualTo(450);
        assertThat(registry.get("sluice.kafka.end.offset").tags("partition", "1").gauge().value()).as("end offset").isEqualTo(250);
        assertThat(registry.get("sluice.kafka.records").functionCounter().count()).as("records in the topic").isEqualTo(550);

        meters.update(Map.of(0, 320L, 1, 250L), Map.of(0, 320L, 1, 250L));
        assertThat(registry.get("sluice.kafka.lag.total").gauge().value()).as("lag once the job caught up").isZero();
    }
}
