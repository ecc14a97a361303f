package io.sluice.ingest.source.mqtt;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Publishes with QoS 1 and waits for each PUBACK, reconnecting and retrying while the broker is away (restarting).
 * A publish whose PUBACK was lost in a restart is sent again, so the broker may hold a message twice: at-least-once.
 */
public final class QosOnePublisher implements AutoCloseable {
    private static final int ATTEMPTS = 600;
    private static final long PAUSE_MILLIS = 100;

    private final MqttAsyncClient client;
    private final String topic;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private int retries;

    public QosOnePublisher(String url, String clientId, String topic) throws MqttException {
        this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        this.topic = topic;
        options.setCleanStart(true);
        options.setConnectionTimeout(2);
    }

    /** Returns once the broker acknowledged; gives up (throws) after about a minute of failed attempts. */
    public void publish(byte[] payload) throws InterruptedException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                if (!client.isConnected()) {
                    client.connect(options).waitForCompletion(2_000);
                }
                client.publish(topic, payload, 1, false).waitForCompletion(5_000);
                return;
            } catch (MqttException e) {
                retries++;
                Thread.sleep(PAUSE_MILLIS); // the broker is restarting
            }
        }
        throw new IllegalStateException("could not publish to " + topic + " for " + ATTEMPTS * PAUSE_MILLIS / 1000 + " s");
    }

    /** Failed attempts so far (each was retried). */
    public int retries() {
        return retries;
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(2_000);
        }
        client.close(true);
    }
}
