package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.sluice.config.PipelineConfig;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.SparkConf;

/**
 * Keeps one row per micro-batch in {@code <sink.table>_dq_metrics}, keyed by pipeline and batch id, so a replayed
 * batch overwrites its own row. One small write from the driver per batch, through the connector's session.
 *
 * <p>The write is an upsert of the batch's own figures, so it is marked idempotent: when the node that coordinates it
 * dies mid-request, the driver sends it to the next node instead of failing the batch, and while Cassandra is busy it
 * is retried like the rows ({@code sink.write_retry_timeout}). A metrics row must never stop a pipeline whose rows
 * Cassandra took.
 */
final class QualityMetricsStore implements AutoCloseable {
    private final CqlSession session;
    private final PreparedStatement insert;
    private final String pipeline;
    private final int ttlSeconds;
    private final Duration retryTimeout;

    QualityMetricsStore(SparkConf sparkConf, PipelineConfig config) {
        this(CassandraConnector.apply(sparkConf).openSession(), config);
    }

    QualityMetricsStore(CqlSession session, PipelineConfig config) {
        this.session = session;
        this.pipeline = config.name();
        this.ttlSeconds = (int) Math.min(Integer.MAX_VALUE, config.dqMetricsTtl().toSeconds());
        this.retryTimeout = config.sinkWriteRetryTimeout();
        this.insert = session.prepare(SimpleStatement.newInstance("INSERT INTO " + config.sinkKeyspace() + "."
                + config.dqMetricsTable() + " (pipeline, batch_id, recorded_at, rows_in, rows_valid, rows_quarantined,"
                + " rows_warned, parse_failures, rule_failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?")
                .setIdempotent(true));
    }

    void record(long batchId, Instant at, BatchSummary summary) {
        try {
            WriteRetry.whileBusy(() -> session.execute(insert.bind(pipeline, batchId, at, summary.inputRows(),
                    summary.validRows(), summary.quarantinedRows(), summary.warnedRows(), summary.parseFailures(),
                    summary.ruleFailures(), ttlSeconds)), retryTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the quality metrics of batch " + batchId, e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
