package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks done before anything is launched: pid files and ports. No server is started here. */
class LocalServerChecksTest {

    @TempDir
    Path dataDir;

    private KafkaServer kafka() {
        return new KafkaServer().withDataDir(dataDir).withPort(Ports.findFree()).withControllerPort(Ports.findFree());
    }

    @Test
    void aTakenPortIsReportedWithItsNumberAndPurpose() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            KafkaServer kafka = kafka().withControllerPort(taken.getLocalPort());

            assertThatThrownBy(kafka::checkCanStart)
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining("Kafka needs it for its KRaft controller listener");
        }
    }

    @Test
    void aPidFileOfADeadProcessIsRemovedAsStale() throws Exception {
        KafkaServer kafka = kafka();
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        writePidFile(kafka, finished.pid());

        kafka.checkCanStart();

        assertThat(kafka.pidFile()).as("the stale pid file is removed").doesNotExist();
    }

    @Test
    void aPidReusedByAnUnrelatedProcessIsNotMistakenForOurServer() throws Exception {
        KafkaServer kafka = kafka();
        writePidFile(kafka, ProcessHandle.current().pid()); // alive, but not Kafka

        kafka.checkCanStart();

        assertThat(kafka.isRunning()).as("a live process that is not our server does not count").isFalse();
        assertThat(kafka.pidFile()).as("its pid file is removed as stale").doesNotExist();
    }

    @Test
    void aLiveServerFromAnEarlierRunIsReportedAndCanBeStoppedFromThePidFile() throws Exception {
        KafkaServer kafka = kafka();
        Files.createDirectories(kafka.directory());
        // Stands in for an earlier run's broker: its command line names kafka.Kafka and our config.
        Process earlier = new ProcessBuilder(List.of("bash", "-c", "sleep 60; true", KafkaServer.MAIN_CLASS,
                kafka.configFile().toString())).start();
        try {
            writePidFile(kafka, earlier.pid());

            assertThatThrownBy(kafka::checkCanStart)
                    .isInstanceOf(AlreadyRunningException.class)
                    .hasMessageContaining("Kafka is already running from an earlier run (pid " + earlier.pid())
                    .hasMessageContaining("sluice down");
            assertThat(kafka.status().running()).as("status sees the earlier server").isTrue();

            StopOutcome outcome = kafka.stop();

            assertThat(outcome.wasRunning()).as("stop works from the pid file alone").isTrue();
            assertThat(earlier.waitFor(10, TimeUnit.SECONDS)).as("the earlier process is gone").isTrue();
            assertThat(kafka.pidFile()).doesNotExist();
        } finally {
            earlier.destroyForcibly();
        }
    }

    @Test
    void stoppingWhenNothingRunsIsHarmless() {
        assertThat(kafka().stop().wasRunning()).isFalse();
    }

    @Test
    void launchingWithoutTheMavenBuildSaysHowToFixIt() {
        KafkaServer kafka = kafka().withSluiceHome(SluiceHome.at(dataDir));

        assertThatThrownBy(kafka::launch)
                .isInstanceOf(ServerNotBuiltException.class)
                .hasMessageContaining("Cannot launch Kafka")
                .hasMessageContaining("mvn -B package -DskipTests");
    }

    private static void writePidFile(KafkaServer kafka, long pid) throws IOException {
        Files.createDirectories(kafka.directory());
        Files.writeString(kafka.pidFile(), pid + "\n");
    }
}
