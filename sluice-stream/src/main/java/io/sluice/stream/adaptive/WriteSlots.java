package io.sluice.stream.adaptive;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The requests in flight of one executor, bounded by its {@link WriteController}'s limit: every task of the executor
 * takes its slots here, so the limit holds however many tasks write at once. A slot is held from the first attempt of
 * a request to its last (retries and the waits between them included), so a struggling node never sees more load
 * than the limit allows. Thread-safe.
 */
public final class WriteSlots {
    private final WriteController controller;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int inFlight;

    public WriteSlots(WriteController controller, LongSupplier nanoClock) {
        this.controller = controller;
        this.nanoClock = nanoClock;
    }

    /** Waits for a slot under the current limit; returns the clock reading to pass to {@link #attemptEnded}. */
    public long acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (inFlight >= controller.limit()) {
                freed.await();
            }
            inFlight++;
            return nanoClock.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /** One attempt of a request sent at {@code startNanos} ended; {@code error} is null when it worked. */
    public void attemptEnded(long startNanos, int rows, Throwable error) {
        long now = nanoClock.getAsLong();
        controller.onWrite(startNanos, now - startNanos, inFlight(), rows, WriteOutcome.of(error));
    }

    /** The request is done for good (written, or given up): its slot is free. */
    public void release() {
        lock.lock();
        try {
            inFlight--;
            freed.signalAll(); // the limit may also have grown: let every waiter look again
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public WriteController controller() {
        return controller;
    }

    public long now() {
        return nanoClock.getAsLong();
    }
}
