package io.sluice.stream;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.spark.connector.cql.CassandraConnector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;

/**
 * Writes one Spark partition of sink rows straight through the connector's Java driver session: one prepared
 * {@code INSERT ... USING TTL ?}, each row sent with {@code executeAsync}, at most {@code maxInFlight} requests
 * outstanding per task (a semaphore), paced by a {@link RowRateLimiter} that all tasks of the executor share. Single-row inserts are what Cassandra handles best for
 * rows that each have their own partition: no batch log, no coordinator fan-out, and the driver's token-aware routing
 * sends each row to a replica.
 *
 * <p>A failed write is retried a few times with backoff (an upsert is idempotent); if it still fails, the task fails
 * and Spark fails the micro-batch, which is then replayed from the checkpoint.
 */
final class DriverRowWriter implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private static final int ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final CassandraConnector connector;
    private final String insertCql;
    private final List<String> columns;
    private final String rowTtlColumn;
    private final int defaultTtlSeconds;
    private final String consistency;
    private final int maxInFlight;
    private final double rowsPerSecondPerExecutor;
    private final String limiterName;

    /**
     * @param columns              the table columns, in the order of the INSERT (the same names as the row's fields)
     * @param rowTtlColumn         the row field holding each row's TTL in seconds, or null for {@code defaultTtlSeconds}
     * @param rowsPerSecondPerExecutor this executor's share of {@code sink.max_rows_per_second}, shared by its tasks
     */
    DriverRowWriter(CassandraConnector connector, String keyspace, String table, List<String> columns,
                    String rowTtlColumn, int defaultTtlSeconds, String consistency, int maxInFlight,
                    double rowsPerSecondPerExecutor) {
        this.connector = connector;
        this.columns = List.copyOf(columns);
        this.rowTtlColumn = rowTtlColumn;
        this.defaultTtlSeconds = defaultTtlSeconds;
        this.consistency = consistency;
        this.maxInFlight = maxInFlight;
        this.rowsPerSecondPerExecutor = rowsPerSecondPerExecutor;
        this.limiterName = keyspace + "." + table;
        this.insertCql = insertCql(keyspace, table, this.columns);
    }

    /** TTL 0 means "no TTL" to Cassandra, so one statement serves both TTL and keep-forever tables. */
    static String insertCql(String keyspace, String table, List<String> columns) {
        return "INSERT INTO " + keyspace + "." + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ") USING TTL ?";
    }

    @Override
    public void call(Iterator<Row> rows) throws Exception {
        if (!rows.hasNext()) {
            return;
        }
        // openSession() hands out the connector's shared, reference-counted session of this executor.
        try (CqlSession session = connector.openSession()) {
            PreparedStatement insert = session.prepare(insertCql); // the driver caches it per session
            Binder binder = new Binder(insert);
            ConsistencyLevel level = DefaultConsistencyLevel.valueOf(consistency);
            Semaphore inFlight = new Semaphore(maxInFlight);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            RowRateLimiter limiter = RowRateLimiter.shared(limiterName, rowsPerSecondPerExecutor);
            while (rows.hasNext() && failure.get() == null) {
                Row row = rows.next();
                var statement = binder.bind(row).setConsistencyLevel(level).setIdempotence(true).build();
                limiter.acquire();
                inFlight.acquire();
                executeWithRetry(session, statement, 1).whenComplete((ok, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(maxInFlight); // every write answered
            Throwable error = failure.get();
            if (error != null) {
                throw new IllegalStateException("writing to Cassandra failed after " + ATTEMPTS + " attempts: "
                        + error.getMessage(), error);
            }
        }
    }

    private static CompletionStage<Void> executeWithRetry(CqlSession session,
                                                          com.datastax.oss.driver.api.core.cql.BoundStatement statement,
                                                          int attempt) {
        return session.executeAsync(statement).handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (attempt >= ATTEMPTS) {
                return CompletableFuture.<Void>failedFuture(error);
            }
            // Back off so a busy node gets room; the semaphore slot stays taken, so the load does not grow.
            long delay = FIRST_BACKOFF.toMillis() << (attempt - 1);
            Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(ignored -> executeWithRetry(session, statement, attempt + 1).toCompletableFuture());
        }).thenCompose(stage -> stage);
    }

    /** Binds a row's fields to the prepared INSERT by position, converting to the table's column types. */
    private final class Binder {
        private final PreparedStatement insert;
        private final List<com.datastax.oss.driver.api.core.type.DataType> types = new ArrayList<>();

        Binder(PreparedStatement insert) {
            this.insert = insert;
            for (ColumnDefinition def : insert.getVariableDefinitions()) {
                types.add(def.getType());
            }
        }

        BoundStatementBuilder bind(Row row) {
            BoundStatementBuilder b = insert.boundStatementBuilder();
            for (int i = 0; i < columns.size(); i++) {
                int field = row.fieldIndex(columns.get(i));
                if (row.isNullAt(field)) {
                    b = b.setToNull(i);
                } else if (DataTypes.UUID.equals(types.get(i))) {
                    b = b.setUuid(i, UUID.fromString(row.getString(field)));
                } else {
                    b = b.setString(i, String.valueOf(row.get(field)));
                }
            }
            int ttl = defaultTtlSeconds;
            if (rowTtlColumn != null) {
                int field = row.fieldIndex(rowTtlColumn);
                ttl = row.isNullAt(field) ? defaultTtlSeconds : row.getInt(field);
            }
            return b.setInt(columns.size(), ttl);
        }
    }
}
