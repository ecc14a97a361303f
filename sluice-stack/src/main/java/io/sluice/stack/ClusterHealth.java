package io.sluice.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Readiness of a cluster as a whole: every node answering its own query is not enough, they must also see each
 * other (three brokers registered with the quorum, three Cassandra nodes up in one ring).
 */
final class ClusterHealth {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration INTERVAL = Duration.ofMillis(500);

    private ClusterHealth() {
    }

    /** Waits until the cluster's metadata lists {@code expected} brokers. */
    static void awaitKafkaBrokers(String bootstrap, int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "sluice-stack-cluster-readiness",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis()))) {
            while (System.nanoTime() < deadline) {
                try {
                    seen = admin.describeCluster().nodes().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
                    if (seen >= expected) {
                        return;
                    }
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new StackException("Interrupted while waiting for the Kafka brokers to form a cluster", e);
                    }
                }
                sleep();
            }
        }
        throw new StackException("Only " + seen + " of " + expected + " Kafka brokers at " + bootstrap + " registered with the "
                + "cluster within " + timeout.toSeconds() + " s. Look for errors in each broker's log, kafka-N/kafka-N.log.");
    }

    /** Waits until a session through every contact point sees {@code expected} nodes, all UP. */
    static void awaitCassandraNodesUp(List<InetSocketAddress> contactPoints, String datacenter, int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, PROBE_TIMEOUT)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, PROBE_TIMEOUT)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, PROBE_TIMEOUT)
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .build();
        while (System.nanoTime() < deadline) {
            try (CqlSession session = CqlSession.builder().addContactPoints(contactPoints).withLocalDatacenter(datacenter)
                    .withConfigLoader(config).build()) {
                while (System.nanoTime() < deadline) {
                    Collection<Node> nodes = session.getMetadata().getNodes().values();
                    if (nodes.size() >= expected && nodes.stream().allMatch(n -> n.getState() == NodeState.UP)) {
                        return;
                    }
                    last = nodes.stream().map(n -> n.getEndPoint() + " " + n.getState()).collect(Collectors.joining(", "));
                    sleep();
                }
            } catch (RuntimeException e) {
                last = e.getMessage();
                sleep();
            }
        }
        throw new StackException("The Cassandra nodes did not all come up in one ring within " + timeout.toSeconds()
                + " s (expected " + expected + " nodes UP; the driver saw: " + last + "). Look for errors in each node's log, cassandra-N/cassandra-N.log.");
    }

    private static void sleep() {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting for a cluster to form", e);
        }
    }
}
