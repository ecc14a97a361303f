package io.sluice.ingest.source.push;

import io.sluice.config.PipelineConfig;
import io.sluice.config.Backoff;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;

/** Pieces every push source builds the same way from the pipeline config. */
public final class PushSupport {
    /** Records one poll hands to the framework at most; keeps a poll short so commits happen in between. */
    public static final int MAX_RECORDS_PER_POLL = 500;

    private PushSupport() {
    }

    /**
     * A small hand-off: {@code producer.queue_capacity} is the real bound; this only has to keep the network reader
     * busy while the framework moves records on, so it is capped at 1,024 records.
     */
    public static RecordHandoff handoff(PipelineConfig config) {
        return new RecordHandoff(Math.min(config.producerQueueCapacity(), 1024), MAX_RECORDS_PER_POLL);
    }

    public static Backoff backoff(PipelineConfig config, DoubleSupplier random) {
        return new Backoff(config.sourceReconnectMin(), config.sourceReconnectMax(), random);
    }

    /** How often the watchdog looks: often enough to notice a stall within about a quarter of its timeout. */
    public static Duration watchdogPeriod(Duration stallTimeout) {
        long millis = Math.max(10, Math.min(1000, stallTimeout.toMillis() / 4));
        return Duration.ofMillis(millis);
    }

    /** One daemon thread per source for its watchdog, pings and timed reconnects. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The cause worth showing: the innermost of wrapper exceptions, as "Type: message". */
    public static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
