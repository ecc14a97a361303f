package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import io.sluice.config.KeyspaceReplication;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the sink keyspace with {@code sink.replication} when it is missing. An existing keyspace is never altered:
 * replication that differs from the pipeline's is reported with a WARN naming the keyspace, what it has and what the
 * pipeline asks, because changing it takes an ALTER KEYSPACE and a repair, the operator's call.
 */
public final class KeyspaceProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(KeyspaceProvisioner.class);

    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);

    public enum Outcome { CREATED, EXISTS, EXISTS_WITH_OTHER_REPLICATION }

    private KeyspaceProvisioner() {
    }

    public static Outcome ensure(CqlSession session, String keyspace, KeyspaceReplication wanted) {
        // system_schema, not the driver's metadata: that may be switched off or not refreshed yet.
        Row row = session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace).one();
        if (row == null) {
            // Identifiers are validated lower-case CQL names, so they need no quoting.
            // A schema change waits for every node to agree on it: longer than a write, more so on a busy ring.
            session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = "
                    + wanted.cql()).setTimeout(SCHEMA_TIMEOUT));
            LOG.info("Created keyspace {} with replication {}", keyspace, wanted);
            return Outcome.CREATED;
        }
        KeyspaceReplication actual = KeyspaceReplication.fromSchema(row.getMap("replication", String.class, String.class));
        if (!actual.equals(wanted)) {
            LOG.warn(mismatch(keyspace, actual, wanted));
            return Outcome.EXISTS_WITH_OTHER_REPLICATION;
        }
        return Outcome.EXISTS;
    }

    static String mismatch(String keyspace, KeyspaceReplication actual, KeyspaceReplication wanted) {
        return "Keyspace " + keyspace + " already exists with replication " + actual + ", but `sink.replication` is " + wanted
                + "; Sluice leaves it as it is. To change it: ALTER KEYSPACE " + keyspace + " WITH replication = "
                + wanted.cql() + ", then run a full repair.";
    }

    /** For tests that read what Cassandra holds: the replication map of a keyspace, or null when it does not exist. */
    public static Map<String, String> replicationOf(CqlSession session, String keyspace) {
        Row row = session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace).one();
        return row == null ? null : row.getMap("replication", String.class, String.class);
    }
}
