package io.sluice.cli.live;

import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How the stream job's figures reach this JVM's meters: the job (its own JVM, possibly on a cluster driver) already
 * appends one JSON line per micro-batch to its progress file, after the batch's rows are in Cassandra. This feed
 * reads the lines it has not seen yet and hands each batch to the listeners. No port in the Spark JVM, no second
 * transport, and the figures survive a restart of either side.
 */
public final class StreamProgressFeed {
    /** Gets each new micro-batch once, in order. */
    public interface Listener {
        void onBatch(StreamProgress batch);
    }

    private final Supplier<List<StreamProgress>> lines;
    private final List<Listener> listeners;
    private int seen;
    private volatile Map<String, Map<Integer, Long>> consumed = Map.of();

    public StreamProgressFeed(Supplier<List<StreamProgress>> lines, List<Listener> listeners) {
        this.lines = lines;
        this.listeners = List.copyOf(listeners);
    }

    /** Reads the progress lines and passes on the batches that are new since the last call. */
    public synchronized void poll() {
        List<StreamProgress> all = lines.get();
        if (all.size() < seen) {
            seen = 0; // a new file (the job restarted with a fresh data dir)
        }
        List<StreamProgress> fresh = all.subList(seen, all.size());
        seen = all.size();
        for (StreamProgress line : fresh) {
            if (line.isBatch()) {
                listeners.forEach(l -> l.onBatch(line));
            }
        }
        if (!fresh.isEmpty()) {
            consumed = ProgressFile.consumedOffsets(all);
        }
    }

    /** How far the job has read each partition of {@code topic}: the next offset to read. */
    public Map<Integer, Long> consumed(String topic) {
        return consumed.getOrDefault(topic, Map.of());
    }
}
