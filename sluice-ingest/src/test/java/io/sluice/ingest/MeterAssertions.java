package io.sluice.ingest;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A registry on a mock clock, as every binder test uses, and the checks they share. */
final class MeterAssertions {
    private MeterAssertions() {
    }

    static SimpleMeterRegistry registry(MockClock clock) {
        return new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    }

    /** Every meter of the registry is named sluice.<stage>.<thing> and carries a description and a base unit. */
    static void assertWellNamed(MeterRegistry registry, String stage) {
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            if (id.getName().endsWith(".percentile")) {
                continue; // the gauges a simple registry derives from a timer's published percentiles
            }
            org.assertj.core.api.Assertions.assertThat(id.getName()).as("meter name").startsWith("sluice." + stage + ".");
            org.assertj.core.api.Assertions.assertThat(id.getDescription()).as("description of %s", id.getName()).isNotBlank();
            if (meter.getId().getType() != Meter.Type.TIMER) { // a timer's base unit is the registry's (seconds)
                org.assertj.core.api.Assertions.assertThat(id.getBaseUnit()).as("base unit of %s", id.getName())
                        .satisfiesAnyOf(u -> org.assertj.core.api.Assertions.assertThat(u).isNotBlank(),
                                u -> org.assertj.core.api.Assertions.assertThat(id.getName()).isEqualTo("sluice.source.position"));
            }
        }
    }
}
