package io.sluice.cli.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetSocketAddress;
import java.time.Duration;

/** A short-lived CQL session for the CLI's own queries (row counts, `sluice cql`). */
public final class CassandraClient implements AutoCloseable {
    private final CqlSession session;

    public CassandraClient(String contactPoints, String localDc) {
        var builder = CqlSession.builder()
                .withLocalDatacenter(localDc)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        // Counting a table scans it; the driver's 2 s default is for point queries.
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .build());
        for (String hostPort : contactPoints.split(",")) {
            String hp = hostPort.trim();
            int colon = hp.lastIndexOf(':');
            builder.addContactPoint(new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1))));
        }
        this.session = builder.build();
    }

    public ResultSet execute(String cql) {
        return session.execute(SimpleStatement.newInstance(cql));
    }

    /** Exact row count of a table, or -1 when the table does not exist yet. */
    public long countRows(String keyspace, String table) {
        boolean exists = session.getMetadata().getKeyspace(keyspace)
                .flatMap(ks -> ks.getTable(table)).isPresent();
        if (!exists) {
            return -1;
        }
        return execute("SELECT count(*) FROM " + keyspace + "." + table).one().getLong(0);
    }

    @Override
    public void close() {
        session.close();
    }
}
