package io.sluice.ingest;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * Counters of one pipeline. Updating never throws and never blocks for long; {@link #snapshot()} is safe from any
 * thread (the CLI's status line, the dashboard). The Micrometer meters ({@link SourceMeters}, {@link ProducerMeters},
 * {@link BoundedRecordQueue}) read these counters; nothing here depends on a registry.
 */
public final class IngestMetrics {
    private final LongAdder polled = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();
    private final LongAdder pollErrors = new LongAdder();
    private final LongAdder handedToProducer = new LongAdder();
    private final LongAdder positionCommits = new LongAdder();
    private final Map<String, LongAdder> reconnects = new ConcurrentHashMap<>();
    private volatile LongConsumer ackLatencyNanos = nanos -> { };
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final DistinctKeyCounter distinctKeys;
    private volatile IntSupplier queueDepth = () -> 0;
    private volatile String lastCommittedPosition;

    public IngestMetrics() {
        this(DistinctKeyCounter.DEFAULT_CAP);
    }

    public IngestMetrics(int distinctKeyCap) {
        this.distinctKeys = new DistinctKeyCounter(distinctKeyCap);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, new LongAdder());
        }
    }

    /**
     * A consistent-enough view of all counters at one moment.
     *
     * @param recordsPolled         well-formed records the source delivered
     * @param recordsSent           records Kafka acknowledged
     * @param sendErrors            records Kafka finally refused after the producer's retries
     * @param dropped               well-formed records that never reached Kafka, by reason
     * @param malformed             inputs the source could not turn into records (no key, not an object, bad body);
     *                              those in {@code deadLettered} reached the dead-letter topic with their original bytes
     * @param pollErrors            failed calls to the source API (each retried)
     * @param queueDepth            records waiting between source and producer now
     * @param distinctKeysAcked     distinct natural keys among acknowledged records (exact unless capped)
     * @param distinctKeysCapReached true when more keys arrived than the counter tracks: the count is a lower bound
     * @param lastCommittedPosition the source position last committed after acknowledgement, or null
     * @param deadLettered          unreadable payloads Kafka acknowledged on the dead-letter topic, by reason
     */
    public record Snapshot(long recordsPolled, long recordsSent, long sendErrors, Map<DropReason, Long> dropped,
                           long malformed, long pollErrors, int queueDepth, long distinctKeysAcked,
                           boolean distinctKeysCapReached, String lastCommittedPosition,
                           Map<String, Long> deadLettered) {
        public long droppedTotal() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public Snapshot snapshot() {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        dropped.forEach((reason, count) -> drops.put(reason, count.sum()));
        int depth;
        try {
            depth = queueDepth.getAsInt();
        } catch (RuntimeException e) {
            depth = -1; // metrics never throw
        }
        return new Snapshot(polled.sum(), sent.sum(), sendErrors.sum(), Collections.unmodifiableMap(drops),
                malformed.sum(), pollErrors.sum(), depth, distinctKeys.size(), distinctKeys.capReached(),
                lastCommittedPosition, deadLetteredByReason());
    }

    private Map<String, Long> deadLetteredByReason() {
        Map<String, Long> byReason = new TreeMap<>();
        deadLettered.forEach((reason, count) -> byReason.put(reason, count.sum()));
        return Collections.unmodifiableMap(byReason);
    }

    /** Records handed to the Kafka producer (acknowledged or not yet). */
    public long handedToProducer() {
        return handedToProducer.sum();
    }

    /** How often the source position advanced after Kafka's acknowledgement. */
    public long positionCommits() {
        return positionCommits.sum();
    }

    /** Reconnects of a push source by cause ({@code closed}, {@code error}, {@code stall}, {@code idle}, {@code refused}). */
    public Map<String, Long> reconnectsByCause() {
        Map<String, Long> byCause = new TreeMap<>();
        reconnects.forEach((cause, count) -> byCause.put(cause, count.sum()));
        return Collections.unmodifiableMap(byCause);
    }

    /** Where the time from a send to its acknowledgement goes ({@link ProducerMeters} binds a timer here). */
    void onAckLatency(LongConsumer nanos) {
        ackLatencyNanos = nanos;
    }

    void recordHanded() {
        handedToProducer.increment();
    }

    void recordAckLatency(long nanos) {
        try {
            ackLatencyNanos.accept(nanos);
        } catch (RuntimeException e) {
            // metrics never throw into the send path
        }
    }

    void recordReconnect(String cause) {
        reconnects.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    void recordPolled(int count) {
        polled.add(count);
    }

    void recordAcked(String key) {
        sent.increment();
        distinctKeys.add(key);
    }

    void recordSendError() {
        sendErrors.increment();
    }

    /** An unreadable payload is safe on the dead-letter topic. */
    void recordDeadLettered(String reason) {
        malformed.increment();
        deadLettered.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void recordPollError() {
        pollErrors.increment();
    }

    void recordDropped(DropReason reason, int count) {
        dropped.get(reason).add(count);
    }

    long dropped(DropReason reason) {
        return dropped.get(reason).sum();
    }

    void recordCommitted(String position) {
        lastCommittedPosition = position;
        positionCommits.increment();
    }

    void bindQueueDepth(IntSupplier depth) {
        queueDepth = depth;
    }
}
