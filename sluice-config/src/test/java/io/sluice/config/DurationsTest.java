package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesEveryUnitAndFormatsBackToTheShortestForm() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.format(Duration.ofMillis(120_000))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void rejectsNegativeAndUnitlessValues() {
        assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageContaining("must be a duration");
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("must be a duration");
    }

    @Test
    void byteSizesUseBinaryUnits() {
        assertThat(ByteSizes.parse("64KiB")).isEqualTo(65536);
        assertThat(ByteSizes.parse("1MB")).isEqualTo(1 << 20);
        assertThat(ByteSizes.parse("512")).isEqualTo(512);
        assertThat(ByteSizes.format(65536)).isEqualTo("64KiB");
    }
}
