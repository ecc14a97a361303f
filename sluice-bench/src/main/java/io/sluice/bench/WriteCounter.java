package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.OptionalLong;

/**
 * Cassandra's own count of writes applied to one table, from the virtual table
 * {@code system_views.local_write_latency} (Cassandra 4.0+). Its deltas are the write rate the database itself saw,
 * not what a client believes it sent.
 */
public final class WriteCounter {
    private final CqlSession session;
    private final SimpleStatement query;
    private boolean available = true;

    WriteCounter(CqlSession session, String table) {
        this(session, BenchStack.KEYSPACE, table);
    }

    /** Counts the writes of {@code keyspace.table} on the node {@code session} sends its queries to. */
    public WriteCounter(CqlSession session, String keyspace, String table) {
        this.session = session;
        this.query = SimpleStatement.newInstance(
                "SELECT count FROM system_views.local_write_latency WHERE keyspace_name = ? AND table_name = ?",
                keyspace, table);
    }

    /** The running count, or empty if this Cassandra has no such virtual table (then progress lines are used). */
    public OptionalLong count() {
        if (!available) {
            return OptionalLong.empty();
        }
        try {
            Row row = session.execute(query).one();
            return row == null ? OptionalLong.of(0) : OptionalLong.of(row.getLong(0));
        } catch (RuntimeException e) {
            available = false;
            return OptionalLong.empty();
        }
    }
}
