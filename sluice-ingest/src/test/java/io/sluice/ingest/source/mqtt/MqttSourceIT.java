package io.sluice.ingest.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MQTT source against a real MQTT 5 broker in its own JVM: QoS 1, persistent session, acknowledgement only after commit. */
class MqttSourceIT {
    private static final String TOPIC = "users/created";
    private static final String PROBE_KEY = "probe";

    private Path dir;
    private MqttBroker broker;
    private final List<String> pollErrors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        dir = Files.createTempDirectory("sluice-mqtt-broker");
        broker = new MqttBroker().withDataDir(dir).start();
    }

    @AfterEach
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private PipelineConfig config(String clientId) {
        return TestConfigs.config(Map.of("source.type", "mqtt", "source.url", broker.url(), "source.mqtt.topic", TOPIC,
                "source.mqtt.client_id", clientId, "source.timeout", "5s"));
    }

    private MqttSource startSource(String clientId) {
        PipelineConfig config = config(clientId);
        MqttSource source = new MqttSource();
        source.start(new SourceContext() {
            @Override
            public PipelineConfig config() {
                return config;
            }

            @Override
            public void reportPollError(String reason) {
                pollErrors.add(reason);
            }
        });
        return source;
    }

    private static byte[] user(int i) {
        return ("{\"login\":{\"uuid\":\"u-" + i + "\"},\"email\":\"u" + i + "@example.com\"}").getBytes(StandardCharsets.UTF_8);
    }

    private QosOnePublisher publisher() throws MqttException {
        return new QosOnePublisher(broker.url(), "sluice-it-publisher", TOPIC);
    }

    @Test
    void everyQos1MessageArrivesAcrossABrokerRestart() throws Exception {
        int n = 300;
        Set<String> keys = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        MqttSource source = startSource("sluice-it-restart");
        // The consumer commits after each poll, as the pipeline does once Kafka acknowledged.
        Thread consumer = new Thread(() -> {
            try {
                while (!done.get()) {
                    List<SourceRecord> batch = source.poll(Duration.ofMillis(100));
                    batch.forEach(r -> keys.add(r.key()));
                    if (!batch.isEmpty()) {
                        source.commit(batch.get(batch.size() - 1).position());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "it-consumer");
        consumer.start();
        try (QosOnePublisher publisher = publisher()) {
            for (int i = 0; i < n; i++) {
                if (i == n / 2) {
                    broker.restart(); // mid-way: in-flight and queued messages must survive
                }
                publisher.publish(user(i));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (keys.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            done.set(true);
            consumer.join(10_000);
            source.stop();
        }
        assertThat(keys).as("every one of the %d QoS 1 messages should have arrived despite the broker restart", n)
                .hasSize(n);
        assertThat(pollErrors).as("the restart should have been noticed and ridden out")
                .anySatisfy(e -> assertThat(e).contains("disconnected"));
    }

    @Test
    void aMessageIsAcknowledgedOnlyAfterCommitSoUncommittedOnesAreRedelivered() throws Exception {
        try (QosOnePublisher publisher = publisher()) {
            MqttSource session = startSource("sluice-it-acks"); // creates the persistent session and subscription
            awaitSubscribed(session, publisher);
            session.stop();
            // Queued while no client is connected: a broker may hold back new messages while earlier ones are
            // unacknowledged (HiveMQ does), but sends a session's whole queue, up to the receive maximum, on connect.
            for (int i = 0; i < 5; i++) {
                publisher.publish(user(i));
            }
            MqttSource first = startSource("sluice-it-acks");
            List<String> seenFirst = drain(first, 5);
            first.stop(); // never committed: Kafka "did not acknowledge" these

            MqttSource second = startSource("sluice-it-acks");
            List<SourceRecord> again = new ArrayList<>();
            List<String> seenSecond = drain(second, 5, again);
            second.commit(again.get(again.size() - 1).position());
            second.stop();

            publisher.publish(user(99));
            MqttSource third = startSource("sluice-it-acks");
            List<String> seenThird = drain(third, 1);
            third.stop();

            assertThat(seenFirst).containsExactly("u-0", "u-1", "u-2", "u-3", "u-4");
            assertThat(seenSecond).as("uncommitted messages come back to the same client id").containsExactlyElementsOf(seenFirst);
            assertThat(seenThird).as("committed messages were acknowledged, so only the new one arrives").containsExactly("u-99");
        }
    }

    /** Publishes probes until one arrives (the subscription is made asynchronously on connect), then commits them. */
    private static void awaitSubscribed(MqttSource source, QosOnePublisher publisher) throws InterruptedException {
        byte[] probe = ("{\"login\":{\"uuid\":\"" + PROBE_KEY + "\"}}").getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<SourceRecord> arrived = new ArrayList<>();
        while (arrived.isEmpty()) {
            assertThat(System.nanoTime()).as("the MQTT source subscribed within 20 s").isLessThan(deadline);
            publisher.publish(probe);
            arrived.addAll(source.poll(Duration.ofMillis(200)));
        }
        arrived.addAll(source.poll(Duration.ofMillis(500))); // a second probe may still be on its way
        source.commit(arrived.get(arrived.size() - 1).position());
    }

    private static List<String> drain(MqttSource source, int count) throws InterruptedException {
        return drain(source, count, new ArrayList<>());
    }

    private static List<String> drain(MqttSource source, int count, List<SourceRecord> into) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (into.size() < count && System.nanoTime() < deadline) {
            // A probe that lost the race with the commit in awaitSubscribed comes back once more: it is not a user.
            source.poll(Duration.ofMillis(200)).stream().filter(r -> !r.key().equals(PROBE_KEY)).forEach(into::add);
        }
        return into.stream().map(SourceRecord::key).toList();
    }
}
