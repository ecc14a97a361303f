package io.sluice.cli.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import io.sluice.config.CassandraConnection;
import io.sluice.config.ConnectionFailures;
import io.sluice.config.ConnectionRefusedException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import java.time.Duration;

/** A short-lived CQL session for the CLI's own queries (row counts, `sluice cql`). */
public final class CassandraClient implements AutoCloseable {
    private final CqlSession session;

    public CassandraClient(String contactPoints, String localDc) {
        this(CassandraConnection.plain(contactPoints, localDc));
    }

    /** Credentials and TLS (hostname verification on) as the pipeline or the secured stack says. */
    public CassandraClient(CassandraConnection connection) {
        var builder = CqlSession.builder()
                .withLocalDatacenter(connection.localDc())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        // Counting a table scans it; the driver's 2 s default is for point queries.
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .build());
        connection.contactPoints().forEach(p -> builder.addContactPoint(new InetSocketAddress(p.host(), p.port())));
        if (connection.authenticated()) {
            builder.withAuthCredentials(connection.username(), connection.password().value());
        }
        SSLContext ssl = connection.sslContext();
        if (ssl != null) {
            builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(ssl, null, true));
        }
        try {
            this.session = builder.build();
        } catch (RuntimeException e) {
            ConnectionRefusedException refused = ConnectionFailures.cassandra(e, connection);
            throw refused != null ? refused : e;
        }
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
