package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sentences people read when something goes wrong. */
class StackErrorsTest {

    @Test
    void portInUseNamesThePortTheServerAndWhatToDo() {
        PortInUseException e = new PortInUseException("Kafka", "broker listener", 9092);

        assertThat(e).hasMessage("Port 9092 on 127.0.0.1 is already in use, but Kafka needs it for its broker listener."
                + " Stop the program that holds it (find it with `ss -ltnp 'sport = :9092'`),"
                + " or give Kafka another broker listener port.");
        assertThat(e.server()).isEqualTo("Kafka");
        assertThat(e.port()).isEqualTo(9092);
        assertThat(e.purpose()).isEqualTo("broker listener");
    }

    @Test
    void alreadyRunningTellsToRunSluiceDown() {
        AlreadyRunningException e = new AlreadyRunningException("Cassandra", 4242, Path.of("/d/cassandra/cassandra.pid"));

        assertThat(e).hasMessage("Cassandra is already running from an earlier run (pid 4242, pid file"
                + " /d/cassandra/cassandra.pid). Stop it with `sluice down`, or keep using it as it is.");
    }

    @Test
    void startFailureQuotesTheLogTail() {
        ServerStartException e = new ServerStartException("Cassandra", "the process exited with code 3 before it was ready.",
                Path.of("/d/cassandra/cassandra.log"), List.of("ERROR Invalid yaml", "Exception encountered during startup"));

        assertThat(e).hasMessage("""
                Cassandra failed to start: the process exited with code 3 before it was ready.
                Last 2 lines of /d/cassandra/cassandra.log:
                    ERROR Invalid yaml
                    Exception encountered during startup""");
        assertThat(e.logTail()).hasSize(2);
    }

    @Test
    void startFailureWithAnEmptyLogSaysSo() {
        ServerStartException e = new ServerStartException("Kafka", "the process exited with code 1 before it was ready.",
                Path.of("/d/kafka/kafka.log"), List.of());

        assertThat(e).hasMessageEndingWith("Its log /d/kafka/kafka.log has nothing from this start attempt.");
    }

    @Test
    void notBuiltTellsToRunTheMavenBuild() {
        ServerNotBuiltException e = new ServerNotBuiltException("Kafka", Path.of("/repo/sluice-servers/kafka/target/classpath.txt"));

        assertThat(e).hasMessageContaining("/repo/sluice-servers/kafka/target/classpath.txt does not exist")
                .hasMessageContaining("run `mvn -B package -DskipTests`");
    }

    @Test
    void stopOutcomesAndStatusesReadAsSentences() {
        assertThat(StopOutcome.notRunning("Kafka")).hasToString("Kafka was not running");
        assertThat(new StopOutcome("Kafka", java.util.OptionalLong.of(7), true, true))
                .hasToString("Stopped Kafka (pid 7, killed after the stop timeout)");
        assertThat(new ServerStatus("Cassandra", true, java.util.OptionalLong.of(8), "127.0.0.1:9042", true))
                .hasToString("Cassandra: running, pid 8, 127.0.0.1:9042, ready");
    }
}
