package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WriteRateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theRateIsTheCountsDeltaOverTheTimeBetweenThem() {
        WriteRate rate = new WriteRate(OptionalLong.of(1_000), 0);
        assertThat(rate.next(SECOND, OptionalLong.of(1_500))).hasValue(500.0);
        assertThat(rate.next(3 * SECOND, OptionalLong.of(2_500))).hasValue(500.0);
    }

    @Test
    void withoutACountAtTheStartTheFirstRateIsZero() {
        WriteRate rate = new WriteRate(OptionalLong.empty(), 0);
        assertThat(rate.next(SECOND, OptionalLong.of(10_000))).hasValue(0.0);
        assertThat(rate.next(2 * SECOND, OptionalLong.of(10_800))).hasValue(800.0);
    }

    @Test
    void aMissingCountHasNoRateAndTheNextOneSpansTheGap() {
        WriteRate rate = new WriteRate(OptionalLong.of(0), 0);
        assertThat(rate.next(SECOND, OptionalLong.empty())).isEmpty();
        assertThat(rate.next(2 * SECOND, OptionalLong.empty())).isEmpty();
        assertThat(rate.next(4 * SECOND, OptionalLong.of(2_000))).hasValue(500.0);
    }
}
