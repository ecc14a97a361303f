package io.sluice.ingest.source.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.ConnectionFailures;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.source.JsonRecordExtractor;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.http.SourceTls;
import io.sluice.ingest.source.http.Urls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code source.type=mqtt}: subscribes to {@code source.mqtt.topic} with QoS 1 as the fixed client
 * {@code source.mqtt.client_id}, with a persistent session (clean start off, session expiry
 * {@code source.mqtt.session_expiry}), so the broker queues messages while Sluice is away or reconnecting.
 *
 * <p>Acknowledgements are manual: a message's PUBACK goes out only after Kafka acknowledged its records (that is this
 * source's position, see {@link #commit}). Until then the broker counts it in flight and redelivers it after a
 * reconnect, so a crash or broker restart loses nothing; records may arrive twice, which their keys make harmless.
 * The receive maximum bounds how many un-acknowledged messages the broker sends, which also bounds this source's
 * buffer: push-style backpressure without dropping.
 *
 * <p>Credentials: {@code source.auth.type: basic} sends {@code source.auth.username} and {@code source.auth.password}
 * in the CONNECT; an {@code ssl://} URL connects with TLS, trusting {@code source.tls.truststore.*} (and presenting
 * {@code source.tls.keystore.*}) with hostname verification on. A refused password or an untrusted certificate stops
 * the source at start with one sentence (exit code 4 or 5).
 *
 * <p>Each payload is one JSON record, or a JSON array of records, or an object with the array at
 * {@code source.records_path}.
 */
public final class MqttSource implements SourceTask {
    public static final String TYPE = "mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttSource.class);
    private static final int QOS = 1;
    private static final int MAX_BATCH = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Arrived(long seq, byte[] payload) {
    }

    private final LinkedBlockingQueue<Arrived> buffer = new LinkedBlockingQueue<>();
    private final PendingAcks acks = new PendingAcks();
    private volatile boolean stopped;

    private SourceContext context;
    private PipelineConfig config;
    private JsonRecordExtractor extractor;
    private MqttAsyncClient client;

    @Override
    public void start(SourceContext context) {
        this.context = context;
        this.config = context.config();
        this.extractor = new JsonRecordExtractor("", config.recordKey()); // applied to the array found in each payload
        try {
            client = new MqttAsyncClient(config.sourceUrl(), config.sourceMqttClientId(), new MemoryPersistence());
            client.setCallback(new Callback());
            client.setManualAcks(true);
            client.connect(connectionOptions()).waitForCompletion(config.sourceTimeout().toMillis());
        } catch (MqttException e) {
            closeQuietly();
            ConnectionRefusedException refused = refusal(e);
            if (refused != null) {
                throw refused;
            }
            throw new IllegalStateException("cannot connect to MQTT broker " + config.sourceUrl() + " as client '"
                    + config.sourceMqttClientId() + "': " + e.getMessage() + " (reason code " + e.getReasonCode() + ")", e);
        }
        // Subscribing happens in connectComplete, on the first connect and after every reconnect.
    }

    /** MQTT 5 CONNACK 0x86 / 0x87 (3.1.1: 4 / 5): the broker refused the user; or a certificate was not trusted. */
    private ConnectionRefusedException refusal(MqttException e) {
        String broker = Urls.withoutQuery(URI.create(config.sourceUrl()));
        int code = e.getReasonCode();
        if (code == 0x86 || code == 0x87 || code == 4 || code == 5) {
            String user = config.sourceAuthUsername() == null ? "a client without user name (`source.auth.type` is "
                    + config.sourceAuthType() + ")" : "user '" + config.sourceAuthUsername() + "'";
            return new ConnectionRefusedException(ConnectionRefusedException.Kind.AUTHENTICATION, "The MQTT broker at "
                    + broker + " refused " + user + " (reason code " + code + "): fix `source.auth.password` (or "
                    + "`source.auth.username`).", e);
        }
        return ConnectionFailures.sourceCertificate(e, config, broker);
    }

