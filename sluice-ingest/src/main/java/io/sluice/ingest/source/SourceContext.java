package io.sluice.ingest.source;

import io.sluice.config.PipelineConfig;
import java.util.Optional;

/** What the framework gives a {@link SourceTask} at {@link SourceTask#start}. Thread-safe. */
public interface SourceContext {
    PipelineConfig config();

    /** Reports a failed call to the API (non-2xx, timeout, refused connection) that the source will retry itself. */
    void reportPollError(String reason);

    /**
     * A push source lost its connection and reconnects; {@code cause} is a short code such as {@code closed},
     * {@code error}, {@code stall}, {@code idle} or {@code refused} (see {@code PushSource.Cause}), for a metric
     * tagged by cause. The default does nothing.
     */
    default void reportReconnect(String cause) {
    }

    /**
     * The position committed by an earlier run (the pipeline's position store), to resume after; empty on a first run
     * or without a store. Read it in {@link SourceTask#start}.
     */
    default Optional<SourcePosition> resumeFrom() {
        return Optional.empty();
    }
}
