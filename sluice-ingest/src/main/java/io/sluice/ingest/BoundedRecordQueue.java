package io.sluice.ingest;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.ingest.source.SourceRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded hand-off between the source thread and the sender thread ({@code producer.queue_capacity}). What a full
 * queue does is the {@link OverflowPolicy} ({@code producer.overflow}); every drop is counted in {@link IngestMetrics}
 * and logged. A lock rather than an {@code ArrayBlockingQueue} because drop-oldest must evict and insert atomically.
 */
public final class BoundedRecordQueue implements MeterBinder {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedRecordQueue.class);

    private final int capacity;
    private final OverflowPolicy policy;
    private final IngestMetrics metrics;
    private final RateLimitedLog dropLog;
    private final ArrayDeque<SourceRecord> records;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    public BoundedRecordQueue(int capacity, OverflowPolicy policy, IngestMetrics metrics, Ticker ticker) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.policy = policy;
        this.metrics = metrics;
        this.records = new ArrayDeque<>(Math.min(capacity, 1024));
        this.dropLog = new RateLimitedLog(LOG, ticker, 10, TimeUnit.SECONDS);
    }

    /**
     * Adds a record, waiting as long as it takes under {@link OverflowPolicy#BLOCK}.
     *
     * @throws QueueOverflowException when full under {@link OverflowPolicy#FAIL}
     */
    public void put(SourceRecord record) throws InterruptedException {
        while (!offer(record, Duration.ofDays(1))) {
            // keep blocking: only an interrupt ends the wait
        }
    }

    /**
     * Adds a record. Under {@link OverflowPolicy#BLOCK} waits at most {@code maxWait} for space and returns false if
     * there is still none (the record is then not queued); the other policies never wait and always return true.
     *
     * @throws QueueOverflowException when full under {@link OverflowPolicy#FAIL}
     */
    public boolean offer(SourceRecord record, Duration maxWait) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (records.size() >= capacity) {
                switch (policy) {
                    case FAIL -> throw new QueueOverflowException(capacity);
                    case DROP_OLDEST -> dropOldest();
                    case BLOCK -> {
                        long nanos = maxWait.toNanos();
                        while (records.size() >= capacity) {
                            if (nanos <= 0) {
                                return false;
                            }
                            nanos = notFull.awaitNanos(nanos);
                        }
                    }
                }
            }
            records.addLast(record);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the oldest record, waiting at most {@code timeout}; null if none arrived. */
    public SourceRecord poll(Duration timeout) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long nanos = timeout.toNanos();
            while (records.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            SourceRecord head = records.pollFirst();
            notFull.signal();
            return head;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the queue, counting everything in it as dropped for {@code reason}; returns how many. */
    public int discardAll(DropReason reason) {
        List<SourceRecord> discarded;
        lock.lock();
        try {
            discarded = new ArrayList<>(records);
            records.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        if (!discarded.isEmpty()) {
            metrics.recordDropped(reason, discarded.size());
            LOG.warn("Dropped {} queued records ({}): they were polled but never sent to Kafka", discarded.size(), reason.label());
        }
        return discarded.size();
    }

    public int size() {
        lock.lock();
        try {
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return capacity;
    }

    public OverflowPolicy policy() {
        return policy;
    }

    /** Depth against capacity, and drops by policy and reason. Gauges read the queue under its lock, briefly. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sluice.queue.depth", this, BoundedRecordQueue::size).baseUnit("records")
                .description("Records waiting between the source and the producer now").register(registry);
        Gauge.builder("sluice.queue.capacity", this, BoundedRecordQueue::capacity).baseUnit("records")
                .description("The queue's bound: producer.queue_capacity").register(registry);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("sluice.queue.dropped", metrics, m -> m.dropped(reason)).baseUnit("records")
                    .tag("policy", policy.name().toLowerCase(java.util.Locale.ROOT)).tag("reason", reason.label())
                    .description("Well-formed records that never reached Kafka, by reason").register(registry);
        }
    }

    private void dropOldest() {
        records.pollFirst();
        metrics.recordDropped(DropReason.QUEUE_FULL, 1);
        dropLog.warn("Producer queue full (" + capacity + " records, producer.overflow=drop_oldest): dropped the oldest "
                + "record; " + metrics.dropped(DropReason.QUEUE_FULL) + " dropped so far");
    }
}
