package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import org.junit.jupiter.api.Test;

class SinkSessionsTest {
    @Test
    void theWriterSessionGathersRequestsLongerThanTheDriverDefaultAndKeepsTheRestOfItsConfiguration() {
        try (DriverConfigLoader loader = SinkSessions.configLoader();
             DriverConfigLoader defaults = DriverConfigLoader.fromDefaults(getClass().getClassLoader())) {
            DriverExecutionProfile profile = loader.getInitialConfig().getDefaultProfile();
            DriverExecutionProfile driverDefaults = defaults.getInitialConfig().getDefaultProfile();

            assertThat(profile.getDuration(DefaultDriverOption.COALESCER_INTERVAL)).isEqualTo(SinkSessions.WRITE_COALESCING)
                    .isGreaterThan(driverDefaults.getDuration(DefaultDriverOption.COALESCER_INTERVAL));
            assertThat(profile.getDuration(DefaultDriverOption.REQUEST_TIMEOUT)).as("reference.conf still applies")
                    .isEqualTo(driverDefaults.getDuration(DefaultDriverOption.REQUEST_TIMEOUT));
        }
    }

    @Test
    void thePropertyAUserWouldSetNamesTheSameOption() {
        assertThat(SinkSessions.WRITE_COALESCING_PROPERTY)
                .isEqualTo("datastax-java-driver.advanced.coalescer.reschedule-interval");
    }
}
