package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import io.sluice.config.CassandraConnection;
import io.sluice.stream.adaptive.NeighbourWatch;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * One plain Java-driver session per executor JVM and Cassandra cluster, shared by every task and batch of the driver
 * writer and closed when the JVM exits. Plain on purpose: the Spark connector's own session routes each request
 * through its Scala load-balancing policy, which cost 8 % of the write tasks' CPU in a profile of the bench; the
 * driver's default policy is token-aware and prefers the local data centre just the same.
 */
final class SinkSessions {
    private static final Map<CassandraConnection, CqlSession> SESSIONS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SinkSessions::closeAll, "sluice-sink-sessions-close"));
    }

    private SinkSessions() {
    }

    static CqlSession get(CassandraConnection cluster) {
        return SESSIONS.computeIfAbsent(cluster, c -> builder(c).withApplicationName(NeighbourWatch.APPLICATION_NAME).build());
    }

    /** Contact points, data centre, credentials and TLS (hostname verification on) from the pipeline's one source. */
    static CqlSessionBuilder builder(CassandraConnection c) {
        CqlSessionBuilder builder = CqlSession.builder().withLocalDatacenter(c.localDc());
        c.contactPoints().forEach(p -> builder.addContactPoint(new InetSocketAddress(p.host(), p.port())));
        if (c.authenticated()) {
            builder.withAuthCredentials(c.username(), c.password().value());
        }
        SSLContext ssl = c.sslContext();
        if (ssl != null) {
            builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(ssl, null, true));
        }
        return builder;
    }

    static void closeAll() {
        SESSIONS.values().forEach(session -> {
            try {
                NeighbourWatch.stop(session);
                session.close();
            } catch (RuntimeException e) {
                // closing at exit: nothing left to do about it
            }
        });
        SESSIONS.clear();
    }
}
