package io.sluice.bench;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.sluice.bench.BenchResults.Ceiling;
import io.sluice.bench.BenchResults.CeilingLevel;
import io.sluice.bench.BenchResults.CpuUse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stage 1, the ceiling: the same rows written straight into Cassandra with the Java driver — one prepared INSERT,
 * asynchronous executions, and a semaphore that bounds how many are in flight. Each level writes the same rows
 * (upserts), so every level does the same work; the best level is what Sluice is compared with. Each level's timed
 * loop is also a CPU window (Cassandra, the Kafka broker idling, this JVM as the client); the best level's is the
 * stage's.
 */
final class CassandraCeilingStage {
    static final String TABLE = "ceiling";

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

    Ceiling run(int rows, List<Integer> inFlightLevels, ConsistencyLevel consistency, Duration ttl) {
        stack.createTable(TABLE, DemoRecords.COLUMNS);
        String cql = "INSERT INTO " + BenchStack.KEYSPACE + "." + TABLE + " (id, " + String.join(", ", DemoRecords.COLUMNS)
                + ") VALUES (?" + ", ?".repeat(DemoRecords.COLUMNS.size()) + ")"
                + (ttl.isZero() ? "" : " USING TTL " + ttl.toSeconds());
        PreparedStatement insert = stack.session().prepare(cql);
        // A short warm-up, so the first level is not also the JIT's.
        write(insert, Math.min(rows / 10 + 1, 20_000), inFlightLevels.get(0), consistency);
        List<CeilingLevel> levels = new ArrayList<>();
        for (int inFlight : inFlightLevels) {
            CeilingLevel level = write(insert, rows, inFlight, consistency);
            console.step("Cassandra ceiling, %d in flight: %,.0f rows/s (p99 %.1f ms, %d errors)", inFlight,
                    level.rowsPerSecond(), level.p99Ms(), level.errors());
            if (level.cpu() != null) {
                console.step("%s", CpuLedger.describe(level.cpu()));
            }
            levels.add(level);
        }
        CeilingLevel best = levels.stream().filter(l -> l.errors() == 0)
                .max(Comparator.comparingDouble(CeilingLevel::rowsPerSecond))
                .orElse(levels.stream().max(Comparator.comparingDouble(CeilingLevel::rowsPerSecond)).orElseThrow());
        cpu.record(CpuLedger.CEILING, best.cpu());
        return new Ceiling(levels, best, cql + " at " + consistency);
    }

    private CeilingLevel write(PreparedStatement insert, int rows, int inFlight, ConsistencyLevel consistency) {
        CqlSession session = stack.session();
        Semaphore permits = new Semaphore(inFlight);
        long[] latencies = new long[rows];
        AtomicInteger done = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        double seconds;
        CpuUse use;
        try (CpuWindow window = cpu.open()) {
            long start = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                permits.acquireUninterruptibly();
                BoundStatement bound = bind(insert, i).setConsistencyLevel(consistency);
                long sent = System.nanoTime();
                session.executeAsync(bound).whenComplete((result, failure) -> {
                    if (failure != null) {
                        errors.incrementAndGet();
                    }
                    latencies[done.getAndIncrement()] = System.nanoTime() - sent;
                    permits.release();
                });
            }
            permits.acquireUninterruptibly(inFlight); // every write has completed
            seconds = (System.nanoTime() - start) / 1e9;
            use = window.finish(CpuLedger.stageName(CpuLedger.CEILING) + ", " + inFlight + " in flight", rows);
        }
        Percentiles p = new Percentiles(latencies, done.get());
        return new CeilingLevel(inFlight, rows, seconds, rows / seconds, p.at(50) / 1e6, p.at(99) / 1e6, errors.get(),
                use.jvms().isEmpty() ? null : use);
    }

    private BoundStatement bind(PreparedStatement insert, long index) {
        String[] columns = records.columns(index);
        Object[] values = new Object[columns.length + 1];
        values[0] = records.rowId(index);
        System.arraycopy(columns, 0, values, 1, columns.length);
        return insert.bind(values);
    }
}
