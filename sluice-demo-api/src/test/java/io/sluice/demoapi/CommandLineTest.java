package io.sluice.demoapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void helpReturnsNoServer() {
        assertThat(CommandLine.parse(new String[] {"--help"})).isNull();
    }

    @Test
    void validOptionsConfigureTheServer() {
        DemoApiServer server = CommandLine.parse(new String[] {"--port", "0", "--seed", "7", "--rate", "2.5", "--fail", "429:0.1"});

        assertThat(server).isNotNull();
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void everyBadOptionIsReportedAtOnce() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--port", "x", "--rate", "-1", "--nope", "1", "--seed"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--port must be a number, got 'x'")
                .hasMessageContaining("--rate: rate must be a finite number >= 0")
                .hasMessageContaining("unknown option --nope")
                .hasMessageContaining("--seed needs a value");
    }
}
