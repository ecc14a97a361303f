package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.time.Duration;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Brings the bench's Cassandra to rest between two runs that are compared: every memtable of the bench keyspace
 * flushed (nodetool's {@code flush}, over the node's local JMX) and no compaction running or waiting
 * ({@code system_views.thread_pools}). Without it a run pays for the one before: the memtables an earlier run left are
 * flushed and compacted during the next, and they take memtable space, so the next run's table flushes more often.
 */
final class QuietNode {
    private static final String COMPACTIONS = "SELECT active_tasks, pending_tasks FROM system_views.thread_pools "
            + "WHERE name = 'CompactionExecutor'";
    /** Compaction is submitted a moment after a flush ends: idle twice in a row, this far apart, is idle. */
    private static final long IDLE_CHECK_MS = 500;

    private final int jmxPort;
    private final String keyspace;
    private final CqlSession session;

    QuietNode(int jmxPort, String keyspace, CqlSession session) {
        this.jmxPort = jmxPort;
        this.keyspace = keyspace;
        this.session = session;
    }

    /**
     * Flushes and waits for compaction to finish.
     *
     * @return how long it took
     * @throws BenchException when the node cannot be flushed or is still compacting after {@code timeout}
     */
    Duration settle(Duration timeout) {
        long start = System.nanoTime();
        flush();
        long deadline = start + timeout.toNanos();
        int idleChecks = 0;
        while (idleChecks < 2) {
            if (System.nanoTime() > deadline) {
                throw new BenchException("Cassandra was still compacting " + timeout.toSeconds()
                        + " s after the flush between two runs");
            }
            Sleep.millis(IDLE_CHECK_MS);
            idleChecks = compacting() ? 0 : idleChecks + 1;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void flush() {
        JMXServiceURL url;
        try {
            url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        } catch (IOException e) {
            throw new IllegalStateException(e); // a constant-shaped URL
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            server.invoke(new ObjectName("org.apache.cassandra.db:type=StorageService"), "forceKeyspaceFlush",
                    new Object[] {keyspace, new String[0]},
                    new String[] {String.class.getName(), String[].class.getName()});
        } catch (IOException | JMException e) {
            throw new BenchException("could not flush keyspace " + keyspace + " through Cassandra's JMX on 127.0.0.1:"
                    + jmxPort + ": " + e.getMessage(), e);
        }
    }

    private boolean compacting() {
        Row row = session.execute(COMPACTIONS).one();
        return row != null && tasks(row, "active_tasks") + tasks(row, "pending_tasks") > 0;
    }

    private static long tasks(Row row, String column) {
        Object value = row.getObject(column); // int in some versions, bigint in others
        return value instanceof Number number ? number.longValue() : 0;
    }
}
