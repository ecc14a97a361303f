package io.sluice.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code server.properties} of a single-node KRaft Kafka (broker and controller in one JVM) that
 * listens on 127.0.0.1 only. Settings that assume three brokers are lowered to one.
 */
final class KafkaServerProperties {

    private KafkaServerProperties() {
    }

    static Map<String, String> defaults(int brokerPort, int controllerPort, Path logDir, boolean autoCreateTopics) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "3");
        // Topics are created on purpose by Sluice (with their partition count), never by a typo.
        p.put("auto.create.topics.enable", String.valueOf(autoCreateTopics));
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // One local consumer group should not wait 3 s for members that will never come.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Two cores on a laptop: the defaults (3 network, 8 io threads) only add context switches.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("log.retention.hours", "168");
        return p;
    }

    /** SASL_SSL with SCRAM for clients and the broker itself; the controller listener stays internal on loopback. */
    static Map<String, String> secured(int brokerPort, int controllerPort, StackSecurity security) {
        Map<String, String> p = new LinkedHashMap<>();
        String storePassword = security.serverSecret("store.password");
        p.put("listeners", "SASL_SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + brokerPort);
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
        p.put("sasl.enabled.mechanisms", StackSecurity.KAFKA_MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", StackSecurity.KAFKA_MECHANISM);
        p.put("listener.name.sasl_ssl." + StackSecurity.KAFKA_MECHANISM.toLowerCase() + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + StackSecurity.KAFKA_ADMIN_USER
                        + "\" password=\"" + security.serverSecret("kafka.broker.password") + "\";");
        p.put("ssl.keystore.location", security.serverKeystore().toString());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.key.password", storePassword);
        p.put("ssl.truststore.location", security.truststore().toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", storePassword);
        return p;
    }

    static String render(Map<String, String> properties) {
        StringBuilder out = new StringBuilder("# Written by Sluice on every start; edit the launcher settings instead.\n");
        properties.forEach((key, value) -> out.append(key).append('=').append(escape(value)).append('\n'));
        return out.toString();
    }

    /** java.util.Properties syntax: backslashes (Windows paths) and leading blanks need escaping. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
