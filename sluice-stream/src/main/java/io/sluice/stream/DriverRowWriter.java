package io.sluice.stream;

import io.sluice.config.CassandraConnection;
import io.sluice.stream.adaptive.AdaptiveSettings;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.ByteBuffer;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The {@code sink.writer: driver} write path: every row of a micro-batch passes through here once. Valid rows are
 * sent with one prepared {@code INSERT ... USING TTL ?} each, {@code executeAsync} on the executor's plain driver
 * session ({@link SinkSessions}), at most {@code maxInFlight} requests outstanding per task (a semaphore), paced by
 * the task's share of {@code sink.max_rows_per_second} in a bucket that the executor's tasks share ({@link TaskShares}). Every row, valid or not, is counted into a
 * {@link BatchCounts} for the batch summary, so the batch is read from Kafka and parsed once.
 *
 * <p>With {@code sink.batch_size_rows} above 1, rows of the same group ({@code sink.batch_grouping}) travel together
 * in small UNLOGGED batches ({@link StatementGrouper}): no batch log, and grouped by replica set the coordinator
 * owns every row of its batch. Otherwise each row is its own INSERT, routed token-aware to a replica. A failed write is
 * retried with backoff ({@link WriteRetry}: while Cassandra is busy, up to {@code sink.write_retry_timeout}); if it
 * still fails, the task fails and Spark fails the micro-batch, which is then replayed from the checkpoint. With
 * {@code sink.adaptive} the in-flight bound and the pace come from the executor's adaptive controller
 * ({@link WritePermits}).
 */
final class DriverRowWriter implements Serializable {
    private static final long serialVersionUID = 2L;

    private final CassandraConnection cluster;
    private final String insertCql;
    private final List<String> columns;
    private final String rowTtlColumn;
    private final int defaultTtlSeconds;
    private final String consistency;
    private final int maxInFlight;
    private final double maxRowsPerSecond;
    private final boolean oneJvm;
    private final String limiterName;
    private final String keyspace;
    private final String grouping;
    private final int rowsPerBatch;
    private final int openGroupsAtMost;
    /** {@code sink.adaptive} settings, or null for the static limits; see {@link #withWriteControl}. */
    private AdaptiveSettings adaptive;
    private Duration retryTimeout = Duration.ofMinutes(5);

    /**
     * @param columns              the table columns, in the order of the INSERT (the same names as the row's fields)
     * @param rowTtlColumn         the row field holding each row's TTL in seconds, or null for {@code defaultTtlSeconds}
     * @param maxRowsPerSecond     {@code sink.max_rows_per_second}, for the whole job; split per batch ({@link TaskShares})
     * @param oneJvm               true in local mode: every task runs in this one JVM
     * @param grouping             {@code sink.batch_grouping}: which rows may share an UNLOGGED batch
     * @param rowsPerBatch         {@code sink.batch_size_rows}; 1 sends every row as its own INSERT
     * @param openGroupsAtMost     {@code sink.batch_buffer_size}: groups a task fills at once
     */
    DriverRowWriter(CassandraConnection cluster, String keyspace, String table, List<String> columns,
                    String rowTtlColumn, int defaultTtlSeconds, String consistency, int maxInFlight,
                    double maxRowsPerSecond, boolean oneJvm, String grouping, int rowsPerBatch, int openGroupsAtMost) {
        this.openGroupsAtMost = openGroupsAtMost;
        this.keyspace = keyspace;
        this.grouping = grouping;
        this.rowsPerBatch = Math.max(1, rowsPerBatch);
        this.cluster = cluster;
        this.columns = List.copyOf(columns);
        this.rowTtlColumn = rowTtlColumn;
        this.defaultTtlSeconds = defaultTtlSeconds;
        this.consistency = consistency;
        this.maxInFlight = maxInFlight;
        this.maxRowsPerSecond = maxRowsPerSecond;
        this.oneJvm = oneJvm;
        this.limiterName = keyspace + "." + table;
        this.insertCql = insertCql(keyspace, table, this.columns);
    }

