package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void freePortsComeFromBelowTheEphemeralRangeAndAreNeverHandedOutTwice() {
        int ephemeralStart = Ports.ephemeralRangeStart();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = Ports.findFree();
            assertThat(Ports.isFree(port)).as("port %d is free when handed out", port).isTrue();
            assertThat(port).as("below the ephemeral range, which starts at %d", ephemeralStart)
                    .isBetween(15_000, ephemeralStart - 1);
            ports.add(port);
        }
        assertThat(ports).as("200 calls, 200 different ports").hasSize(200);
    }

    @Test
    void theEphemeralRangeIsReadFromTheKernel() {
        assertThat(Ports.ephemeralRangeStart()).isBetween(1_024, 65_535);
    }
}
