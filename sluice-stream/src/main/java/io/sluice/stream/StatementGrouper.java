package io.sluice.stream;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the driver writer's single-row INSERTs into small UNLOGGED batches of rows that share a group, the way the
 * connector's {@code output.batch.grouping.key} does: {@code partition} (same partition key: one mutation for
 * Cassandra), {@code replica_set} (same replicas, so the coordinator the driver picks for the batch owns every row
 * and nothing is forwarded), or {@code none}. A batch goes out as soon as it holds {@code rowsPerBatch} rows, or
 * when too many groups are open and it is the oldest; the rest go at {@link #flush}. One request per batch instead of one per row saves Cassandra and the driver the
 * per-request work (framing, parsing, a response, a thread hand-off) that dominates at moderate rates.
 *
 * <p>Public for the benchmark's Cassandra ceiling, which writes batches grouped exactly this way.
 */
public final class StatementGrouper {
    /** Sends one request: a single row or a batch. */
    public interface Sender {
        void send(Statement<?> request) throws InterruptedException;
    }

    private final int rowsPerBatch;
    private final String grouping;
    private final TokenMap tokens;
    private final CqlIdentifier keyspace;
    private final Sender send;
    private final int openGroupsAtMost;
    /** Groups being filled, oldest first. */
    private final Map<Object, List<BoundStatement>> open = new LinkedHashMap<>();

    /**
     * @param openGroupsAtMost {@code sink.batch_buffer_size}: when more groups are being filled, the oldest goes out as
     *                         it is, so memory stays bounded and rows do not wait for the end of the task
     */
    public StatementGrouper(CqlSession session, String keyspace, String grouping, int rowsPerBatch, int openGroupsAtMost,
                     Sender send) {
        this.rowsPerBatch = rowsPerBatch;
        this.openGroupsAtMost = Math.max(1, openGroupsAtMost);
        this.grouping = grouping;
        this.tokens = session.getMetadata().getTokenMap().orElse(null);
        this.keyspace = CqlIdentifier.fromCql(keyspace);
        this.send = send;
    }

    public void add(BoundStatement row) throws InterruptedException {
        if (rowsPerBatch <= 1) {
            send.send(row);
            return;
        }
        Object key = groupOf(row);
        List<BoundStatement> group = open.computeIfAbsent(key, k -> new ArrayList<>(rowsPerBatch));
        group.add(row);
        if (group.size() >= rowsPerBatch) {
            open.remove(key);
            send.send(batch(group));
        } else if (open.size() > openGroupsAtMost) {
            Iterator<List<BoundStatement>> oldest = open.values().iterator();
            List<BoundStatement> eldest = oldest.next();
            oldest.remove();
            send.send(eldest.size() == 1 ? eldest.get(0) : batch(eldest));
        }
    }

    public void flush() throws InterruptedException {
        for (List<BoundStatement> group : open.values()) {
            send.send(group.size() == 1 ? group.get(0) : batch(group));
        }
        open.clear();
    }

    private Object groupOf(BoundStatement row) {
        ByteBuffer routingKey = row.getRoutingKey();
        return switch (grouping) {
            case "partition" -> routingKey;
            // Without token metadata (it is switched off, or not loaded yet) every row is its own replica set's guess.
            case "replica_set" -> tokens == null || routingKey == null ? "all"
                    : tokens.getReplicas(keyspace, tokens.newToken(routingKey));
            default -> "all";
        };
    }

    /** Consistency and idempotence come from the rows: one prepared statement set them for all. */
    private static BatchStatement batch(List<BoundStatement> rows) {
        BoundStatement first = rows.get(0);
        return BatchStatement.newInstance(DefaultBatchType.UNLOGGED, new ArrayList<>(rows))
                .setConsistencyLevel(first.getConsistencyLevel())
                .setIdempotent(true);
    }
}
