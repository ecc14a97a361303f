package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.sluice.config.PipelineConfig;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the keyspace and table a pipeline writes to, if they are missing. Uses the connector's own session
 * (the connector's shaded driver), so there is exactly one Cassandra driver in this JVM.
 */
public final class CassandraSchema {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraSchema.class);

    private CassandraSchema() {
    }

    public static List<String> statements(PipelineConfig config) {
        String keyspace = config.sinkKeyspace();
        // Identifiers are validated lower-case CQL names, so they need no quoting.
        String createKeyspace = "CREATE KEYSPACE IF NOT EXISTS " + keyspace
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
                + config.sinkReplicationFactor() + "}";
        String columns = config.sinkColumns().keySet().stream().map(c -> c + " text").collect(Collectors.joining(", "));
        String createTable = "CREATE TABLE IF NOT EXISTS " + keyspace + "." + config.sinkTable()
                + " (" + config.sinkKeyColumn() + " uuid PRIMARY KEY, " + columns + ")";
        return List.of(createKeyspace, createTable);
    }

    /**
     * A table created by an earlier version of the pipeline keeps its columns under IF NOT EXISTS; a column added to
     * {@code sink.columns} since then would fail every write, so add it (as text, like the others).
     */
    private static void addMissingColumns(CqlSession session, PipelineConfig config) {
        var table = session.getMetadata().getKeyspace(config.sinkKeyspace())
                .flatMap(ks -> ks.getTable(config.sinkTable()));
        if (table.isEmpty()) {
            return; // metadata not refreshed yet; the CREATE above made every column anyway
        }
        for (String column : config.sinkColumns().keySet()) {
            if (table.get().getColumn(column).isEmpty()) {
                LOG.info("Adding column {} to {}.{}", column, config.sinkKeyspace(), config.sinkTable());
                session.execute("ALTER TABLE " + config.sinkKeyspace() + "." + config.sinkTable() + " ADD " + column + " text");
            }
        }
    }

    public static void ensure(SparkConf sparkConf, PipelineConfig config) {
        CassandraConnector connector = CassandraConnector.apply(sparkConf);
        try (CqlSession session = connector.openSession()) {
            for (String cql : statements(config)) {
                session.execute(cql);
            }
            addMissingColumns(session, config);
        }
        LOG.info("Cassandra table {}.{} is ready", config.sinkKeyspace(), config.sinkTable());
    }
}
