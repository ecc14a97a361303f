package io.sluice.ingest.source.push;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Runs a source the way the framework does (start, poll from one thread, commit, stop) and collects what it
 * delivers and reports, for tests of push sources.
 */
public final class SourceHarness implements AutoCloseable, SourceContext {
    private final PipelineConfig config;
    private final SourceTask source;
    private SourcePosition resumeFrom;
    private final List<SourceRecord> records = new ArrayList<>();
    private final List<SourceRecord> rejected = new ArrayList<>();
    public final List<String> errors = new CopyOnWriteArrayList<>();
    public final List<String> reconnects = new CopyOnWriteArrayList<>();

    public SourceHarness(PipelineConfig config, SourceTask source) {
        this.config = config;
        this.source = source;
    }

    /** The position the framework's store hands the source at start, as after a restart. */
    public SourceHarness resumingFrom(SourcePosition position) {
        this.resumeFrom = position;
        return this;
    }

    public SourceHarness start() {
        source.start(this);
        return this;
    }

    /** Polls until {@code count} records arrived or {@code patience} passed; commits each batch's last position. */
    public List<SourceRecord> collect(int count, Duration patience) throws InterruptedException {
        return collectUntil(() -> records.size() >= count, patience);
    }

    public List<SourceRecord> collectUntil(BooleanSupplier done, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        long doneAt = 0;
        while (System.nanoTime() < deadline) {
            boolean wasDone = done.getAsBoolean();
            if (wasDone && doneAt == 0) {
                doneAt = System.nanoTime();
            }
            // Once done, one more empty poll proves nothing is left in the source's buffer. An endless stream never
            // gives an empty poll, so polling also stops 1 s after done: collecting for the whole patience at full
            // speed once filled a 60 s test's heap with millions of records.
            boolean empty = pollOnce(Duration.ofMillis(100)).isEmpty();
            if (wasDone && (empty || System.nanoTime() - doneAt > Duration.ofSeconds(1).toNanos())) {
                break;
            }
        }
        return List.copyOf(records);
    }

    /**
     * One poll, as the framework's source thread does it; returns the batch. Records and rejected items (which the
     * pipeline dead-letters) are kept apart; the batch's last position is committed either way, as the pipeline does
     * once Kafka acknowledged both.
     */
    public List<SourceRecord> pollOnce(Duration timeout) throws InterruptedException {
        List<SourceRecord> batch = source.poll(timeout);
        batch.forEach(item -> (item.isRejected() ? rejected : records).add(item));
        if (!batch.isEmpty()) {
            source.commit(batch.get(batch.size() - 1).position());
        }
        return batch;
    }

    public List<SourceRecord> records() {
        return List.copyOf(records);
    }

    /** Payloads the source could not read, in feed order: what the pipeline sends to the dead-letter topic. */
    public List<SourceRecord> rejected() {
        return List.copyOf(rejected);
    }

    @Override
    public PipelineConfig config() {
        return config;
    }

    @Override
    public void reportPollError(String reason) {
        errors.add(reason);
    }

    @Override
    public void reportReconnect(String cause) {
        reconnects.add(cause);
    }

    @Override
    public Optional<SourcePosition> resumeFrom() {
        return Optional.ofNullable(resumeFrom);
    }

    @Override
    public void close() {
        source.stop();
    }
}
