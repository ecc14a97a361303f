package io.sluice.stream;

import java.util.function.LongSupplier;

/**
 * A token bucket that paces rows one by one: {@link #acquire()} blocks until the next row may go, so a task's writes
 * leave at an even rate instead of in bursts. The bucket holds at most {@code burst} rows (one tenth of a second's
 * worth by default), which keeps any one-second window within a few percent of the rate.
 *
 * <p>Thread-safe: the tasks of one executor draw from one bucket ({@link TaskShares}), whose rate is the sum of their
 * shares of the cap and changes as tasks come and go ({@link #setRate}). Each caller reserves its slot under a short
 * lock and sleeps outside it. Time is injected so tests advance a fake clock instead of sleeping.
 */
final class RowRateLimiter {
    /** Sleeps for the given nanoseconds. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private double nanosPerRow; // guarded by this: task shares and the adaptive controller change the rate
    private double burstNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** The time the next row is due; a bucket with tokens has it in the past (at most {@code burstNanos} ago). */
    private double nextFreeNanos;

    RowRateLimiter(double rowsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.nextFreeNanos = nanoTime.getAsLong();
        setRate(rowsPerSecond);
    }

    /**
     * Changes the rate from the next reservation on. Slots already handed out keep their time, so a lower rate takes
     * effect after at most one row per waiting caller.
     */
    synchronized void setRate(double rowsPerSecond) {
        if (!(rowsPerSecond > 0)) {
            throw new IllegalArgumentException("rowsPerSecond must be > 0, got " + rowsPerSecond);
        }
        nanosPerRow = 1e9 / rowsPerSecond;
        // 20 ms of rows, but at least one row, may go back to back after an idle spell: enough to absorb scheduling
        // jitter, too little to show as a spike in any one-second window.
        burstNanos = Math.max(nanosPerRow, 2e7);
    }

    synchronized double rate() {
        return 1e9 / nanosPerRow;
    }

    static RowRateLimiter system(double rowsPerSecond) {
        return new RowRateLimiter(rowsPerSecond, System::nanoTime, nanos -> {
            long millis = nanos / 1_000_000;
            Thread.sleep(millis, (int) (nanos % 1_000_000));
        });
    }

    /** Waits until one more row may be written. */
    void acquire() throws InterruptedException {
        long wait = reserve();
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
    }

    /** Takes the next free slot; how long the caller must wait for it. */
    private synchronized long reserve() {
        long now = nanoTime.getAsLong();
        // Unused time beyond the burst is forgotten: an idle spell must not earn an unbounded burst.
        nextFreeNanos = Math.max(nextFreeNanos, now - burstNanos + nanosPerRow);
        long wait = (long) (nextFreeNanos - now);
        nextFreeNanos += nanosPerRow;
        return wait;
    }
}
