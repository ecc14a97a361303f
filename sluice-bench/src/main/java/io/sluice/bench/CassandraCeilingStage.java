package io.sluice.bench;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.sluice.bench.BenchResults.Ceiling;
import io.sluice.bench.BenchResults.CeilingLevel;
import io.sluice.bench.BenchResults.CpuUse;
import io.sluice.stream.StatementGrouper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stage 1, the ceiling: the same rows written straight into Cassandra with the Java driver — one prepared INSERT,
 * asynchronous executions, and a semaphore that bounds how many requests are in flight. It is measured twice at each
 * level: one row per request, and small UNLOGGED batches grouped by Sluice's own {@link StatementGrouper} with the
 * pipeline's {@code sink.batch_grouping} and {@code sink.batch_size_rows}, as Sluice's driver writer sends them. Each
 * level writes the same rows (upserts), so every level does the same work; the best of both ways is the ceiling
 * Sluice is compared with, since a ceiling a writer can beat by batching would flatter it. Each level's timed loop is
 * also a CPU window (Cassandra, the Kafka broker idling, this JVM as the client); the best level's is the stage's.
 */
final class CassandraCeilingStage {
    static final String TABLE = "ceiling";
    /** Rows per batch when the pipeline does not set {@code sink.batch_size_rows}: the demo pipeline's value. */
    static final int DEFAULT_ROWS_PER_BATCH = 8;

    private final BenchStack stack;
    private final DemoRecords records;
    private final Console console;
    private final CpuLedger cpu;

    CassandraCeilingStage(BenchStack stack, DemoRecords records, Console console, CpuLedger cpu) {
        this.stack = stack;
        this.records = records;
        this.console = console;
        this.cpu = cpu;
    }

    /**
     * @param grouping     {@code sink.batch_grouping}
     * @param rowsPerBatch {@code sink.batch_size_rows}, or {@link #DEFAULT_ROWS_PER_BATCH} when the pipeline leaves it
     *                     unset (its driver writer would then send single rows, which the single-row levels measure)
     * @param openGroups   {@code sink.batch_buffer_size}
     */
    Ceiling run(int rows, List<Integer> inFlightLevels, ConsistencyLevel consistency, Duration ttl, String grouping,
                int rowsPerBatch, int openGroups) {
        stack.createTable(TABLE, DemoRecords.COLUMNS);
        String cql = "INSERT INTO " + BenchStack.KEYSPACE + "." + TABLE + " (id, " + String.join(", ", DemoRecords.COLUMNS)
                + ") VALUES (?" + ", ?".repeat(DemoRecords.COLUMNS.size()) + ")"
                + (ttl.isZero() ? "" : " USING TTL " + ttl.toSeconds());
        PreparedStatement insert = stack.session().prepare(cql);
        // A short warm-up of both ways, so the first level is not also the JIT's.
        write(insert, Math.min(rows / 10 + 1, 20_000), inFlightLevels.get(0), consistency, 1, grouping, openGroups);
        write(insert, Math.min(rows / 10 + 1, 20_000), inFlightLevels.get(0), consistency, rowsPerBatch, grouping,
                openGroups);
        List<CeilingLevel> levels = new ArrayList<>();
        for (int inFlight : inFlightLevels) {
            levels.add(level(write(insert, rows, inFlight, consistency, 1, grouping, openGroups)));
        }
        List<CeilingLevel> batched = new ArrayList<>();
        for (int inFlight : inFlightLevels) {
            batched.add(level(write(insert, rows, inFlight, consistency, rowsPerBatch, grouping, openGroups)));
        }
        CeilingLevel singleBest = best(levels);
        CeilingLevel batchedBest = best(batched);
        CeilingLevel best = best(List.of(singleBest, batchedBest));
        cpu.record(CpuLedger.CEILING, best.cpu());
        return new Ceiling(levels, singleBest, cql + " at " + consistency, batched, batchedBest,
                "UNLOGGED batches of " + rowsPerBatch + " rows grouped by " + grouping + " (Sluice's StatementGrouper, "
                        + openGroups + " groups open at most)", best);
    }

    private CeilingLevel level(CeilingLevel level) {
        console.step("Cassandra ceiling, %s, %d in flight: %,.0f rows/s (p99 %.1f ms per request, %d errors)",
                level.rowsPerRequest() == 1 ? "single rows" : "batches of " + level.rowsPerRequest(), level.inFlight(),
                level.rowsPerSecond(), level.p99Ms(), level.errors());
        if (level.cpu() != null) {
            console.step("%s", CpuLedger.describe(level.cpu()));
        }
        return level;
    }

    /** The fastest level without errors; the fastest of all if every level had some. */
    private static CeilingLevel best(List<CeilingLevel> levels) {
        return levels.stream().filter(l -> l.errors() == 0)
                .max(Comparator.comparingDouble(CeilingLevel::rowsPerSecond))
                .orElse(levels.stream().max(Comparator.comparingDouble(CeilingLevel::rowsPerSecond)).orElseThrow());
    }

    /**
     * Writes {@code rows} rows with at most {@code inFlight} requests outstanding; a request is one row, or with
     * {@code rowsPerBatch} above 1 one batch of the grouper. Latencies are per request.
     */
    private CeilingLevel write(PreparedStatement insert, int rows, int inFlight, ConsistencyLevel consistency,
                               int rowsPerBatch, String grouping, int openGroups) {
        CqlSession session = stack.session();
        Semaphore permits = new Semaphore(inFlight);
        long[] latencies = new long[rows];
        AtomicInteger done = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        StatementGrouper.Sender send = request -> {
            permits.acquireUninterruptibly();
            long sent = System.nanoTime();
            session.executeAsync(request).whenComplete((result, failure) -> {
                if (failure != null) {
                    errors.addAndGet(rowsIn(request));
                }
                latencies[done.getAndIncrement()] = System.nanoTime() - sent;
                permits.release();
            });
        };
        StatementGrouper grouper = new StatementGrouper(session, BenchStack.KEYSPACE, grouping, rowsPerBatch,
                openGroups, send);
        double seconds;
        CpuUse use;
        try (CpuWindow window = cpu.open()) {
            long start = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                grouper.add(bind(insert, i).setConsistencyLevel(consistency));
            }
            grouper.flush();
            permits.acquireUninterruptibly(inFlight); // every write has completed
            seconds = (System.nanoTime() - start) / 1e9;
            use = window.finish(CpuLedger.stageName(CpuLedger.CEILING) + ", " + (rowsPerBatch == 1 ? "single rows"
                    : "batches of " + rowsPerBatch) + ", " + inFlight + " in flight", rows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while writing the ceiling's rows", e);
        }
        Percentiles p = new Percentiles(latencies, done.get());
        return new CeilingLevel(inFlight, rowsPerBatch, rows, seconds, rows / seconds, p.at(50) / 1e6, p.at(99) / 1e6,
                errors.get(), use.jvms().isEmpty() ? null : use);
    }

    private static int rowsIn(Statement<?> request) {
        return request instanceof BatchStatement batch ? batch.size() : 1;
    }

    private BoundStatement bind(PreparedStatement insert, long index) {
        String[] columns = records.columns(index);
        Object[] values = new Object[columns.length + 1];
        values[0] = records.rowId(index);
        System.arraycopy(columns, 0, values, 1, columns.length);
        return insert.bind(values);
    }
}
