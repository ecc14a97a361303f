package io.sluice.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.kafka.ProducerSettings;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.ingest.position.FilePositionStore;
import io.sluice.ingest.position.PositionStore;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.SourceTasks;
import io.sluice.ingest.source.http.Urls;
import io.sluice.ingest.source.push.PushSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest framework: source → {@link BoundedRecordQueue} → {@link Throttle} → idempotent Kafka producer.
 *
 * <p>It owns two threads. The <em>source thread</em> calls {@link SourceTask#poll} and fills the queue, and between
 * polls commits the positions Kafka has acknowledged. The <em>sender thread</em> drains the queue through the
 * throttle into the producer, which batches and retries. Plug-ins own none of this.
 *
 * <p>Typical use (the CLI):
 * <pre>{@code
 * IngestPipeline pipeline = IngestPipeline.create(config);
 * pipeline.start();                       // creates the topic if missing, starts the threads
 * pipeline.metrics();                     // any time, from any thread
 * pipeline.awaitTermination(timeout);     // returns early if the pipeline failed
 * pipeline.close();                       // drains, flushes, commits; failure() says why it ended, if it failed
 * }</pre>
 */
public final class IngestPipeline implements AutoCloseable, MeterBinder {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

    public enum State { NEW, RUNNING, STOPPING, STOPPED, FAILED }

    private final PipelineConfig config;
    private final SourceTask source;
    private final Supplier<Producer<String, byte[]>> producerFactory;
    private final boolean provisionTopic;
    private final Duration pollTimeout;
    private final Duration drainTimeout;
    private final Ticker ticker;
    private final IngestMetrics metrics;
    private final BoundedRecordQueue queue;
    private final Throttle throttle;
    private final ProducerMeters producerMeters;
    private final SourceMeters sourceMeters;
    private final PositionTracker positions = new PositionTracker();
    private final RateLimitedLog pollErrorLog;
    private final PositionStore positionStore;
    private volatile Optional<SourcePosition> resumeFrom = Optional.empty();

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicReference<IngestException> failure = new AtomicReference<>();
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean sourceFinished;
    private Producer<String, byte[]> producer;
    private Thread sourceThread;
    private Thread senderThread;

    private IngestPipeline(Builder b) {
        this.config = b.config;
        this.source = b.source != null ? b.source : SourceTasks.create(b.config);
        this.producerFactory = b.producerFactory != null ? b.producerFactory : () -> ProducerSettings.createProducer(b.config);
        this.provisionTopic = b.provisionTopic;
        this.pollTimeout = b.pollTimeout;
        this.drainTimeout = b.drainTimeout;
        this.ticker = b.ticker;
        this.metrics = new IngestMetrics(b.distinctKeyCap);
        this.queue = new BoundedRecordQueue(config.producerQueueCapacity(),
                OverflowPolicy.fromConfig(config.producerOverflow()), metrics, ticker);
        this.metrics.bindQueueDepth(queue::size);
        this.throttle = new Throttle(config.producerRecordsPerSecond(), config.producerBytesPerSecond(), ticker);
        this.producerMeters = new ProducerMeters(metrics);
        this.sourceMeters = new SourceMeters(metrics, config.sourceType(), ignoredCountsOf(source));
        this.pollErrorLog = new RateLimitedLog(LOG, ticker, 10, TimeUnit.SECONDS);
        this.positionStore = b.positionStore != null ? b.positionStore
                : b.dataDir != null ? FilePositionStore.under(b.dataDir, config.name(), config.sourceType())
                : PositionStore.NONE;
    }

    private static Supplier<Map<String, Long>> ignoredCountsOf(SourceTask source) {
        if (source instanceof PushSource pushSource) {
            return pushSource::ignoredCounts;
        }
        return Map::of;
    }

    /** A pipeline with the source named by {@code source.type} and a real Kafka producer. */
    public static IngestPipeline create(PipelineConfig config) {
        return builder(config).build();
    }

    public static Builder builder(PipelineConfig config) {
        return new Builder(config);
    }

    /**
     * Creates the topic if missing, starts the source and the two threads.
     *
     * @throws KafkaUnavailableException if the topic could not be checked or created
     * @throws SourceFailedException      if the source failed to start
     */
    public synchronized void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("an ingest pipeline starts once; this one is " + state.get());
        }
        try {
            if (provisionTopic) {
                TopicProvisioner.ensure(config);
            }
            try {
                resumeFrom = positionStore.load();
            } catch (RuntimeException e) {
                throw new SourceFailedException("cannot resume source `" + config.sourceType() + "`: " + e.getMessage(), e);
            }
            resumeFrom.ifPresent(p -> LOG.info("Resuming source `{}` after position {} (from {})", config.sourceType(), p,
                    positionStore));
            producer = producerFactory.get();
            try {
                source.start(new Context());
            } catch (RuntimeException e) {
                throw new SourceFailedException("source `" + config.sourceType() + "` failed to start: " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            state.set(State.FAILED);
            shutdownStarted.set(true);
            failure.set(e instanceof IngestException ie ? ie : new IngestException("ingest failed to start: " + e, e));
            terminated.countDown();
            throw e;
        }
        DeadLetter deadLetter = new DeadLetter(config.quarantineTopic(), config.name(),
                config.sourceType() + " " + Urls.withoutQuery(URI.create(config.sourceUrl())));
        RecordSender sender = new RecordSender(producer, config.kafkaTopic(), deadLetter,
                throttle, positions, metrics, "after " + config.producerRetries() + " retries within "
                + config.producerDeliveryTimeout().toSeconds() + "s (`producer.retries`, `producer.delivery_timeout`)",
                this::fail, ticker);
        sourceThread = new Thread(this::pollLoop, "sluice-ingest-source-" + config.name());
        senderThread = new Thread(() -> sendLoop(sender), "sluice-ingest-sender-" + config.name());
        sourceThread.start();
        senderThread.start();
        LOG.info("Ingest started: {} -> Kafka topic {} at {}, at most {} records/s and {} bytes/s, queue of {} ({})",
                config.sourceType(), config.kafkaTopic(), config.kafkaBootstrapServers(), config.producerRecordsPerSecond(),
                config.producerBytesPerSecond(), queue.capacity(), config.producerOverflow());
    }

    /**
     * Stops the source, sends what is queued (for at most the drain timeout), waits for Kafka to acknowledge
     * in-flight records, commits the last acknowledged position and closes the producer. Idempotent; a second caller
     * waits for the first. Does not throw on an earlier failure: see {@link #failure()}.
     */
    public void stop() {
        synchronized (this) { // start() holds the same lock: never race a start that is half done
            if (state.compareAndSet(State.NEW, State.STOPPED)) {
                shutdownStarted.set(true);
                terminated.countDown();
                return;
            }
        }
        if (!shutdownStarted.compareAndSet(false, true)) {
            awaitUninterruptibly();
            return;
        }
        shutdown();
    }

    @Override
    public void close() {
        stop();
    }

    /** Waits until the pipeline has stopped or failed; true if it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public State state() {
        return state.get();
    }

    /** Why the pipeline stopped on its own: a send Kafka refused, a full queue under {@code fail}, a broken source. */
    public Optional<IngestException> failure() {
        return Optional.ofNullable(failure.get());
    }

    public IngestMetrics.Snapshot metrics() {
        return metrics.snapshot();
    }

    /**
     * Binds the meters of every ingest stage: source ({@code sluice.source.*}), queue ({@code sluice.queue.*}),
     * throttle ({@code sluice.throttle.*}) and producer ({@code sluice.producer.*}). Call before or after start.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        sourceMeters.bindTo(registry);
        queue.bindTo(registry);
        throttle.bindTo(registry);
        producerMeters.bindTo(registry);
    }

    /** Registers meters for tags that appeared since (a new quarantine reason, an ignored kind, a reconnect cause). */
    public void refreshMeters() {
        sourceMeters.refresh();
    }

    /** The throttle's records/s limit ({@code producer.records_per_second}). */
    public double recordsPerSecondLimit() {
        return config.producerRecordsPerSecond();
    }

    public PipelineConfig config() {
        return config;
    }

    private void pollLoop() {
        try {
            while (!stopRequested) {
                commitAcknowledged();
                List<SourceRecord> batch = source.poll(pollTimeout);
                if (batch == null || batch.isEmpty()) {
                    continue;
                }
                metrics.recordPolled((int) batch.stream().filter(item -> !item.isRejected()).count());
                enqueueAll(batch);
            }
        } catch (InterruptedException e) {
            // stop() interrupts only when poll overstays; ending the loop is the point
        } catch (IngestException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new SourceFailedException("source `" + config.sourceType() + "` failed while polling: " + e, e));
        }
    }

    /** Queues a batch; whatever cannot be queued because the pipeline is stopping or failing is counted as dropped. */
    private void enqueueAll(List<SourceRecord> batch) throws InterruptedException {
        for (int i = 0; i < batch.size(); i++) {
            boolean queued;
            try {
                queued = enqueue(batch.get(i));
            } catch (QueueOverflowException e) {
                metrics.recordDropped(DropReason.PIPELINE_FAILED, batch.size() - i);
                throw e;
            } catch (InterruptedException e) {
                metrics.recordDropped(failure.get() != null ? DropReason.PIPELINE_FAILED : DropReason.SHUTDOWN_DEADLINE,
                        batch.size() - i);
                throw e;
            }
            if (!queued) {
                metrics.recordDropped(failure.get() != null ? DropReason.PIPELINE_FAILED : DropReason.SHUTDOWN_DEADLINE,
                        batch.size() - i);
                return;
            }
        }
    }

    /**
     * Queues a record; false once the pipeline failed. An orderly stop still queues what the last poll returned, since
     * the sender keeps draining until the source thread is done (a source that cannot resume would otherwise lose
     * it); {@code shutdown()} bounds that wait and interrupts a source thread that overstays.
     */
    private boolean enqueue(SourceRecord record) throws InterruptedException {
        while (failure.get() == null) {
            if (queue.offer(record, pollTimeout)) {
                return true;
            }
        }
        return false;
    }

    private void sendLoop(RecordSender sender) {
        SourceRecord inHand = null;
        try {
            while (failure.get() == null) {
                inHand = queue.poll(pollTimeout);
                if (inHand == null) {
                    if (sourceFinished) {
                        return;
                    }
                    continue;
                }
                sender.send(inHand);
                inHand = null;
            }
        } catch (InterruptedException e) {
            // The drain deadline passed; what is left in the queue is counted as dropped by shutdown(), and so is the
            // record this thread held while it waited for the throttle.
            if (inHand != null) {
                metrics.recordDropped(failure.get() != null ? DropReason.PIPELINE_FAILED : DropReason.SHUTDOWN_DEADLINE, 1);
            }
        } catch (IngestException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IngestException("the ingest sender failed unexpectedly: " + e, e));
        }
    }

    private void commitAcknowledged() {
        Optional<SourcePosition> position = positions.takeCommittable();
        if (position.isEmpty()) {
            return;
        }
        try {
            source.commit(position.get());
            metrics.recordCommitted(position.get().value());
        } catch (RuntimeException e) {
            LOG.warn("Source `{}` failed to commit position {}: {}", config.sourceType(), position.get(), e.toString());
        }
        try {
            positionStore.save(position.get());
        } catch (RuntimeException e) {
            // The next commit retries with a newer position; a restart meanwhile re-sends a little more, loses nothing.
            LOG.warn("Could not save position {}: {}", position.get(), e.getMessage());
        }
    }

    /** Records the first failure and stops the pipeline from a separate thread (the caller may be one we join). */
    private void fail(IngestException error) {
        if (!failure.compareAndSet(null, error)) {
            return;
        }
        LOG.error("Ingest pipeline {} is stopping because of an error: {}", config.name(), error.getMessage());
        stopRequested = true;
        if (shutdownStarted.compareAndSet(false, true)) {
            Thread stopper = new Thread(this::shutdown, "sluice-ingest-stopper-" + config.name());
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    private void shutdown() {
        state.compareAndSet(State.RUNNING, State.STOPPING);
        stopRequested = true;
        try {
            source.stop();
        } catch (RuntimeException e) {
            LOG.warn("Source `{}` failed to stop cleanly: {}", config.sourceType(), e.toString());
        }
        boolean sourceThreadEnded = join(sourceThread, drainTimeout.plus(pollTimeout.multipliedBy(2)));
        sourceFinished = true;
        join(senderThread, failure.get() != null ? pollTimeout.multipliedBy(2) : drainTimeout.plus(pollTimeout));
        queue.discardAll(failure.get() != null ? DropReason.PIPELINE_FAILED : DropReason.SHUTDOWN_DEADLINE);
        closeProducer();
        if (sourceThreadEnded) {
            commitAcknowledged();
        } else {
            LOG.error("Source `{}` did not return from poll after stop(); the last position is not committed, so a "
                    + "restart re-sends from the previous one", config.sourceType());
        }
        state.set(failure.get() != null ? State.FAILED : State.STOPPED);
        IngestMetrics.Snapshot m = metrics.snapshot();
        LOG.info("Ingest {}: {} records polled, {} sent, {} send errors, {} dropped, {} unreadable ({} dead-lettered to {}), "
                        + "{} distinct keys{}",
                state.get() == State.FAILED ? "failed" : "stopped", m.recordsPolled(), m.recordsSent(), m.sendErrors(),
                m.droppedTotal(), m.malformed(), m.deadLettered(), config.quarantineTopic(), m.distinctKeysAcked(),
                m.distinctKeysCapReached() ? " (cap reached)" : "");
        terminated.countDown();
    }

    /** Flush waits until every in-flight record is acknowledged or failed; delivery.timeout.ms bounds that. */
    private void closeProducer() {
        try {
            producer.flush();
        } catch (RuntimeException e) {
            LOG.warn("Flushing the Kafka producer failed: {}", e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warn("Closing the Kafka producer failed: {}", e.toString());
        }
    }

    /** Joins, interrupting once if the thread overstays; true if it ended. */
    private static boolean join(Thread thread, Duration patience) {
        if (thread == null) {
            return true;
        }
        try {
            thread.join(patience.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5).toMillis());
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void awaitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Context implements SourceContext {
        @Override
        public PipelineConfig config() {
            return config;
        }

        @Override
        public void reportPollError(String reason) {
            metrics.recordPollError();
            pollErrorLog.warn("Source call failed: " + reason);
        }

        @Override
        public void reportReconnect(String cause) {
            metrics.recordReconnect(cause);
        }

        @Override
        public Optional<SourcePosition> resumeFrom() {
            return resumeFrom;
        }
    }

    /** Everything but the config has a production default; tests swap in fakes. */
    public static final class Builder {
        private final PipelineConfig config;
        private SourceTask source;
        private Supplier<Producer<String, byte[]>> producerFactory;
        private boolean provisionTopic = true;
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration drainTimeout = Duration.ofSeconds(30);
        private Ticker ticker = Ticker.SYSTEM;
        private int distinctKeyCap = DistinctKeyCounter.DEFAULT_CAP;
        private PositionStore positionStore;
        private Path dataDir;

        private Builder(PipelineConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Default: the plug-in named by {@code source.type}. */
        public Builder source(SourceTask source) {
            this.source = source;
            return this;
        }

        /** Default: a {@code KafkaProducer} with {@link ProducerSettings#from}. Called once, in {@link #start()}. */
        public Builder producer(Supplier<Producer<String, byte[]>> producerFactory) {
            this.producerFactory = producerFactory;
            return this;
        }

        /** Default true: create {@code kafka.topic} if missing before producing. */
        public Builder provisionTopic(boolean provisionTopic) {
            this.provisionTopic = provisionTopic;
            return this;
        }

        /** How long one {@link SourceTask#poll} and one queue wait may take; bounds how fast stop reacts. */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** On stop, how long queued records may still be sent (throttled) before the rest is dropped and counted. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder ticker(Ticker ticker) {
            this.ticker = ticker;
            return this;
        }

        /** Most distinct keys tracked exactly (memory bound, about 32 bytes per UUID key). */
        public Builder distinctKeyCap(int distinctKeyCap) {
            this.distinctKeyCap = distinctKeyCap;
            return this;
        }

        /**
         * Keeps the committed position in {@code <dataDir>/positions/<pipeline.name>.json}, so a restart resumes.
         * Without a data dir (or a {@link #positionStore}) positions live only as long as the process.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Wins over {@link #dataDir}. */
        public Builder positionStore(PositionStore positionStore) {
            this.positionStore = positionStore;
            return this;
        }

        public IngestPipeline build() {
            return new IngestPipeline(this);
        }
    }
}
