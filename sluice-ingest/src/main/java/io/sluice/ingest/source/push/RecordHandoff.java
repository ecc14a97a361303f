package io.sluice.ingest.source.push;

import io.sluice.ingest.source.SourceRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The small bounded buffer between a push client's thread and {@code SourceTask.poll}. When it is full the client
 * stops reading: a blocking reader (SSE) waits in {@link #put}; a demand-driven one (WebSocket) hands its batch over
 * with {@link #putThen} and asks the server for the next message only in the callback, which runs once the batch is
 * in. Either way a full pipeline queue stops reading from the network, instead of growing memory or dropping.
 *
 * <p>A batch is one event or message; it is admitted whole while the buffer is under capacity, so a message with more
 * records than the capacity still gets through. Batches keep their order, parked or not.
 */
public final class RecordHandoff {
    private record Parked(List<SourceRecord> records, Runnable afterPut) {
    }

    private final int capacity;
    private final int maxDrain;
    private final ArrayDeque<SourceRecord> records = new ArrayDeque<>();
    private final ArrayDeque<Parked> parked = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean closed;

    /**
     * @param capacity records held before readers are held back
     * @param maxDrain most records one {@link #drain} returns
     */
    public RecordHandoff(int capacity, int maxDrain) {
        if (capacity < 1 || maxDrain < 1) {
            throw new IllegalArgumentException("capacity and maxDrain must be >= 1, got " + capacity + " and " + maxDrain);
        }
        this.capacity = capacity;
        this.maxDrain = maxDrain;
    }

    /**
     * Adds a batch, waiting while the buffer is full. Deliberately not interruptible: a batch is either wholly in or,
     * once {@link #close}d, dropped, so a reader interrupted to reconnect never loses half an event. An interrupt is
     * kept pending for the reader's next blocking call. Returns false if closed.
     */
    public boolean put(List<SourceRecord> batch) {
        lock.lock();
        try {
            while (!closed && (records.size() >= capacity || !parked.isEmpty())) {
                notFull.awaitUninterruptibly();
            }
            if (closed) {
                return false;
            }
            admit(batch);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a batch without blocking and runs {@code afterPut} once it is in: at once if there is room, otherwise from
     * the {@link #drain}ing thread when room frees up. {@code afterPut} never runs after {@link #close}.
     */
    public void putThen(List<SourceRecord> batch, Runnable afterPut) {
        putThen(batch, () -> { }, afterPut);
    }

    /**
     * As {@link #putThen(List, Runnable)}; {@code whenParked} runs, under the buffer's lock and so before
     * {@code afterPut} can, when the batch has to wait for room: from then on the client is held back by us.
     */
    public void putThen(List<SourceRecord> batch, Runnable whenParked, Runnable afterPut) {
        boolean admitted;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            admitted = records.size() < capacity && parked.isEmpty();
            if (admitted) {
                admit(batch);
            } else {
                parked.addLast(new Parked(batch, afterPut));
                whenParked.run();
            }
        } finally {
            lock.unlock();
        }
        if (admitted) {
            afterPut.run();
        }
    }

    /** Takes up to {@code maxDrain} records, waiting at most {@code timeout} for the first; empty when none came. */
    public List<SourceRecord> drain(Duration timeout) throws InterruptedException {
        List<SourceRecord> out;
        List<Runnable> callbacks = new ArrayList<>();
        lock.lockInterruptibly();
        try {
            long nanos = timeout.toNanos();
            while (records.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return List.of();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            out = new ArrayList<>(Math.min(records.size(), maxDrain));
            while (!records.isEmpty() && out.size() < maxDrain) {
                out.add(records.pollFirst());
            }
            while (!parked.isEmpty() && records.size() < capacity) {
                Parked next = parked.pollFirst();
                admit(next.records());
                callbacks.add(next.afterPut());
            }
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        // Outside the lock: a callback asks the network for more, which may call straight back into putThen.
        callbacks.forEach(Runnable::run);
        return out;
    }

    /** Wakes every waiter; later puts are ignored. Records still buffered can be drained. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            parked.clear();
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records buffered now (parked batches not included). */
    public int size() {
        lock.lock();
        try {
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    private void admit(List<SourceRecord> batch) {
        records.addAll(batch);
        if (!batch.isEmpty()) {
            notEmpty.signal();
        }
    }
}
