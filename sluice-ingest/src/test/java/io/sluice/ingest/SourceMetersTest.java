package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SourceMetersTest {
    private final SimpleMeterRegistry registry = MeterAssertions.registry(new MockClock());
    private final IngestMetrics metrics = new IngestMetrics();
    private final Map<String, Long> ignored = new TreeMap<>();

    @Test
    void recordsQuarantinedAndIgnoredPayloadsReconnectsByCauseAndThePositionAreMeters() {
        SourceMeters meters = new SourceMeters(metrics, "sse", () -> Map.copyOf(ignored));
        meters.bindTo(registry);
        assertThat(registry.get("sluice.source.reconnects").tag("cause", "stall").functionCounter().count())
                .as("every known reconnect cause is there from the start, at zero").isZero();
        assertThat(registry.get("sluice.source.position").gauge().value()).as("no position committed yet").isNaN();

        metrics.recordPolled(7);
        metrics.recordDeadLettered("not_json");
        metrics.recordDeadLettered("not_json");
        metrics.recordDeadLettered("no_key");
        metrics.recordReconnect("closed");
        metrics.recordReconnect("idle");
        metrics.recordReconnect("closed");
        metrics.recordPollError();
        metrics.recordCommitted("1042");
        ignored.put("event:ping", 5L);
        meters.refresh();

        assertThat(registry.get("sluice.source.records").tag("type", "sse").functionCounter().count())
                .as("records the source delivered").isEqualTo(7);
        assertThat(registry.get("sluice.source.payloads.quarantined").tag("reason", "not_json").functionCounter().count())
                .as("payloads quarantined as not JSON").isEqualTo(2);
        assertThat(registry.get("sluice.source.payloads.quarantined").tag("reason", "no_key").functionCounter().count())
                .as("payloads quarantined without a key").isEqualTo(1);
        assertThat(registry.get("sluice.source.payloads.ignored").tag("kind", "event:ping").functionCounter().count())
                .as("ping events ignored on purpose").isEqualTo(5);
        assertThat(registry.get("sluice.source.reconnects").tag("cause", "closed").functionCounter().count())
                .as("reconnects after the server closed the stream").isEqualTo(2);
        assertThat(registry.get("sluice.source.reconnects").tag("cause", "idle").functionCounter().count())
                .as("reconnects after an idle spell").isEqualTo(1);
        assertThat(registry.get("sluice.source.poll.errors").functionCounter().count()).as("failed API calls").isEqualTo(1);
        assertThat(registry.get("sluice.source.position").gauge().value()).as("the committed numeric position").isEqualTo(1042);
        assertThat(registry.get("sluice.source.position.commits").functionCounter().count()).as("position commits").isEqualTo(1);
        MeterAssertions.assertWellNamed(registry, "source");
    }

    @Test
    void aReasonAppearsOnlyAfterItOccurred() {
        SourceMeters meters = new SourceMeters(metrics, "rest_poll", Map::of);
        meters.bindTo(registry);
        meters.refresh();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.get("sluice.source.payloads.quarantined").meter())
                .as("no quarantine counter before any payload was quarantined").isInstanceOf(MeterNotFoundException.class);
        metrics.recordCommitted("cursor-abc");
        assertThat(registry.get("sluice.source.position").gauge().value()).as("a cursor that is not a number").isNaN();
    }
}
