package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import io.sluice.config.CassandraConnection;
import io.sluice.stream.adaptive.NeighbourWatch;
import java.net.InetSocketAddress;
import java.time.Duration;
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
    /**
     * How long the driver gathers requests on a connection before it flushes them together, where its default is
     * 10 µs. The writer keeps up to hundreds of small requests in flight, and each flush is a system call on the
     * driver's I/O thread, each wake-up of that thread one on the task's: five pairs of {@code EngineProbe 200000 0
     * full} in both orders gave 9 % less engine CPU on average at 200 µs, four in favour and one even (changes.md
     * round 20). A request waits at most this long, far below a write's own latency.
     */
    static final Duration WRITE_COALESCING = Duration.ofNanos(200_000);
    /** A user's own {@code -D} setting of the same option wins (the driver ranks programmatic values above it). */
    static final String WRITE_COALESCING_PROPERTY = "datastax-java-driver." + DefaultDriverOption.COALESCER_INTERVAL.getPath();
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
        if (System.getProperty(WRITE_COALESCING_PROPERTY) == null) {
            builder.withConfigLoader(configLoader());
        }
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

    /** The driver's own configuration (reference.conf, application.conf, -D) with {@link #WRITE_COALESCING} on top. */
    static DriverConfigLoader configLoader() {
        // As text: withDuration stores whole milliseconds, which would make 200 µs zero.
        return DriverConfigLoader.programmaticBuilder().withString(DefaultDriverOption.COALESCER_INTERVAL,
                WRITE_COALESCING.toNanos() / 1_000 + " microseconds").build();
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
