package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.sluice.config.ConfigException;
import io.sluice.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the keyspace ({@link KeyspaceProvisioner}) and the three tables a pipeline writes to, if they are missing: the sink table, the quarantine
 * table and the per-batch quality metrics table. Uses the connector's own session (the connector's shaded driver), so
 * there is exactly one Cassandra driver in this JVM.
 */
public final class CassandraSchema {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraSchema.class);

    private CassandraSchema() {
    }

    /** The tables, once the keyspace exists ({@link KeyspaceProvisioner}). */
    public static List<String> tableStatements(PipelineConfig config) {
        return List.of(sinkTable(config), quarantineTable(config), metricsTable(config));
    }

    static String sinkTable(PipelineConfig config) {
        String columns = config.sinkColumns().keySet().stream().map(c -> c + " text").collect(Collectors.joining(", "));
        String bucket = config.sinkTimeBucketColumn();
        String key = config.sinkKeyColumn();
        return "CREATE TABLE IF NOT EXISTS " + config.sinkKeyspace() + "." + config.sinkTable() + " ("
                + (bucket == null ? key + " uuid PRIMARY KEY, " + columns + ")"
                : bucket + " text, " + key + " uuid, " + columns + ", PRIMARY KEY ((" + bucket + ", " + key + ")))");
    }

    /**
     * One partition per Kafka position: a replayed batch overwrites its own quarantine rows, and no partition grows
     * with the stream (rows expire with {@code quarantine.ttl}).
     */
    static String quarantineTable(PipelineConfig config) {
        return "CREATE TABLE IF NOT EXISTS " + config.sinkKeyspace() + "." + config.quarantineTable()
                + " (source_topic text, source_partition int, source_offset bigint, pipeline text, batch_id bigint,"
                + " reasons list<text>, kafka_key blob, raw_value blob, quarantined_at timestamp,"
                + " PRIMARY KEY ((source_topic, source_partition, source_offset)))";
    }

    /** Keyed by pipeline and batch id, so a replayed batch overwrites its own metrics row. */
    static String metricsTable(PipelineConfig config) {
        return "CREATE TABLE IF NOT EXISTS " + config.sinkKeyspace() + "." + config.dqMetricsTable()
                + " (pipeline text, batch_id bigint, recorded_at timestamp, rows_in bigint, rows_valid bigint,"
                + " rows_quarantined bigint, rows_warned bigint, parse_failures map<text, bigint>,"
                + " rule_failures map<text, bigint>, PRIMARY KEY ((pipeline), batch_id))"
                + " WITH CLUSTERING ORDER BY (batch_id DESC)";
    }

    /**
     * A table created by an earlier version of the pipeline keeps its columns under IF NOT EXISTS; a column added to
     * {@code sink.columns} since then would fail every write, so add it (as text, like the others).
     */
    private static void addMissingColumns(CqlSession session, TableMetadata table, PipelineConfig config) {
        for (String column : config.sinkColumns().keySet()) {
            if (table.getColumn(column).isEmpty()) {
                LOG.info("Adding column {} to {}.{}", column, config.sinkKeyspace(), config.sinkTable());
                session.execute("ALTER TABLE " + config.sinkKeyspace() + "." + config.sinkTable() + " ADD " + column + " text");
            }
        }
    }

    /** Cassandra cannot change a primary key; writing with a different one would fail every batch, obscurely. */
    static void checkPartitionKey(TableMetadata table, PipelineConfig config) {
        List<String> actual = table.getPartitionKey().stream().map(c -> c.getName().asInternal()).toList();
        List<String> expected = new ArrayList<>();
        if (config.sinkTimeBucketColumn() != null) {
            expected.add(config.sinkTimeBucketColumn());
        }
        expected.add(config.sinkKeyColumn());
        List<String> clustering = table.getClusteringColumns().keySet().stream().map(c -> c.getName().asInternal()).toList();
        if (!actual.equals(expected) || !clustering.isEmpty()) {
            throw new ConfigException("The table " + config.sinkKeyspace() + "." + config.sinkTable()
                    + " already exists with PRIMARY KEY ((" + String.join(", ", actual) + ")"
                    + (clustering.isEmpty() ? "" : ", " + String.join(", ", clustering)) + "), but the pipeline now "
                    + "declares PRIMARY KEY ((" + String.join(", ", expected) + ")) (`sink.key_column`, "
                    + "`sink.time_bucket.column`). Cassandra cannot change a primary key: write to a new `sink.table`, "
                    + "or change the pipeline back.");
        }
    }

    public static void ensure(SparkConf sparkConf, PipelineConfig config) {
        CassandraConnector connector = CassandraConnector.apply(sparkConf);
        try (CqlSession session = connector.openSession()) {
            KeyspaceProvisioner.ensure(session, config.sinkKeyspace(), config.sinkReplication());
            for (String cql : tableStatements(config)) {
                session.execute(cql);
            }
            Optional<TableMetadata> table = session.refreshSchema().getKeyspace(config.sinkKeyspace())
                    .flatMap(ks -> ks.getTable(config.sinkTable()));
            if (table.isPresent()) { // absent only if metadata is switched off; the CREATE above made every column anyway
                checkPartitionKey(table.get(), config);
                addMissingColumns(session, table.get(), config);
            }
        }
        LOG.info("Cassandra tables {}.{}, {} and {} are ready", config.sinkKeyspace(), config.sinkTable(),
                config.quarantineTable(), config.dqMetricsTable());
    }
}
