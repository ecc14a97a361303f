package io.sluice.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that turns a pipeline into Kafka client properties: the producer, every admin client and Spark's
 * Kafka source and sink start from {@link #of}, so a secured cluster needs its settings written once. Property names
 * are Kafka's own strings, so this module needs no Kafka dependency.
 */
public final class KafkaClientProperties {
    private KafkaClientProperties() {
    }

    /** {@code bootstrap.servers} and the security settings, then {@code kafka.properties.*} on top. */
    public static Map<String, Object> of(PipelineConfig config) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", config.kafkaBootstrapServers());
        String protocol = config.kafkaSecurityProtocol();
        props.put("security.protocol", protocol);
        if (protocol.startsWith("SASL_")) {
            props.put("sasl.mechanism", config.kafkaSaslMechanism());
            props.put("sasl.jaas.config", jaasConfig(config));
        }
        if (protocol.endsWith("SSL")) {
            putStore(props, "ssl.truststore", config.kafkaSslTruststoreLocation(), config.kafkaSslTruststorePassword());
            putStore(props, "ssl.keystore", config.kafkaSslKeystoreLocation(), config.kafkaSslKeystorePassword());
            if (config.kafkaSslKeyPassword() != null) {
                props.put("ssl.key.password", config.kafkaSslKeyPassword().value());
            }
        }
        props.putAll(config.kafkaProperties());
        return props;
    }

    /** The same settings as Spark's Kafka source and sink options: every name prefixed with {@code kafka.}. */
    public static Map<String, String> sparkOptions(PipelineConfig config) {
        Map<String, String> options = new LinkedHashMap<>();
        of(config).forEach((k, v) -> options.put("kafka." + k, String.valueOf(v)));
        return options;
    }

    private static void putStore(Map<String, Object> props, String prefix, String location, Password password) {
        if (location == null) {
            return;
        }
        props.put(prefix + ".location", location);
        props.put(prefix + ".type", TlsStores.type(location, password));
        if (password != null) {
            props.put(prefix + ".password", password.value());
        }
    }

    private static String jaasConfig(PipelineConfig config) {
        String module = config.kafkaSaslMechanism().equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + escape(config.kafkaSaslUsername()) + "\" password=\""
                + escape(config.kafkaSaslPassword().value()) + "\";";
    }

    /** JAAS quotes: a backslash or double quote in a user name or password must not end the value early. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
