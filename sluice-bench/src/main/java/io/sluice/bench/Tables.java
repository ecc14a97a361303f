package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;

/** Reading back what a stage wrote. */
final class Tables {
    private Tables() {
    }

    /** Rows in a benchmark table; a full scan, which a single node answers in seconds for our sizes. */
    static long count(CqlSession session, String table) {
        SimpleStatement count = SimpleStatement.newInstance("SELECT count(*) FROM " + BenchStack.KEYSPACE + "." + table)
                .setTimeout(Duration.ofMinutes(2));
        return session.execute(count).one().getLong(0);
    }
}
