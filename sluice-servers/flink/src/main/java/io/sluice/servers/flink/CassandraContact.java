package io.sluice.servers.flink;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.ConsistencyLevel;
import com.datastax.driver.core.QueryOptions;
import java.net.InetSocketAddress;
import org.apache.flink.streaming.connectors.cassandra.ClusterBuilder;

/** The connector's way to reach Cassandra: one contact point and the consistency every write uses. */
final class CassandraContact extends ClusterBuilder {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final String consistency;

    /** @param address {@code host:port}; @param consistency a CQL consistency level name, e.g. {@code LOCAL_QUORUM} */
    CassandraContact(String address, String consistency) {
        int colon = address.lastIndexOf(':');
        this.host = address.substring(0, colon);
        this.port = Integer.parseInt(address.substring(colon + 1));
        this.consistency = ConsistencyLevel.valueOf(consistency).name();
    }

    @Override
    protected Cluster buildCluster(Cluster.Builder builder) {
        return builder.addContactPointsWithPorts(new InetSocketAddress(host, port))
                .withQueryOptions(new QueryOptions().setConsistencyLevel(ConsistencyLevel.valueOf(consistency)))
                .build();
    }
}
