package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The online application that shares Cassandra with Sluice: single-row reads and writes, half each, at a fixed rate on
 * its own table, open loop ({@link LatencyLoop.Pacing#OPEN}): a slow database shows up as latency, not as a lower rate.
 */
final class NeighbourLoad {
    static final String TABLE = "neighbour";
    static final int KEYS = 1_000;

    private NeighbourLoad() {
    }

    /** Creates and fills the table, then starts sending. */
    static LatencyLoop start(CqlSession session, double opsPerSecond) {
        String table = BenchStack.KEYSPACE + "." + TABLE;
        session.execute("CREATE TABLE IF NOT EXISTS " + table + " (id int PRIMARY KEY, v text)");
        PreparedStatement read = session.prepare("SELECT v FROM " + table + " WHERE id = ?");
        PreparedStatement write = session.prepare("INSERT INTO " + table + " (id, v) VALUES (?, ?)");
        for (int id = 0; id < KEYS; id++) {
            session.execute(write.bind(id, "v" + id));
        }
        return new LatencyLoop("bench-neighbour", Duration.ofNanos((long) (1e9 / opsPerSecond)),
                LatencyLoop.Pacing.OPEN, n -> {
                    int id = ThreadLocalRandom.current().nextInt(KEYS);
                    return session.executeAsync(n % 2 == 0 ? read.bind(id) : write.bind(id, "v" + n));
                });
    }
}
