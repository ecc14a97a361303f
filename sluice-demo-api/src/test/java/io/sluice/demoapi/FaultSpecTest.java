package io.sluice.demoapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaultSpecTest {

    private final Random random = new Random(1);

    @Test
    void blankSpecMeansNoFaults() {
        assertThat(FaultSpec.parse("")).isSameAs(FaultSpec.NONE);
        assertThat(FaultSpec.parse(null).rollStatus(random)).isEmpty();
        assertThat(FaultSpec.NONE.rollItem(random)).isEqualTo(FaultSpec.ItemFault.NONE);
    }

    @Test
    void certainStatusFaultAlwaysHitsAndCarriesItsRetryAfter() {
        FaultSpec spec = FaultSpec.parse("429:1:7");

        assertThat(spec.rollStatus(random)).isEqualTo(OptionalInt.of(429));
        assertThat(spec.retryAfterSeconds(429)).isEqualTo(7);
        assertThat(spec.rollItem(random)).as("status rules are not per-item faults").isEqualTo(FaultSpec.ItemFault.NONE);
    }

    @Test
    void zeroProbabilityNeverHits() {
        FaultSpec spec = FaultSpec.parse("500:0,drop:0");
        for (int i = 0; i < 1000; i++) {
            assertThat(spec.rollStatus(random)).isEmpty();
            assertThat(spec.rollItem(random)).isEqualTo(FaultSpec.ItemFault.NONE);
        }
    }

    @Test
    void itemFaultsParseWithArguments() {
        FaultSpec spec = FaultSpec.parse(" slow:1:250 , malformed:1 ");

        assertThat(spec.rollItem(random)).as("the first rule that hits wins").isEqualTo(FaultSpec.ItemFault.SLOW);
        assertThat(spec.slowMillis()).isEqualTo(250);
        assertThat(FaultSpec.parse("drop:1").rollItem(random)).isEqualTo(FaultSpec.ItemFault.DROP);
    }

    @Test
    void probabilityIsRoughlyRespected() {
        FaultSpec spec = FaultSpec.parse("drop:0.2");
        long drops = java.util.stream.IntStream.range(0, 10_000)
                .filter(i -> spec.rollItem(random) == FaultSpec.ItemFault.DROP).count();

        assertThat(drops).as("about 20%% of 10,000 rolls should drop").isBetween(1_700L, 2_300L);
    }

    @Test
    void everyBadRuleIsReportedAtOnce() {
        assertThatThrownBy(() -> FaultSpec.parse("teapot:1,429:2,drop"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'teapot:1'").hasMessageContaining("kind must be")
                .hasMessageContaining("'429:2'").hasMessageContaining("between 0 and 1")
                .hasMessageContaining("'drop'");
    }
}
