package io.sluice.ingest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} for tests: time moves only when told to, and "sleeping" moves it forward instantly. */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public void sleepNanos(long duration) {
        if (duration > 0) {
            nanos.addAndGet(duration);
        }
    }

    public void advance(Duration duration) {
        sleepNanos(duration.toNanos());
    }
}
