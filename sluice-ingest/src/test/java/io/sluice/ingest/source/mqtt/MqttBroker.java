package io.sluice.ingest.source.mqtt;

import io.sluice.stack.LocalServer;
import io.sluice.stack.Ports;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A real MQTT 5 broker for ITs (HiveMQ CE, resolved by Maven: module {@code sluice-servers/mqtt}), in its own JVM on a
 * free 127.0.0.1 port, with file persistence under {@code <dataDir>/mqtt/}. {@link #restart} stops the process
 * (SIGTERM, so the broker closes its persistence in order) and starts it again on the same port and data: persistent
 * sessions and the QoS 1 messages queued for them survive.
 */
public final class MqttBroker extends LocalServer<MqttBroker> {
    private static final String MAIN_CLASS = "io.sluice.servers.mqtt.BrokerMain";

    private final int port = Ports.findFree();
    private final java.util.Properties users = new java.util.Properties();

    public MqttBroker() {
        super("MQTT broker", "mqtt", Duration.ofSeconds(90));
        withHeap("256m");
    }

    /** Only listed users may connect, with their passwords (the broker reads them from a 0600 file, never argv). */
    public MqttBroker withUser(String user, String password) {
        users.setProperty(user, password);
        return this;
    }

    public String url() {
        return "tcp://" + address();
    }

    @Override
    public String address() {
        return "127.0.0.1:" + port;
    }

    public MqttBroker restart() {
        stop();
        return start();
    }

    @Override
    protected Optional<String> addressFromConfigFile() {
        return Optional.empty(); // only this JVM's tests use it, and they know the port
    }

    @Override
    protected List<PortUse> ports() {
        return List.of(new PortUse(port, "MQTT listener"));
    }

    @Override
    protected void prepare(String classpath) {
        createDirectories(directory().resolve("conf"));
        if (!users.isEmpty()) {
            java.io.StringWriter out = new java.io.StringWriter();
            try {
                users.store(out, null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            writePrivateFile(directory().resolve("conf").resolve("users.properties"), out.toString());
        }
        writeFile(directory().resolve("conf").resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <!-- The broker keeps at most 1,000 QoS 1 messages per offline or busy session by default and
                         discards the rest: a broker limit no client can undo, so raise it above any test's count. -->
                    <queued-messages>
                      <max-queue-size>100000</max-queue-size>
                    </queued-messages>
                  </mqtt>
                  <persistence>
                    <mode>file</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
    }

    @Override
    protected String mainClass() {
        return MAIN_CLASS;
    }

    @Override
    protected List<String> jvmOptions() {
        return List.of("-Djava.awt.headless=true");
    }

    @Override
    protected List<String> mainArgs() {
        return List.of(directory().toString());
    }

    @Override
    protected String readinessQuery() {
        return "an MQTT 5 CONNECT to " + url();
    }

    @Override
    protected boolean probe(Duration timeout) {
        try {
            MqttClient client = new MqttClient(url(), "sluice-readiness-probe", new MemoryPersistence());
            try {
                MqttConnectionOptions options = new MqttConnectionOptions();
                options.setCleanStart(true);
                options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
                for (String user : users.stringPropertyNames()) { // a broker with users admits only them
                    options.setUserName(user);
                    options.setPassword(users.getProperty(user).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                client.connect(options);
                client.disconnect();
                return true;
            } finally {
                client.close(true);
            }
        } catch (MqttException e) {
            return false;
        }
    }
}
