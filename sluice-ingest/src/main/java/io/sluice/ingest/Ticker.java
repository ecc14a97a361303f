package io.sluice.ingest;

import java.util.concurrent.TimeUnit;

/**
 * Monotonic time plus the ability to wait on it. Rate limiters and schedulers take a Ticker instead of calling
 * {@link System#nanoTime()} and {@link Thread#sleep} directly, so tests advance a {@link ManualTicker} instead of
 * sleeping (the role Micrometer's {@code Clock}/{@code MockClock} plays there).
 */
public interface Ticker {
    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Waits {@code nanos}; a manual ticker advances its time instead. */
    void sleepNanos(long nanos) throws InterruptedException;

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        }
    };
}
