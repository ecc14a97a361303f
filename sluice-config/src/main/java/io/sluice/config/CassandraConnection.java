package io.sluice.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Everything a client needs to open a Cassandra session: contact points, data centre, credentials and TLS. Built
 * from the pipeline in one place and free of driver types, so the stream job (the connector's shaded driver) and the
 * CLI (the plain driver) read the same settings. Serialisable: it travels to Spark executors inside the writer.
 */
public record CassandraConnection(List<HostPort> contactPoints, String localDc, String username, Password password,
                                  boolean ssl, String truststorePath, Password truststorePassword,
                                  String keystorePath, Password keystorePassword) implements Serializable {

    /** One {@code host:port} contact point. */
    public record HostPort(String host, int port) implements Serializable {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public static final int DEFAULT_PORT = 9042;

    public static CassandraConnection from(PipelineConfig config) {
        return new CassandraConnection(parseContactPoints(config.cassandraContactPoints()), config.cassandraLocalDc(),
                config.cassandraUsername(), config.cassandraPassword(), config.cassandraSslEnabled(),
                config.cassandraSslTruststorePath(), config.cassandraSslTruststorePassword(),
                config.cassandraSslKeystorePath(), config.cassandraSslKeystorePassword());
    }

    /** No credentials, no TLS: the local stack as it starts without {@code --secure}. */
    public static CassandraConnection plain(String contactPoints, String localDc) {
        return new CassandraConnection(parseContactPoints(contactPoints), localDc, null, null, false, null, null, null, null);
    }

    /** The only parser of {@code cassandra.contact_points}: {@code host:port,host:port}; a missing port is 9042. */
    public static List<HostPort> parseContactPoints(String contactPoints) {
        List<HostPort> out = new ArrayList<>();
        for (String entry : contactPoints.split(",")) {
            String hostPort = entry.strip();
            if (hostPort.isEmpty()) {
                continue;
            }
            int colon = hostPort.lastIndexOf(':');
            out.add(colon < 0 ? new HostPort(hostPort, DEFAULT_PORT)
                    : new HostPort(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
        }
        return List.copyOf(out);
    }

    public boolean authenticated() {
        return username != null;
    }

    /** The TLS context for this cluster, or null without TLS. Hostname verification is the caller's to switch on. */
    public SSLContext sslContext() {
        return ssl ? TlsStores.context(truststorePath, truststorePassword, keystorePath, keystorePassword) : null;
    }

    /** {@code host:port,...} as written in the pipeline, for messages. */
    public String describe() {
        return String.join(",", contactPoints.stream().map(HostPort::toString).toList());
    }

    /** Connector settings ({@code spark.cassandra.*}): contact points, data centre, credentials and TLS. */
    public java.util.Map<String, String> sparkConnectorConf() {
        java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();
        // The connector accepts host:port entries; connection.port covers any entry without one.
        conf.put("spark.cassandra.connection.host", describe());
        conf.put("spark.cassandra.connection.port", Integer.toString(contactPoints.get(0).port()));
        conf.put("spark.cassandra.connection.localDC", localDc);
        if (username != null) {
            conf.put("spark.cassandra.auth.username", username);
            conf.put("spark.cassandra.auth.password", password.value());
        }
        if (ssl) {
            conf.put("spark.cassandra.connection.ssl.enabled", "true");
            if (truststorePath != null) {
                conf.put("spark.cassandra.connection.ssl.trustStore.path", truststorePath);
                conf.put("spark.cassandra.connection.ssl.trustStore.password", truststorePassword.value());
                conf.put("spark.cassandra.connection.ssl.trustStore.type", TlsStores.type(truststorePath, truststorePassword));
            }
            if (keystorePath != null) {
                conf.put("spark.cassandra.connection.ssl.clientAuth.enabled", "true");
                conf.put("spark.cassandra.connection.ssl.keyStore.path", keystorePath);
                conf.put("spark.cassandra.connection.ssl.keyStore.password", keystorePassword.value());
                conf.put("spark.cassandra.connection.ssl.keyStore.type", TlsStores.type(keystorePath, keystorePassword));
            }
        }
        return conf;
    }
}
