package io.sluice.ingest.source;

import java.time.Duration;
import java.util.List;

/**
 * A source plug-in, shaped like Kafka Connect's {@code SourceTask}. The framework ({@code IngestPipeline}) owns the
 * threads, the queue, throttling, batching, retries of sends and the positions; a source only reads its API.
 *
 * <p>Lifecycle and threading:
 * <ol>
 *   <li>{@link #start} once, on the thread that starts the pipeline.</li>
 *   <li>{@link #poll} repeatedly from one framework thread. It must return within about {@code timeout} even when
 *       there is no data, so the framework can stop and commit in between. Push-style sources (SSE, WebSocket, MQTT)
 *       fill their own bounded buffer from their client's thread and let {@code poll} drain it.</li>
 *   <li>{@link #commit} from the polling thread between polls, and once more from the stopping thread after the poll
 *       loop ended and after {@link #stop}. Never concurrently with {@code poll} or with itself.</li>
 *   <li>{@link #stop} from another thread, at most once; it must make a blocked {@code poll} return promptly.</li>
 * </ol>
 */
public interface SourceTask {

    void start(SourceContext context);

    /**
     * Returns the records available now, waiting at most about {@code timeout} for some; an empty list when there
     * are none. Throwing stops the pipeline; errors the source can ride out (an API returning 503) should be
     * reported through {@link SourceContext#reportPollError} and retried instead.
     */
    List<SourceRecord> poll(Duration timeout) throws InterruptedException;

    /**
     * Kafka has acknowledged every record this source produced up to and including {@code position}. A source that
     * can resume (SSE {@code Last-Event-ID}, a poll cursor) remembers it; after a crash it resumes from the last
     * committed position and re-sends, rather than loses, what came after. The default does nothing.
     */
    default void commit(SourcePosition position) {
    }

    /** Stops the source and unblocks {@link #poll}; called from a thread other than the polling one. */
    void stop();
}
