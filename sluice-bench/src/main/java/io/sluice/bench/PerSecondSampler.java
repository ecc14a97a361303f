package io.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Takes one sample a second on its own daemon thread while a stage's main thread drives the run (produces, pauses
 * Cassandra, waits for the drain), for the stage's chart and figures.
 */
final class PerSecondSampler<T> {
    private final List<T> samples;
    private final ScheduledExecutorService timer;

    /**
     * @param first              what the list starts with, before the first timed sample (the calm state before a run)
     * @param firstAfterSeconds  when {@code sample} is first called; then a second after each sample ends
     * @param sample             the next sample, or null when there is none this second
     */
    PerSecondSampler(String threadName, List<T> first, long firstAfterSeconds, Supplier<T> sample) {
        this.samples = new ArrayList<>(first);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        // A fixed delay, not a fixed rate: a sample that blocks (Cassandra stopped) must not be followed by a burst of
        // catch-up samples milliseconds apart, whose "per second" rates are noise (seen in the pause stage).
        timer.scheduleWithFixedDelay(() -> take(sample), firstAfterSeconds, 1, TimeUnit.SECONDS);
    }

    private void take(Supplier<T> sample) {
        try {
            T next = sample.get();
            if (next != null) {
                synchronized (samples) {
                    samples.add(next);
                }
            }
        } catch (RuntimeException e) {
            // One missed second must not end the run (an exception would cancel the timer); the next sample spans
            // both seconds, since the stage only moves its "last" values on a sample it returns.
        }
    }

    /** Stops sampling; the samples taken, in order. */
    List<T> stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }
}
