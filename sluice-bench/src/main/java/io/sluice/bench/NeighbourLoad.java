package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The online application that shares Cassandra with Sluice: single-row reads and writes, half each, at a fixed rate on
 * its own table. Open loop: operations are sent on schedule whether or not the earlier ones have answered, so a slow
 * database shows up as latency, not as a lower rate (no coordinated omission). Each operation is kept with its send
 * time, so the p99 of any window, and of each second for a chart, can be taken afterwards. A failed operation counts
 * with the time it took to fail.
 */
final class NeighbourLoad implements AutoCloseable {
    static final String TABLE = "neighbour";
    static final int KEYS = 1_000;

    /** One operation: when it was sent (System.nanoTime) and how long it took. */
    record Op(long sentNanos, long latencyNanos) {
    }

    private final CqlSession session;
    private final PreparedStatement read;
    private final PreparedStatement write;
    private final double opsPerSecond;
    private final List<Op> ops = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Creates and fills the table, then starts sending. */
    NeighbourLoad(CqlSession session, double opsPerSecond) {
        this.session = session;
        this.opsPerSecond = opsPerSecond;
        String table = BenchStack.KEYSPACE + "." + TABLE;
        session.execute("CREATE TABLE IF NOT EXISTS " + table + " (id int PRIMARY KEY, v text)");
        this.read = session.prepare("SELECT v FROM " + table + " WHERE id = ?");
        this.write = session.prepare("INSERT INTO " + table + " (id, v) VALUES (?, ?)");
        for (int id = 0; id < KEYS; id++) {
            session.execute(write.bind(id, "v" + id));
        }
        this.thread = new Thread(this::loop, "bench-neighbour");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long interval = (long) (1e9 / opsPerSecond);
        long next = System.nanoTime();
        for (long n = 0; running; n++) {
            int id = ThreadLocalRandom.current().nextInt(KEYS);
            long sent = System.nanoTime();
            var op = n % 2 == 0 ? read.bind(id) : write.bind(id, "v" + n);
            session.executeAsync(op).whenComplete((result, error) -> {
                long latency = System.nanoTime() - sent;
                synchronized (ops) {
                    ops.add(new Op(sent, latency));
                }
            });
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return; // close()
                }
            }
        }
    }

    /** p99 in ms of the operations sent in {@code [fromNanos, toNanos)}; 0 when there were none. */
    double p99Ms(long fromNanos, long toNanos) {
        long[] window;
        synchronized (ops) {
            window = ops.stream().filter(o -> o.sentNanos() >= fromNanos && o.sentNanos() < toNanos)
                    .mapToLong(Op::latencyNanos).toArray();
        }
        return new Percentiles(window, window.length).at(99) / 1e6;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