    /** The adaptive controller's settings (null: static limits) and {@code sink.write_retry_timeout}. */
    DriverRowWriter withWriteControl(AdaptiveSettings adaptive, Duration retryTimeout) {
        this.adaptive = adaptive;
        this.retryTimeout = retryTimeout;
        return this;
    }

    /** TTL 0 means "no TTL" to Cassandra, so one statement serves both TTL and keep-forever tables. */
    static String insertCql(String keyspace, String table, List<String> columns) {
        return "INSERT INTO " + keyspace + "." + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ") USING TTL ?";
    }

    /**
     * The columns of a row that {@link #write} reads: what its rows must have, and all they need. Rows that carry
     * nothing else are cheaper to make: Spark's optimiser then leaves out the record's bytes and fields.
     */
    List<String> reads(int rules) {
        List<String> names = new ArrayList<>(List.of(RecordParser.TOPIC, RecordParser.PARTITION, RecordParser.OFFSET,
                RecordParser.PARSE_ERROR, DataQuality.VALID, DataQuality.WARNED));
        for (int i = 0; i < rules; i++) {
            names.add(DataQuality.failColumn(i));
        }
        columns.forEach(column -> names.add(MicroBatchWriter.tableColumn(column)));
        if (rowTtlColumn != null && !columns.contains(rowTtlColumn)) {
            names.add(MicroBatchWriter.tableColumn(rowTtlColumn));
        }
        return names;
    }

    /** One task's share of {@code sink.max_rows_per_second} in a batch of {@code tasks} tasks ({@link TaskShares}). */
    double taskShare(int tasks) {
        return TaskShares.perTask(maxRowsPerSecond, tasks, oneJvm);
    }

    /**
     * {@code rows} are Spark's internal rows of {@code schema}; each is read before the next (Spark reuses them).
     *
     * @param rowsPerSecond this task's share of the cap, from {@link #taskShare}
     */
    BatchCounts write(Iterator<InternalRow> rows, StructType schema, int rules, double rowsPerSecond) throws Exception {
        BatchCounts counts = new BatchCounts(rules);
        if (!rows.hasNext()) {
            return counts;
        }
        try (TaskShares.Share share = TaskShares.join(limiterName, maxRowsPerSecond, rowsPerSecond)) {
            return write(rows, schema, rules, counts, share);
        }
    }

