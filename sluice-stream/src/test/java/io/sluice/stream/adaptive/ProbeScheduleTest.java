package io.sluice.stream.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {
    private static long probedOf(ProbeSchedule schedule, int seconds, boolean othersActive) {
        return IntStream.range(0, seconds).filter(second -> schedule.probeNext(othersActive)).count();
    }

    @Test
    void aloneOnlyOneSecondInTenIsProbed() {
        ProbeSchedule schedule = new ProbeSchedule();
        assertThat(probedOf(schedule, 9, false)).isZero();
        assertThat(schedule.probeNext(false)).as("the tenth second keeps the quiet level known").isTrue();
        assertThat(probedOf(schedule, 100, false)).isEqualTo(10);
    }

    @Test
    void everySecondIsProbedWhileOthersAreActiveAndTheQuietCountStartsOverWhenTheyLeave() {
        ProbeSchedule schedule = new ProbeSchedule();
        probedOf(schedule, 5, false);
        assertThat(probedOf(schedule, 30, true)).isEqualTo(30);
        assertThat(probedOf(schedule, 9, false)).as("nine quiet seconds after they left").isZero();
        assertThat(schedule.probeNext(false)).isTrue();
    }
}
