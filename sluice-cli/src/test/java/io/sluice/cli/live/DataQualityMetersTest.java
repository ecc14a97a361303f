package io.sluice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.stream.launch.StreamProgress.WriteFigures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataQualityMetersTest {
    private final SimpleMeterRegistry registry = Batches.registry();

    @Test
    void passedAndQuarantinedByReasonAndByRuleAreMeters() {
        DataQualityMeters meters = new DataQualityMeters();
        meters.bindTo(registry);
        meters.onBatch(Batches.batch(0, 100, 95, Map.of("malformed", 2L), 100, 0, WriteFigures.NONE,
                Map.of("email_format", 3L, "gender_known", 1L)));
        meters.onBatch(Batches.batch(1, 50, 49, Map.of("malformed", 1L), 100, 0, WriteFigures.NONE,
                Map.of("email_format", 0L, "gender_known", 0L)));

        assertThat(registry.get("sluice.dq.passed").functionCounter().count()).as("records passed").isEqualTo(144);
        assertThat(registry.get("sluice.dq.quarantined").tag("reason", "parse:malformed").functionCounter().count())
                .as("records quarantined as malformed JSON").isEqualTo(3);
        assertThat(registry.get("sluice.dq.quarantined").tag("reason", "rule").functionCounter().count())
                .as("records quarantined by rules").isEqualTo(3);
        assertThat(registry.get("sluice.dq.quarantined.total").functionCounter().count()).as("all quarantined").isEqualTo(6);
        assertThat(registry.get("sluice.dq.rule.failures").tag("rule", "email_format").functionCounter().count())
                .as("failures of email_format").isEqualTo(3);
        assertThat(meters.quarantinedByReason()).as("what the page lists").containsEntry("parse:malformed", 3L);
    }
}
