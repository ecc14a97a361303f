package io.sluice.ingest.source.push;

import io.sluice.ingest.Ticker;
import java.time.Duration;

/**
 * Tells a stalled connection from a merely paused one. A stream counts as stalled only while the source is actually
 * waiting for input and nothing arrived for the timeout; while the source is not reading because Sluice's own queue
 * is full (backpressure), silence is expected and never triggers a reconnect. Thread-safe: the reading thread marks,
 * a watchdog thread asks.
 */
public final class StallWatch {
    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final Ticker ticker;
    private final long timeoutNanos;
    private volatile long waitingSince = NOT_WAITING;

    public StallWatch(Ticker ticker, Duration timeout) {
        this.ticker = ticker;
        this.timeoutNanos = timeout.toNanos();
    }

    /** The source is (again) waiting for input: the timeout runs from now. Input that arrives calls this again. */
    public void expecting() {
        waitingSince = ticker.nanoTime();
    }

    /** The source is not reading (downstream is full, or it is between connections): silence is not a stall. */
    public void paused() {
        waitingSince = NOT_WAITING;
    }

    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /** True when the source has been waiting for input for at least the timeout. */
    public boolean stalled() {
        long since = waitingSince;
        return since != NOT_WAITING && ticker.nanoTime() - since >= timeoutNanos;
    }
}
