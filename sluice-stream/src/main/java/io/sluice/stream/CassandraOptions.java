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
        return config.cassandraConnection().sparkConnectorConf();
    }

    /**
     * Options for one {@code DataFrameWriter} on the sink table: the pipeline's write controls, every one set
     * explicitly (docs/data-quality.md, "Write controls").
     */
    public static Map<String, String> write(PipelineConfig config) {
        Map<String, String> options = limits(config);
        options.put("keyspace", config.sinkKeyspace());
        options.put("table", config.sinkTable());
        long ttlSeconds = config.sinkTtl().toSeconds();
        if (config.sinkTtlColumn() != null) {
            // A non-numeric "ttl" option is a column name to the connector: TTLOption.perRow, bound per row.
            options.put("ttl", SinkProjection.ROW_TTL);
        } else if (ttlSeconds > 0) { // 0 means "keep forever": leave the table's own default in charge
            options.put("spark.cassandra.output.ttl", Long.toString(ttlSeconds));
        }
        return options;
    }

    /** Options for writing quarantined records: the same write limits, the quarantine table and its TTL. */
    public static Map<String, String> quarantine(PipelineConfig config) {
        Map<String, String> options = limits(config);
        options.put("keyspace", config.sinkKeyspace());
        options.put("table", config.quarantineTable());
        long ttlSeconds = config.quarantineTtl().toSeconds();
        if (ttlSeconds > 0) {
            options.put("spark.cassandra.output.ttl", Long.toString(ttlSeconds));
        }
        return options;
    }

    private static Map<String, String> limits(PipelineConfig config) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("spark.cassandra.output.consistency.level", config.sinkConsistency());
        options.put("spark.cassandra.output.concurrent.writes", Integer.toString(config.sinkConcurrentWrites()));
        options.put("spark.cassandra.output.throughputMBPerSec", Double.toString(config.sinkThroughputMbPerSec()));
        options.put("spark.cassandra.output.batch.grouping.key", config.sinkBatchGrouping());
        Integer rows = config.sinkBatchSizeRows();
        options.put("spark.cassandra.output.batch.size.rows", rows == null ? "auto" : rows.toString());
        options.put("spark.cassandra.output.batch.size.bytes", Long.toString(config.sinkBatchSizeBytes()));
        options.put("spark.cassandra.output.batch.grouping.buffer.size", Integer.toString(config.sinkBatchBufferSize()));
        return options;
    }
}
