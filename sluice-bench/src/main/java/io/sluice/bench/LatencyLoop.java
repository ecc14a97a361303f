package io.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * A client of the database timed from the outside: one request every {@code interval} on its own thread, each kept
 * with its send time and latency, so the p99 of any window, and of each second for a chart, can be taken afterwards.
 * A failed request counts with the time it took to fail: a timeout is the worst latency a user can see.
 */
final class LatencyLoop implements AutoCloseable {

    /** How the next request waits for the last. */
    enum Pacing {
        /**
         * Requests go out on schedule whether or not the earlier ones have answered, so a slow database shows up as
         * latency, not as a lower rate (no coordinated omission). A late thread catches up to keep the rate.
         */
        OPEN,
        /** One request at a time, as a single user waits for each answer; after falling behind, no catch-up burst. */
        CLOSED
    }

    /** One request: when it was sent (System.nanoTime) and how long it took. */
    private record Request(long sentNanos, long latencyNanos) {
    }

    private final long intervalNanos;
    private final Pacing pacing;
    private final LongFunction<? extends CompletionStage<?>> send;
    private final List<Request> requests = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param send sends the n-th request (n from 0) and answers when it has completed */
    LatencyLoop(String threadName, Duration interval, Pacing pacing, LongFunction<? extends CompletionStage<?>> send) {
        this.intervalNanos = interval.toNanos();
        this.pacing = pacing;
        this.send = send;
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long next = System.nanoTime();
        for (long n = 0; running; n++) {
            long sent = System.nanoTime();
            if (pacing == Pacing.OPEN) {
                send.apply(n).whenComplete((result, error) -> keep(sent));
            } else {
                try {
                    send.apply(n).toCompletableFuture().join();
                } catch (RuntimeException e) {
                    // kept below with the time it took to fail
                }
                keep(sent);
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return; // close()
                }
            } else if (pacing == Pacing.CLOSED) {
                next = System.nanoTime();
            }
        }
    }

    private void keep(long sentNanos) {
        long latency = System.nanoTime() - sentNanos;
        synchronized (requests) {
            requests.add(new Request(sentNanos, latency));
        }
    }

    /** p99 in ms of the requests sent in {@code [fromNanos, toNanos)} that have answered; 0 when there were none. */
    double p99Ms(long fromNanos, long toNanos) {
        long[] window;
        synchronized (requests) {
            window = requests.stream().filter(r -> r.sentNanos() >= fromNanos && r.sentNanos() < toNanos)
                    .mapToLong(Request::latencyNanos).toArray();
        }
        return new Percentiles(window, window.length).at(99) / 1e6;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
