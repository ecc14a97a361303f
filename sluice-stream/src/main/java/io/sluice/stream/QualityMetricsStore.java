package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.sluice.config.PipelineConfig;
import java.time.Instant;
import org.apache.spark.SparkConf;

/**
 * Keeps one row per micro-batch in {@code <sink.table>_dq_metrics}, keyed by pipeline and batch id, so a replayed
 * batch overwrites its own row. One small write from the driver per batch, through the connector's session.
 */
final class QualityMetricsStore implements AutoCloseable {
    private final CqlSession session;
    private final PreparedStatement insert;
    private final String pipeline;
    private final int ttlSeconds;

    QualityMetricsStore(SparkConf sparkConf, PipelineConfig config) {
        this.session = CassandraConnector.apply(sparkConf).openSession();
        this.pipeline = config.name();
        this.ttlSeconds = (int) Math.min(Integer.MAX_VALUE, config.dqMetricsTtl().toSeconds());
        this.insert = session.prepare("INSERT INTO " + config.sinkKeyspace() + "." + config.dqMetricsTable()
                + " (pipeline, batch_id, recorded_at, rows_in, rows_valid, rows_quarantined, rows_warned,"
                + " parse_failures, rule_failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
    }

    void record(long batchId, Instant at, BatchSummary summary) {
        session.execute(insert.bind(pipeline, batchId, at, summary.inputRows(), summary.validRows(),
                summary.quarantinedRows(), summary.warnedRows(), summary.parseFailures(), summary.ruleFailures(),
                ttlSeconds));
    }

    @Override
    public void close() {
        session.close();
    }
}
