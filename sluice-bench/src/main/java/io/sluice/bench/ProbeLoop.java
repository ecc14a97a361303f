package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a user of the database feels while Sluice writes: a single-row SELECT every 50 ms, timed on the client.
 * Each probe is kept with the time it was sent, so any window's p99 can be taken afterwards.
 */
final class ProbeLoop implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(50);

    /** One probe: when it was sent (System.nanoTime) and how long it took; a failure counts as its timeout. */
    record Probe(long sentNanos, long latencyNanos) {
    }

    private final CqlSession session;
    private final PreparedStatement select;
    private final UUID id;
    private final List<Probe> probes = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ProbeLoop(CqlSession session, String table, UUID id) {
        this.session = session;
        this.select = session.prepare("SELECT id, first_name FROM " + BenchStack.KEYSPACE + "." + table + " WHERE id = ?");
        this.id = id;
        this.thread = new Thread(this::loop, "bench-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            long sent = System.nanoTime();
            long latency;
            try {
                session.execute(select.bind(id));
                latency = System.nanoTime() - sent;
            } catch (RuntimeException e) {
                latency = System.nanoTime() - sent; // a timeout is the worst latency a user can see; keep it
            }
            synchronized (probes) {
                probes.add(new Probe(sent, latency));
            }
            next += INTERVAL.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // fell behind: do not fire a catch-up burst
            }
        }
    }

    /** p99 in ms of the probes sent in {@code [fromNanos, toNanos)}; 0 when there were none. */
    double p99Ms(long fromNanos, long toNanos) {
        long[] window;
        synchronized (probes) {
            window = probes.stream().filter(p -> p.sentNanos() >= fromNanos && p.sentNanos() < toNanos)
                    .mapToLong(Probe::latencyNanos).toArray();
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
