package io.sluice.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Recognises, in whatever a Kafka or Cassandra client threw, the failures a user fixes in the pipeline file (a
 * refused password, an untrusted certificate) and turns them into one sentence naming the server, the user and the
 * key. By class names and message text, so this module needs neither client library, and both Cassandra drivers
 * (the CLI's plain one, the connector's shaded one) are recognised alike.
 */
public final class ConnectionFailures {
    private ConnectionFailures() {
    }

    /** A {@link ConnectionRefusedException} when {@code error} is one of those failures from Kafka, else null. */
    public static ConnectionRefusedException kafka(Throwable error, PipelineConfig config) {
        String servers = config.kafkaBootstrapServers();
        if (mentions(error, "SaslAuthenticationException", "Authentication failed")) {
            return new ConnectionRefusedException(ConnectionRefusedException.Kind.AUTHENTICATION,
                    "Kafka at " + servers + " refused user '" + config.kafkaSaslUsername() + "' (" + config.kafkaSaslMechanism()
                            + "): fix `kafka.sasl.password` (or `kafka.sasl.username`, `kafka.sasl.mechanism`).", error);
        }
        if (untrustedCertificate(error)) {
            return new ConnectionRefusedException(ConnectionRefusedException.Kind.UNTRUSTED_CERTIFICATE,
                    "The TLS certificate of Kafka at " + servers + " (user '" + config.kafkaSaslUsername() + "') is not trusted: "
                            + "point `kafka.ssl.truststore.location` (now " + orJvmDefault(config.kafkaSslTruststoreLocation())
                            + ") at a truststore holding the CA that signed it.", error);
        }
        return null;
    }

    /** A {@link ConnectionRefusedException} when {@code error} is one of those failures from Cassandra, else null. */
    public static ConnectionRefusedException cassandra(Throwable error, CassandraConnection connection) {
        String nodes = connection.describe();
        if (mentions(error, "AuthenticationException", "Provided username")
                || mentions(error, "AuthenticationException", "requires authentication")) {
            String user = connection.username() == null ? "(none: `cassandra.username` is unset)" : "'" + connection.username() + "'";
            return new ConnectionRefusedException(ConnectionRefusedException.Kind.AUTHENTICATION,
                    "Cassandra at " + nodes + " refused user " + user + ": fix `cassandra.password` (or `cassandra.username`).",
                    error);
        }
        if (untrustedCertificate(error)) {
            return new ConnectionRefusedException(ConnectionRefusedException.Kind.UNTRUSTED_CERTIFICATE,
                    "The TLS certificate of Cassandra at " + nodes + " (user '" + connection.username() + "') is not trusted: "
                            + "point `cassandra.ssl.truststore.path` (now " + orJvmDefault(connection.truststorePath())
                            + ") at a truststore holding the CA that signed it.", error);
        }
        return null;
    }

    /**
     * A {@link ConnectionRefusedException} when {@code error} says the TLS certificate of a source's server (an API, an
     * MQTT broker) is not trusted, else null. {@code server} is its URL without query or user info.
     */
    public static ConnectionRefusedException sourceCertificate(Throwable error, PipelineConfig config, String server) {
        if (!untrustedCertificate(error)) {
            return null;
        }
        boolean nameMismatch = mentions(error, "SSLHandshakeException", "subject alternative")
                || mentions(error, "CertificateException", "subject alternative")
                || mentions(error, "CertificateException", "No name matching");
        String user = sourceUser(config);
        return new ConnectionRefusedException(ConnectionRefusedException.Kind.UNTRUSTED_CERTIFICATE,
                "The TLS certificate of the source at " + server + (user == null ? "" : " (" + user + ")") + " is "
                        + (nameMismatch ? "not issued for that host name: use the name the certificate holds in "
                        + "`source.url` (or, for a test server only, `source.tls.verify_hostname: false`)."
                        : "not trusted: point `source.tls.truststore.path` (now "
                        + orJvmDefault(config.sourceTlsTruststorePath()) + ") at a truststore holding the CA that signed it."),
                error);
    }

    /** Who the source authenticates as, for messages: a user name or client id, never a secret; null when none. */
    public static String sourceUser(PipelineConfig config) {
        return switch (config.sourceAuthType()) {
            case "basic" -> "user '" + config.sourceAuthUsername() + "'";
            case "oauth2_client_credentials" -> "client '" + config.sourceAuthClientId() + "'";
            default -> null;
        };
    }

    /**
     * For a process that talks to both: a SASL refusal or a failed Kafka TLS handshake is Kafka's, a driver's
     * authentication error or any other certificate failure is Cassandra's.
     */
    public static ConnectionRefusedException any(Throwable error, PipelineConfig config) {
        if (mentions(error, "SslAuthenticationException", "") || mentions(error, "SaslAuthenticationException", "")) {
            return kafka(error, config);
        }
        return cassandra(error, config.cassandraConnection());
    }

    private static String orJvmDefault(String path) {
        return path == null ? "unset, so the JVM's own CAs" : path;
    }

    private static boolean untrustedCertificate(Throwable error) {
        return mentions(error, "SSLHandshakeException", "PKIX path")
                || mentions(error, "SSLHandshakeException", "certification path")
                || mentions(error, "SSLHandshakeException", "subject alternative")
                || mentions(error, "SslAuthenticationException", "PKIX path")
                || mentions(error, "CertificateException", "subject alternative")
                || mentions(error, "CertificateException", "certification path")
                || mentions(error, "CertificateException", "No name matching")
                || mentions(error, "CertificateException", "No subject alternative");
    }

    /**
     * True when some throwable reachable from {@code error} (causes and suppressed: the Cassandra driver reports each
     * node's error as a suppressed one) has a class named {@code simpleName}, or a message holding both
     * {@code simpleName} and {@code text} (drivers often flatten the chain into text).
     */
    static boolean mentions(Throwable error, String simpleName, String text) {
        Deque<Throwable> todo = new ArrayDeque<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        todo.add(error);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (t == null || seen.put(t, true) != null) {
                continue;
            }
            String message = String.valueOf(t.getMessage());
            if (t.getClass().getSimpleName().equals(simpleName) && message.contains(text)
                    || message.contains(simpleName) && message.contains(text)) {
                return true;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            for (Throwable s : t.getSuppressed()) {
                todo.add(s);
            }
        }
        return false;
    }
}
