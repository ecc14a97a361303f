package io.sluice.ingest;

import io.sluice.ingest.source.SourcePosition;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which source position may be committed. Records get a sequence number in the order they are handed to the
 * producer; Kafka acknowledges them out of order (different partitions), so the committable position is that of the
 * newest record whose predecessors are all acknowledged too. A record that failed is never acknowledged, so the
 * position stays before it and a restart re-sends it rather than losing it.
 */
final class PositionTracker {
    private static final class Pending {
        final long sequence;
        final SourcePosition position;
        boolean acknowledged;

        Pending(long sequence, SourcePosition position) {
            this.sequence = sequence;
            this.position = position;
        }
    }

    private final ArrayDeque<Pending> inOrder = new ArrayDeque<>();
    private final Map<Long, Pending> bySequence = new HashMap<>();
    private long nextSequence;
    private SourcePosition committable;

    /** Registers a record about to be sent; returns its sequence number. */
    synchronized long register(SourcePosition position) {
        Pending pending = new Pending(nextSequence++, position);
        inOrder.addLast(pending);
        bySequence.put(pending.sequence, pending);
        return pending.sequence;
    }

    /** Kafka acknowledged the record with this sequence number. */
    synchronized void acknowledged(long sequence) {
        Pending pending = bySequence.remove(sequence);
        if (pending == null) {
            return;
        }
        pending.acknowledged = true;
        while (!inOrder.isEmpty() && inOrder.peekFirst().acknowledged) {
            committable = inOrder.pollFirst().position;
        }
    }

    /** The position to commit if it moved since the last call; empty otherwise. */
    synchronized Optional<SourcePosition> takeCommittable() {
        SourcePosition position = committable;
        committable = null;
        return Optional.ofNullable(position);
    }

    /** Records handed to the producer and not yet acknowledged (failed ones stay counted). */
    synchronized int unacknowledged() {
        return inOrder.size();
    }
}
