package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void keepsOnlyTheLastLinesOfThisStartAttempt() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, "old run 1\nold run 2\n");
        long offset = LogTail.sizeOf(log);
        Files.writeString(log, Files.readString(log) + "line 1\nline 2\nline 3\n");

        assertThat(LogTail.read(log, offset, 2)).containsExactly("line 2", "line 3");
        assertThat(LogTail.read(log, offset, 30)).as("nothing from the earlier run").containsExactly("line 1", "line 2", "line 3");
    }

    @Test
    void leavesOutStackFramesSoTheMessagesFit() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, """
                ERROR Exception encountered during startup
                org.apache.cassandra.exceptions.ConfigurationException: Invalid yaml
                \tat org.apache.cassandra.config.YamlConfigurationLoader.loadConfig(YamlConfigurationLoader.java:141)
                \t... 13 common frames omitted
                Caused by: java.lang.NumberFormatException: bad
                """);

        assertThat(LogTail.read(log, 0, 30)).containsExactly(
                "ERROR Exception encountered during startup",
                "org.apache.cassandra.exceptions.ConfigurationException: Invalid yaml",
                "Caused by: java.lang.NumberFormatException: bad");
    }

    @Test
    void aMissingLogHasNoTail() {
        assertThat(LogTail.read(dir.resolve("absent.log"), 0, 30)).isEmpty();
    }
}
