package io.sluice.stream;

import io.sluice.config.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spark Cassandra Connector settings (names as in the connector 3.5 reference: {@code CassandraConnectorConf},
 * {@code WriteConf}) derived from the pipeline. Every write limit is set explicitly, so the load on Cassandra is
 * bounded by the pipeline file, not by the connector's defaults.
 */
public final class CassandraOptions {
    public static final String FORMAT = "org.apache.spark.sql.cassandra";

    private CassandraOptions() {
    }

    /** Connection settings; they go into the Spark conf so both the sink and {@code CassandraConnector} see them. */
    public static Map<String, String> connection(PipelineConfig config) {
        Map<String, String> conf = new LinkedHashMap<>();
        String contactPoints = config.cassandraContactPoints();
        // The connector accepts host:port entries; connection.port covers any entry without one.
        conf.put("spark.cassandra.connection.host", contactPoints);
        conf.put("spark.cassandra.connection.port", firstPort(contactPoints));
        conf.put("spark.cassandra.connection.localDC", config.cassandraLocalDc());
        return conf;
    }

    /** Options for one {@code DataFrameWriter} on the sink table. */
    public static Map<String, String> write(PipelineConfig config) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("keyspace", config.sinkKeyspace());
        options.put("table", config.sinkTable());
        options.put("spark.cassandra.output.consistency.level", config.sinkConsistency());
        options.put("spark.cassandra.output.concurrent.writes", Integer.toString(config.sinkConcurrentWrites()));
        options.put("spark.cassandra.output.throughputMBPerSec", Double.toString(config.sinkThroughputMbPerSec()));
        long ttlSeconds = config.sinkTtl().toSeconds();
        if (ttlSeconds > 0) { // 0 means "keep forever": leave the table's own default in charge
            options.put("spark.cassandra.output.ttl", Long.toString(ttlSeconds));
        }
        return options;
    }

    private static String firstPort(String hostPorts) {
        String first = hostPorts.split(",")[0].strip();
        int colon = first.lastIndexOf(':');
        return colon < 0 ? "9042" : first.substring(colon + 1);
    }
}
