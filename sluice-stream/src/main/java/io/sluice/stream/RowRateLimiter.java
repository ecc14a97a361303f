package io.sluice.stream;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.sluice.config.TokenBuckets;
import java.util.function.LongSupplier;

/**
 * A Bucket4j token bucket that paces rows one by one: {@link #acquire()} blocks until the next row may go, so a task's
 * writes leave at an even rate instead of in bursts. The bucket holds 20 ms of rows, but at least one row, so any
 * one-second window holds at most the rate plus that burst: within a few percent of the rate (about 2 %; below 50
 * rows/s, one row).
 *
 * <p>Thread-safe: the tasks of one executor draw from one bucket ({@link TaskShares}), whose rate is the sum of their
 * shares of the cap and changes as tasks come and go ({@link #setRate}). Each caller reserves its row in the bucket
 * (it may run into debt) and sleeps outside any lock until the row is due, as Bucket4j's blocking consume does. Time
 * and sleep are injected so tests advance a fake clock instead of sleeping.
 */
final class RowRateLimiter {
    /** Sleeps for the given nanoseconds. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /**
     * 20 ms of rows, but at least one row, may go back to back after an idle spell: enough to absorb scheduling
     * jitter, too little to show as a spike in any one-second window.
     */
    private static final double BURST_SECONDS = 0.02;

    private final Bucket bucket;
    private final BlockingStrategy sleep;
    private double rowsPerSecond; // guarded by this: task shares and the adaptive controller change the rate
    private Bandwidth limit; // guarded by this

    RowRateLimiter(double rowsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this.rowsPerSecond = rowsPerSecond;
        this.limit = limitFor(rowsPerSecond);
        this.bucket = Bucket.builder().addLimit(limit).withCustomTimePrecision(TokenBuckets.clock(nanoTime)).build();
        this.sleep = sleeper::sleepNanos;
    }

    /**
     * Changes the rate from the next reservation on. Rows already reserved keep their time; a debt they left is paid
     * back at the new rate.
     */
    synchronized void setRate(double rowsPerSecond) {
        Bandwidth next = limitFor(rowsPerSecond);
        this.rowsPerSecond = rowsPerSecond;
        if (next.equals(limit)) {
            return; // the adaptive pace sets its rate on every request, mostly unchanged
        }
        limit = next;
        // AS_IS keeps the tokens (or the debt) the bucket has and only cuts them to the new capacity. A lower rate
        // thus takes effect at once: its smaller bucket leaves at most its own 20 ms burst, and a debt is paid back at
        // the lower rate, so the next row waits as the new rate says. A higher rate invents no tokens, so raising it
        // causes no burst either. PROPORTIONALLY would rescale the debt too (a lower rate would shrink it, letting the
        // next rows go early); RESET would forget the debt and refill the bucket: a burst on every change; ADDITIVE
        // would hand out the capacity difference as a burst whenever the rate rises.
        bucket.replaceConfiguration(BucketConfiguration.builder().addLimit(next).build(),
                TokensInheritanceStrategy.AS_IS);
    }

    synchronized double rate() {
        return rowsPerSecond;
    }

    static RowRateLimiter system(double rowsPerSecond) {
        return new RowRateLimiter(rowsPerSecond, System::nanoTime, nanos -> {
            long millis = nanos / 1_000_000;
            Thread.sleep(millis, (int) (nanos % 1_000_000));
        });
    }

    /** Waits until one more row may be written. */
    void acquire() throws InterruptedException {
        // Reserves the row under Bucket4j's lock-free update, then sleeps (only if the row is not due yet).
        bucket.asBlocking().consume(1, sleep);
    }

    private static Bandwidth limitFor(double rowsPerSecond) {
        if (!(rowsPerSecond > 0)) {
            throw new IllegalArgumentException("rowsPerSecond must be > 0, got " + rowsPerSecond);
        }
        return TokenBuckets.bandwidth(rowsPerSecond, Math.max(1, Math.round(rowsPerSecond * BURST_SECONDS)));
    }
}