    private BatchCounts write(Iterator<InternalRow> rows, StructType schema, int rules, BatchCounts counts,
                              TaskShares.Share limiter) throws Exception {
        CqlSession session = SinkSessions.get(cluster);
        ConsistencyLevel level = DefaultConsistencyLevel.valueOf(consistency);
        // Consistency and idempotence set once on the statement, so every bound statement inherits them.
        PreparedStatement insert = WriteRetry.prepare(session, SimpleStatement.newInstance(insertCql)
                .setConsistencyLevel(level).setIdempotent(true), retryTimeout); // the driver caches it per session
        AtomicReference<Throwable> failure = new AtomicReference<>();
        WritePermits permits = WritePermits.forTask(limiterName, maxInFlight, limiter, adaptive, session);
        WriteStats stats = counts.writes();
        StatementGrouper grouper = new StatementGrouper(session, keyspace, grouping, rowsPerBatch, openGroupsAtMost, request -> {
            long sentAt = permits.acquire();
            stats.inFlight(permits.inFlight());
            int rowsInRequest = request instanceof BatchStatement batch ? batch.size() : 1;
            WriteRetry.send(session, request, rowsInRequest, sentAt, permits, stats, retryTimeout).whenComplete((ok, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    stats.latency(System.nanoTime() - sentAt);
                }
                permits.release();
            });
        });
        Layout layout = new Layout(schema, insert, rules);
        boolean[] failed = new boolean[rules];
        UTF8String lastTopic = null;
        String topic = null;
        while (rows.hasNext() && failure.get() == null) {
            InternalRow row = rows.next();
            boolean valid = row.getBoolean(layout.valid);
            for (int i = 0; i < rules; i++) {
                failed[i] = row.getBoolean(layout.ruleFailures[i]);
            }
            UTF8String rowTopic = row.getUTF8String(layout.topic);
            if (!rowTopic.equals(lastTopic)) { // one topic in practice: decode its name once, not per row
                lastTopic = rowTopic.clone();
                topic = rowTopic.toString();
            }
            counts.add(topic, row.getInt(layout.partition), row.getLong(layout.offset),
                    row.isNullAt(layout.parseError) ? null : row.getUTF8String(layout.parseError).toString(), valid,
                    row.getBoolean(layout.warned), failed);
            if (!valid) {
                continue;
            }
            BoundStatement statement = layout.bind(row, insert.boundStatementBuilder()).build();
            permits.pace(); // rows are paced one by one, batched or not
            grouper.add(statement);
        }
        if (failure.get() == null) {
            grouper.flush();
        }
        permits.awaitAll(); // every write answered
        stats.control(permits.state());
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("writing to Cassandra failed (retried " + WriteRetry.ATTEMPTS
                    + " times, or for sink.write_retry_timeout " + io.sluice.config.Durations.format(retryTimeout) + " while Cassandra was busy): "
                    + error.getMessage(), error);
        }
        return counts;
    }

    /** Field positions, looked up once per task from the first row's schema rather than by name for every row. */
    private final class Layout {
        final int topic;
        final int partition;
        final int offset;
        final int parseError;
        final int valid;
        final int warned;
        final int[] ruleFailures;
        final int[] columnFields;
        final boolean[] uuidColumn;
        final boolean[] textColumn;
        final int ttlField;

        Layout(StructType schema, PreparedStatement insert, int rules) {
            topic = schema.fieldIndex(RecordParser.TOPIC);
            partition = schema.fieldIndex(RecordParser.PARTITION);
            offset = schema.fieldIndex(RecordParser.OFFSET);
            parseError = schema.fieldIndex(RecordParser.PARSE_ERROR);
            valid = schema.fieldIndex(DataQuality.VALID);
            warned = schema.fieldIndex(DataQuality.WARNED);
            ruleFailures = new int[rules];
            for (int i = 0; i < rules; i++) {
                ruleFailures[i] = schema.fieldIndex(DataQuality.failColumn(i));
            }
            columnFields = new int[columns.size()];
            uuidColumn = new boolean[columns.size()];
            textColumn = new boolean[columns.size()];
            List<ColumnDefinition> variables = new ArrayList<>();
            insert.getVariableDefinitions().forEach(variables::add);
            for (int i = 0; i < columns.size(); i++) {
                columnFields[i] = schema.fieldIndex(MicroBatchWriter.tableColumn(columns.get(i)));
                uuidColumn[i] = DataTypes.UUID.equals(variables.get(i).getType());
                textColumn[i] = DataTypes.TEXT.equals(variables.get(i).getType());
            }
            ttlField = rowTtlColumn == null ? -1 : schema.fieldIndex(MicroBatchWriter.tableColumn(rowTtlColumn));
        }

        /**
         * Binds a row's fields to the prepared INSERT by position. A CQL text value is its UTF-8 bytes, which is what
         * Spark holds: text columns are bound as they are (copied, since Spark reuses the row), without a decode to a
         * Java String and an encode back.
         */
        BoundStatementBuilder bind(InternalRow row, BoundStatementBuilder b) {
            for (int i = 0; i < columnFields.length; i++) {
                int field = columnFields[i];
                if (row.isNullAt(field)) {
                    b = b.setToNull(i);
                } else if (uuidColumn[i]) {
                    b = b.setUuid(i, UuidText.parse(row.getUTF8String(field)));
                } else if (textColumn[i]) {
                    b = b.setBytesUnsafe(i, ByteBuffer.wrap(row.getUTF8String(field).getBytes()));
                } else { // another type of a table made elsewhere: the driver converts the text, as before
                    b = b.setString(i, row.getUTF8String(field).toString());
                }
            }
            int ttl = ttlField < 0 || row.isNullAt(ttlField) ? defaultTtlSeconds : row.getInt(ttlField);
            return b.setInt(columnFields.length, ttl);
        }
    }
}
