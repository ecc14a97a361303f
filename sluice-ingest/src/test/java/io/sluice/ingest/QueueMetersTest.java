package io.sluice.ingest;

import static io.sluice.ingest.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueueMetersTest {
    private final SimpleMeterRegistry registry = MeterAssertions.registry(new MockClock());
    private final IngestMetrics metrics = new IngestMetrics();

    @Test
    void depthCapacityAndDropsByPolicyAreMeters() throws InterruptedException {
        BoundedRecordQueue queue = new BoundedRecordQueue(3, OverflowPolicy.DROP_OLDEST, metrics, new ManualTicker());
        queue.bindTo(registry);

        for (int i = 0; i < 5; i++) {
            queue.offer(record(i), Duration.ZERO);
        }

        assertThat(registry.get("sluice.queue.depth").gauge().value()).as("records waiting in a full queue").isEqualTo(3);
        assertThat(registry.get("sluice.queue.capacity").gauge().value()).as("the queue's bound").isEqualTo(3);
        assertThat(registry.get("sluice.queue.dropped").tags("policy", "drop_oldest", "reason", "queue_full")
                .functionCounter().count()).as("records pushed out of the full queue by drop_oldest").isEqualTo(2);

        queue.discardAll(DropReason.SHUTDOWN_DEADLINE);
        assertThat(registry.get("sluice.queue.depth").gauge().value()).as("depth after the queue was emptied").isZero();
        assertThat(registry.get("sluice.queue.dropped").tags("reason", "shutdown_deadline").functionCounter().count())
                .as("records still queued when the drain deadline ran out").isEqualTo(3);
        MeterAssertions.assertWellNamed(registry, "queue");
    }
}
