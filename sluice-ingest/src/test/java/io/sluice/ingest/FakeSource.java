package io.sluice.ingest;

import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A source the test feeds by hand; records every commit. */
final class FakeSource implements SourceTask {
    private static final List<SourceRecord> WAKE_UP = List.of();

    private final LinkedBlockingQueue<List<SourceRecord>> batches = new LinkedBlockingQueue<>();
    final List<SourcePosition> commits = new CopyOnWriteArrayList<>();
    final AtomicInteger polls = new AtomicInteger();
    volatile SourceContext context;
    volatile boolean stopped;
    volatile RuntimeException failOnPoll;

    void emit(SourceRecord... records) {
        batches.add(List.of(records));
    }

    @Override
    public void start(SourceContext context) {
        this.context = context;
    }

    @Override
    public List<SourceRecord> poll(Duration timeout) throws InterruptedException {
        polls.incrementAndGet();
        if (failOnPoll != null) {
            throw failOnPoll;
        }
        List<SourceRecord> batch = batches.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return batch == null ? List.of() : batch;
    }

    @Override
    public void commit(SourcePosition position) {
        commits.add(position);
    }

    @Override
    public void stop() {
        stopped = true;
        batches.add(WAKE_UP);
    }
}