    /** What the CONNECT carries; package-private so a test can check the credentials are sent. */
    MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        if (config.sourceAuthType().equals("basic")) {
            options.setUserName(config.sourceAuthUsername());
            options.setPassword(config.sourceAuthPassword().value().getBytes(StandardCharsets.UTF_8));
        }
        if (SourceTls.configured(config)) {
            options.setSocketFactory(SourceTls.context(config).getSocketFactory());
        }
        options.setHttpsHostnameVerificationEnabled(config.sourceTlsVerifyHostname());
        options.setCleanStart(false);
        options.setSessionExpiryInterval(config.sourceMqttSessionExpiry().toSeconds());
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 30);
        options.setConnectionTimeout((int) Math.max(1, config.sourceTimeout().toSeconds()));
        options.setKeepAliveInterval(30);
        options.setReceiveMaximum(Math.min(65_535, Math.max(10, config.producerQueueCapacity())));
        return options;
    }

    @Override
    public List<SourceRecord> poll(Duration timeout) throws InterruptedException {
        if (stopped) {
            return List.of();
        }
        Arrived first = buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<Arrived> batch = new ArrayList<>();
        batch.add(first);
        buffer.drainTo(batch, MAX_BATCH - 1);
        List<SourceRecord> records = new ArrayList<>();
        for (Arrived message : batch) {
            List<SourceRecord> fromMessage = recordsOf(message);
            if (fromMessage.isEmpty()) {
                acknowledge(acks.noRecords(message.seq()));
            }
            records.addAll(fromMessage);
        }
        return records;
    }

    /** Kafka has every record up to this message's: the broker may forget it (and every message before it). */
    @Override
    public void commit(SourcePosition position) {
        acknowledge(acks.committedThrough(seqOf(position)));
    }

    @Override
    public void stop() {
        stopped = true;
        // Messages whose records Kafka acknowledges from now on are not PUBACKed; the session redelivers them.
        closeQuietly();
    }

    /** All records of a message but the last carry the previous message's position, so a partial ack acks nothing. */
    private List<SourceRecord> recordsOf(Arrived message) {
        JsonNode root;
        try {
            root = JsonRecordExtractor.parse(message.payload());
        } catch (IOException e) {
            return List.of(SourceRecord.rejected(message.payload(), positionOf(message.seq()), JsonRecordExtractor.NOT_JSON,
                    "MQTT message on " + config.sourceMqttTopic() + " is not JSON (" + e.getClass().getSimpleName() + ")"));
        }
        SourcePosition before = positionOf(message.seq() - 1);
        JsonNode records = root;
        if (root.isObject()) {
            JsonNode nested = JsonRecordExtractor.at(root, config.sourceRecordsPath());
            records = nested != null && nested.isArray() ? nested : MAPPER.createArrayNode().add(root);
        }
        JsonRecordExtractor.Extraction extraction = extractor.extract(records, index -> before);
        List<SourceRecord> out = new ArrayList<>(extraction.items()); // rejected items too: they go to the dead-letter topic
        if (!out.isEmpty()) {
            SourceRecord last = out.remove(out.size() - 1);
            out.add(last.at(positionOf(message.seq())));
        }
        return out;
    }

    private void acknowledge(List<PendingAcks.Ack> ready) {
        if (stopped) {
            // The framework's last commit comes after stop(): the client is closed, and the broker redelivers these
            // to the next session by design (see stop()); acknowledging would only fail once per message.
            return;
        }
        for (PendingAcks.Ack ack : ready) {
            try {
                client.messageArrivedComplete(ack.messageId(), ack.qos());
            } catch (MqttException | RuntimeException e) {
                // Not fatal: the broker redelivers an un-acknowledged message on the next connection.
                context.reportPollError("could not acknowledge MQTT message " + ack.messageId() + ": " + e.getMessage());
            }
        }
    }

    private void closeQuietly() {
        MqttAsyncClient c = client;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(1_000).waitForCompletion(2_000);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT disconnect: {}", e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT close: {}", e.toString());
        }
    }

    private static SourcePosition positionOf(long seq) {
        return SourcePosition.of("mqtt-" + seq);
    }

    private static long seqOf(SourcePosition position) {
        String value = position.value();
        if (!value.startsWith("mqtt-")) {
            return 0; // not ours (a stale stored position): acknowledges nothing
        }
        return Long.parseLong(value.substring("mqtt-".length()));
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (stopped) {
                return; // not acknowledged: redelivered to the next session
            }
            long seq = acks.received(message.getId(), message.getQos());
            buffer.add(new Arrived(seq, message.getPayload()));
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                LOG.info("Reconnected to MQTT broker {}", serverUri);
            }
            try {
                client.subscribe(new MqttSubscription(config.sourceMqttTopic(), QOS));
            } catch (MqttException e) {
                context.reportPollError("could not subscribe to MQTT topic " + config.sourceMqttTopic() + ": " + e.getMessage());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            int forgotten = acks.connectionLost();
            if (!stopped) {
                context.reportPollError("MQTT broker " + config.sourceUrl() + " disconnected (" + response.getReasonString()
                        + "); reconnecting, " + forgotten + " un-acknowledged messages will be redelivered");
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            context.reportPollError("MQTT error: " + exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
