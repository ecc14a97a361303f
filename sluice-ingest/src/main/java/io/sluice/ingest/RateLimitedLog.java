package io.sluice.ingest;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Logs the first of a kind of event at once, then at most one line per interval with how many were folded in, so a
 * flood of bad records or full-queue drops cannot flood the log. Every event is also logged at DEBUG.
 */
final class RateLimitedLog {
    private final Logger log;
    private final Ticker ticker;
    private final long intervalNanos;
    private long lastLoggedAt;
    private boolean loggedOnce;
    private long suppressed;

    RateLimitedLog(Logger log, Ticker ticker, long interval, TimeUnit unit) {
        this.log = log;
        this.ticker = ticker;
        this.intervalNanos = unit.toNanos(interval);
    }

    synchronized void warn(String message) {
        long now = ticker.nanoTime();
        if (!loggedOnce || now - lastLoggedAt >= intervalNanos) {
            String folded = suppressed == 0 ? "" : " (" + suppressed + " more like this since the last message)";
            log.warn(message + folded);
            loggedOnce = true;
            lastLoggedAt = now;
            suppressed = 0;
        } else {
            suppressed++;
            log.debug(message);
        }
    }
}
