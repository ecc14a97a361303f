package io.sluice.ingest.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.push.SourceHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT source against a real HiveMQ CE broker that admits one user with a password: the right password
 * connects, a wrong one stops the source at start with one sentence and exit code 4, and the password is on no
 * command line (the broker reads it from a 0600 file).
 */
class MqttCredentialsIT {
    private static final String USER = "sluice-reader";
    private static final String PASSWORD = "mqtt-Pa55-for-the-leak-search";
    private static MqttBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        Path dir = Files.createTempDirectory("sluice-mqtt-credentials-it");
        broker = new MqttBroker().withUser(USER, PASSWORD).withDataDir(dir).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static PipelineConfig config(String password) {
        Map<String, String> keys = new HashMap<>(Map.of("source.type", "mqtt", "source.url", broker.url(),
                "source.mqtt.topic", "users/created", "source.mqtt.client_id", "sluice-credentials-it",
                "record.key", "id", "source.auth.type", "basic", "source.auth.username", USER));
        keys.put("source.auth.password", password);
        return TestConfigs.config(keys);
    }

    @Test
    void theRightPasswordConnects() {
        MqttSource source = new MqttSource();
        try (SourceHarness harness = new SourceHarness(config(PASSWORD), source)) {
            harness.start();
            MqttConnectionOptions sent = source.connectionOptions();
            assertThat(sent.getUserName()).as("the CONNECT carries the user name").isEqualTo(USER);
            assertThat(new String(sent.getPassword(), StandardCharsets.UTF_8)).as("and the password").isEqualTo(PASSWORD);
        }
    }

    @Test
    void aWrongPasswordStopsTheSourceWithOneSentenceAndExitCodeFour() {
        MqttSource source = new MqttSource();
        try (SourceHarness harness = new SourceHarness(config("not-" + PASSWORD), source)) {
            assertThatThrownBy(harness::start).isInstanceOf(ConnectionRefusedException.class)
                    .hasMessage("The MQTT broker at " + broker.url() + " refused user '" + USER + "' (reason code 134): "
                            + "fix `source.auth.password` (or `source.auth.username`).")
                    .satisfies(e -> assertThat(((ConnectionRefusedException) e).exitCode()).isEqualTo(4));
        }
    }

    @Test
    void thePasswordIsOnNoCommandLine() {
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
                .as("the broker was started, so its JVM's command line is among those searched")
                .anyMatch(cmd -> cmd.contains("BrokerMain"))
                .noneMatch(cmd -> cmd.contains(PASSWORD));
    }
}
