package io.sluice.stream.adaptive;

import io.sluice.config.PipelineConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * The {@code sink.adaptive.*} keys of one pipeline, as the executors need them (serializable: the driver writer ships
 * them to every task).
 *
 * @param minLimit           {@code sink.adaptive.min_concurrency}: the floor of the in-flight limit
 * @param maxLimit           {@code sink.concurrent_writes}: its ceiling
 * @param minRowsPerSecond   {@code sink.adaptive.min_rows_per_second}: the pace never goes below it
 * @param maxRowsPerSecond   this executor's share of {@code sink.max_rows_per_second}: the hard ceiling
 * @param latencyTargetNanos {@code sink.adaptive.latency_target}; 0 derives it from the measured baseline
 * @param baselineMultiple   {@code sink.adaptive.baseline_multiple}
 * @param retryTimeout       {@code sink.write_retry_timeout}: how long one write retries an overloaded Cassandra
 * @param neighbours         {@code sink.adaptive.neighbours*}: whether and how Sluice yields to other clients
 */
public record AdaptiveSettings(int minLimit, int maxLimit, double minRowsPerSecond, double maxRowsPerSecond,
                               long latencyTargetNanos, double baselineMultiple, Duration retryTimeout,
                               Neighbours neighbours) implements Serializable {

    /**
     * The {@code sink.adaptive.neighbours*} keys ({@link NeighbourYield}).
     *
     * @param on                        {@code sink.adaptive.neighbours}
     * @param latencyMultiple           {@code sink.adaptive.neighbour_latency_multiple}
     * @param activeAtRequestsPerSecond {@code sink.adaptive.neighbour_min_requests_per_second}
     */
    public record Neighbours(boolean on, double latencyMultiple, double activeAtRequestsPerSecond)
            implements Serializable {
        public static final Neighbours OFF = new Neighbours(false, 2, 10);
    }

    /** Settings that do not watch for other clients. */
    public AdaptiveSettings(int minLimit, int maxLimit, double minRowsPerSecond, double maxRowsPerSecond,
                            long latencyTargetNanos, double baselineMultiple, Duration retryTimeout) {
        this(minLimit, maxLimit, minRowsPerSecond, maxRowsPerSecond, latencyTargetNanos, baselineMultiple,
                retryTimeout, Neighbours.OFF);
    }

    public AdaptiveSettings {
        if (minLimit < 1 || maxLimit < minLimit) {
            throw new IllegalArgumentException("need 1 <= minLimit <= maxLimit, got " + minLimit + ", " + maxLimit);
        }
        if (!(minRowsPerSecond > 0) || maxRowsPerSecond < minRowsPerSecond) {
            throw new IllegalArgumentException("need 0 < minRowsPerSecond <= maxRowsPerSecond, got "
                    + minRowsPerSecond + ", " + maxRowsPerSecond);
        }
    }

    /** The pipeline's keys; {@code maxRowsPerSecond} is this executor's share of {@code sink.max_rows_per_second}. */
    public static AdaptiveSettings from(PipelineConfig config, double maxRowsPerSecond) {
        Duration target = config.sinkAdaptiveLatencyTarget();
        // The floors give way to lower ceilings: a user who lowers only a ceiling must not trip over a default floor.
        return new AdaptiveSettings(Math.min(config.sinkAdaptiveMinConcurrency(), config.sinkConcurrentWrites()),
                config.sinkConcurrentWrites(),
                Math.min(config.sinkAdaptiveMinRowsPerSecond(), maxRowsPerSecond), maxRowsPerSecond,
                target == null ? 0 : target.toNanos(), config.sinkAdaptiveBaselineMultiple(),
                config.sinkWriteRetryTimeout(), new Neighbours(config.sinkAdaptiveNeighbours(),
                        config.sinkAdaptiveNeighbourLatencyMultiple(), config.sinkAdaptiveNeighbourMinRequestsPerSecond()));
    }
}
