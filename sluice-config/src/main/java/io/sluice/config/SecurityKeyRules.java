package io.sluice.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rules that tie the Kafka and Cassandra security keys together, checked at load rather than at first connect. */
final class SecurityKeyRules {
    private SecurityKeyRules() {
    }

    static void check(PipelineConfig config, List<ConfigProblem> problems) {
        checkKafka(config, problems);
        checkCassandra(config, problems);
    }

    private static void checkKafka(PipelineConfig config, List<ConfigProblem> problems) {
        String protocol = config.kafkaSecurityProtocol();
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.endsWith("SSL");
        if (sasl) {
            requireSet(problems, "kafka.sasl.username", config.kafkaSaslUsername(), "`kafka.security.protocol` is " + protocol);
            requireSet(problems, "kafka.sasl.password", config.kafkaSaslPassword(), "`kafka.security.protocol` is " + protocol);
        } else if (config.kafkaSaslUsername() != null || config.kafkaSaslPassword() != null) {
            problems.add(new ConfigProblem(config.kafkaSaslUsername() != null ? "kafka.sasl.username" : "kafka.sasl.password",
                    null, "is set but `kafka.security.protocol` is " + protocol
                    + ", which sends no credentials; use SASL_SSL (or SASL_PLAINTEXT)"));
        }
        if (!tls && (config.kafkaSslTruststoreLocation() != null || config.kafkaSslKeystoreLocation() != null)) {
            problems.add(new ConfigProblem(config.kafkaSslTruststoreLocation() != null ? "kafka.ssl.truststore.location"
                    : "kafka.ssl.keystore.location", null, "is set but `kafka.security.protocol` is " + protocol
                    + ", which does not use TLS; use SSL or SASL_SSL"));
        }
        store(problems, "kafka.ssl.truststore.location", config.kafkaSslTruststoreLocation(),
                "kafka.ssl.truststore.password", config.kafkaSslTruststorePassword());
        store(problems, "kafka.ssl.keystore.location", config.kafkaSslKeystoreLocation(),
                "kafka.ssl.keystore.password", config.kafkaSslKeystorePassword());
    }

    private static void checkCassandra(PipelineConfig config, List<ConfigProblem> problems) {
        if (config.cassandraUsername() != null) {
            requireSet(problems, "cassandra.password", config.cassandraPassword(), "`cassandra.username` is set");
        } else if (config.cassandraPassword() != null) {
            problems.add(new ConfigProblem("cassandra.username", null, "is required when `cassandra.password` is set"));
        }
        boolean tls = config.cassandraSslEnabled();
        if (!tls && (config.cassandraSslTruststorePath() != null || config.cassandraSslKeystorePath() != null)) {
            problems.add(new ConfigProblem("cassandra.ssl.enabled", false, "must be true when `cassandra.ssl.truststore.path`"
                    + " or `cassandra.ssl.keystore.path` is set; without it the stores would be ignored"));
        }
        store(problems, "cassandra.ssl.truststore.path", config.cassandraSslTruststorePath(),
                "cassandra.ssl.truststore.password", config.cassandraSslTruststorePassword());
        store(problems, "cassandra.ssl.keystore.path", config.cassandraSslKeystorePath(),
                "cassandra.ssl.keystore.password", config.cassandraSslKeystorePassword());
    }

    private static void requireSet(List<ConfigProblem> problems, String key, Object value, String because) {
        if (value == null) {
            problems.add(new ConfigProblem(key, null, "is required because " + because));
        }
    }

    /** A store must exist and have its password: a typo should fail at load, not as a TLS error on first connect. */
    static void store(List<ConfigProblem> problems, String pathKey, String path, String passwordKey, Password password) {
        if (path == null) {
            return;
        }
        if (!Files.isReadable(Path.of(path))) {
            problems.add(new ConfigProblem(pathKey, path, "must name a readable truststore or keystore file"));
        }
        if (password == null) {
            problems.add(new ConfigProblem(passwordKey, null, "is required when `" + pathKey + "` is set"));
        }
    }
}
