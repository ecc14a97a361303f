package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.Bandwidth;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
    @Test
    void aFractionalRateStretchesTheRefillPeriod() {
        Bandwidth slow = TokenBuckets.bandwidth(2.5, 1);
        assertThat(slow.getCapacity()).isEqualTo(1);
        assertThat(slow.getRefillPeriodNanos()).as("one token per 400 ms").isEqualTo(400_000_000L);
        Bandwidth share = TokenBuckets.bandwidth(166.67, 3);
        assertThat(share.getRefillTokens()).isEqualTo(3);
        assertThat(share.getRefillPeriodNanos()).as("3 tokens per 3 / 166.67 s").isEqualTo(17_999_640L);
        assertThat(share.getInitialTokens()).as("a bucket starts full").isEqualTo(3);
        assertThat(share.isGready()).as("tokens come back one by one, not all at the end of the period").isTrue();
    }

    @Test
    void aVanishingRateIsAVeryLongPeriodNotAnOverflow() {
        assertThat(TokenBuckets.bandwidth(1e-12, 1).getRefillPeriodNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusesANonPositiveRateOrCapacity() {
        assertThatThrownBy(() -> TokenBuckets.bandwidth(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive rate and capacity, got 0.0 tokens/s and capacity 1");
        assertThatThrownBy(() -> TokenBuckets.bandwidth(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenBuckets.bandwidth(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theClockIsTheSupplierNotTheWall() {
        long[] now = {42};
        var clock = TokenBuckets.clock(() -> now[0]);
        now[0] = 1_000;
        assertThat(clock.currentTimeNanos()).isEqualTo(1_000);
        assertThat(clock.isWallClockBased()).isFalse();
    }
}
