package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One plain Java-driver session per executor JVM and Cassandra cluster, shared by every task and batch of the driver
 * writer and closed when the JVM exits. Plain on purpose: the Spark connector's own session routes each request
 * through its Scala load-balancing policy, which cost 8 % of the write tasks' CPU in a profile of the bench; the
 * driver's default policy is token-aware and prefers the local data centre just the same.
 */
final class SinkSessions {
    /** Where the cluster is; serialisable so it travels to the executors inside the writer. */
    record Cluster(String contactPoints, String localDc) implements Serializable {
        List<InetSocketAddress> addresses() {
            List<InetSocketAddress> out = new ArrayList<>();
            for (String entry : contactPoints.split(",")) {
                String hostPort = entry.strip();
                int colon = hostPort.lastIndexOf(':');
                out.add(colon < 0 ? new InetSocketAddress(hostPort, 9042)
                        : new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
            }
            return out;
        }
    }

    private static final Map<Cluster, CqlSession> SESSIONS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SinkSessions::closeAll, "sluice-sink-sessions-close"));
    }

    private SinkSessions() {
    }

    static CqlSession get(Cluster cluster) {
        return SESSIONS.computeIfAbsent(cluster, c -> CqlSession.builder()
                .addContactPoints(c.addresses())
                .withLocalDatacenter(c.localDc())
                .withApplicationName("sluice-stream")
                .build());
    }

    static void closeAll() {
        SESSIONS.values().forEach(session -> {
            try {
                session.close();
            } catch (RuntimeException e) {
                // closing at exit: nothing left to do about it
            }
        });
        SESSIONS.clear();
    }
}
