package io.sluice.ingest.position;

import io.sluice.ingest.source.SourcePosition;
import java.util.Optional;

/**
 * Where a pipeline keeps its last committed source position between runs: a poll cursor and ETag, an SSE
 * {@code Last-Event-ID}, a WebSocket message index. The framework loads it once at start and saves it only after Kafka
 * acknowledged every record up to it, so a restart re-sends rather than loses.
 */
public interface PositionStore {

    /** The last saved position, if any. */
    Optional<SourcePosition> load();

    /** Replaces the saved position. A failed save throws; the previous position then stays intact. */
    void save(SourcePosition position);

    /** Keeps nothing: every start begins wherever the source begins. */
    PositionStore NONE = new PositionStore() {
        @Override
        public Optional<SourcePosition> load() {
            return Optional.empty();
        }

        @Override
        public void save(SourcePosition position) {
        }

        @Override
        public String toString() {
            return "no position store";
        }
    };
}
