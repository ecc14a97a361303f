package io.sluice.ingest.source;

import io.sluice.config.PipelineConfig;
import java.util.Optional;

/** What the framework gives a {@link SourceTask} at {@link SourceTask#start}. Thread-safe. */
public interface SourceContext {
    PipelineConfig config();

    /**
     * Reports an input the source could not turn into a record (no key, not an object, unparsable body). The
     * framework counts and logs it; {@code reason} must not contain record contents. Quarantining the raw input is a
     * later step.
     */
    void reportMalformed(String reason);

    /** Reports a failed call to the API (non-2xx, timeout, refused connection) that the source will retry itself. */
    void reportPollError(String reason);

    /**
     * The position committed by an earlier run (the pipeline's position store), to resume after; empty on a first run
     * or without a store. Read it in {@link SourceTask#start}.
     */
    default Optional<SourcePosition> resumeFrom() {
        return Optional.empty();
    }
}
