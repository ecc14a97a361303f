package io.sluice.ingest.source.mqtt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * MQTT QoS 1 messages received but not yet acknowledged to the broker. A message may be acknowledged once Kafka has
 * every record it produced (or at once, if it produced none); acknowledgements go out in arrival order, as MQTT asks
 * (MQTT 5 §4.6), so a later message never overtakes an earlier one that Kafka has not confirmed yet.
 *
 * <p>Thread-safe: the MQTT client thread adds, the polling thread commits.
 */
final class PendingAcks {
    /** One received message; {@code seq} orders messages across reconnects, {@code messageId} is the broker's id. */
    record Ack(long seq, int messageId, int qos) {
    }

    private static final class Entry {
        final Ack ack;
        boolean ready;

        Entry(Ack ack) {
            this.ack = ack;
        }
    }

    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private long nextSeq = 1;

    synchronized long received(int messageId, int qos) {
        long seq = nextSeq++;
        pending.addLast(new Entry(new Ack(seq, messageId, qos)));
        return seq;
    }

    /** The message produced no record (malformed): acknowledge it as soon as those before it are. */
    synchronized List<Ack> noRecords(long seq) {
        pending.stream().filter(e -> e.ack.seq() == seq).forEach(e -> e.ready = true);
        return takeReady();
    }

    /** Kafka has every record of every message up to and including {@code seq}; returns what to acknowledge now. */
    synchronized List<Ack> committedThrough(long seq) {
        for (Entry e : pending) {
            if (e.ack.seq() > seq) {
                break;
            }
            e.ready = true;
        }
        return takeReady();
    }

    /**
     * The connection dropped: the broker will redeliver everything it has no acknowledgement for, under ids that only
     * mean something on the new connection. Forget the old ones rather than acknowledge the wrong message.
     */
    synchronized int connectionLost() {
        int forgotten = pending.size();
        pending.clear();
        return forgotten;
    }

    synchronized int size() {
        return pending.size();
    }

    private List<Ack> takeReady() {
        List<Ack> ready = new ArrayList<>();
        while (!pending.isEmpty() && pending.peekFirst().ready) {
            ready.add(pending.pollFirst().ack);
        }
        return ready;
    }
}
