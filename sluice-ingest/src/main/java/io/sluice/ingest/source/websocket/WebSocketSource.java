package io.sluice.ingest.source.websocket;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.Backoff;
import io.sluice.ingest.source.push.PushRecordDecoder;
import io.sluice.ingest.source.push.PushSupport;
import io.sluice.ingest.source.push.RecordHandoff;
import io.sluice.ingest.source.push.StallWatch;
import io.sluice.ingest.source.http.Urls;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code source.type=websocket}: keeps a WebSocket ({@code source.url}, ws/wss) open, sends
 * {@code source.subscribe_message} after every connect, and turns each text or binary message (UTF-8 JSON) into
 * records ({@code source.records_path}, {@code record.key}).
 *
 * <p>Backpressure is real: the JDK client delivers a message only on demand, and {@link WebSocketConnection} asks for
 * the next one only after the previous message's records are in the {@link RecordHandoff} that {@link #poll} drains.
 * A full pipeline therefore stops reading from the socket. A ping goes out every {@code source.ping_interval}; a
 * connection that delivers nothing (not even a pong) for {@code source.stall_timeout} while a frame is wanted is
 * aborted. Every lost connection is retried with exponential backoff and jitter.
 *
 * <p>Positions are message indexes. WebSocket has no standard resume, so with {@code source.resume_param} set (the
 * demo API's {@code from}) a reconnect asks for the message after the last one received, and
 * {@link #WebSocketSource(SourcePosition)} restarts after the last committed one. Without it a reconnect takes
 * whatever the server sends from then on: messages sent while disconnected are lost, and a server that replays sends
 * duplicates (Cassandra upserts by key absorb those).
 */
public final class WebSocketSource implements SourceTask {
    public static final String TYPE = "websocket";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSource.class);

    private final Ticker ticker;
    private final DoubleSupplier random;
    private SourcePosition resumeAfter;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong connections = new AtomicLong();

    private SourceContext context;
    private URI uri;
    private String safeUrl;
    private String resumeParam;
    private HttpClient client;
    private RecordHandoff handoff;
    private PushRecordDecoder decoder;
    private Backoff backoff;
    private StallWatch stallWatch;
    private ScheduledExecutorService scheduler;
    private Settings settings;

    private volatile WebSocketConnection current;
    private volatile SourcePosition committed;
    /** Index of the next message to arrive; guarded by the connection that is current (see WebSocketConnection). */
    private final AtomicLong nextIndex = new AtomicLong();

    /** What a connection needs from the source's config. */
    record Settings(String subscribeMessage, Duration connectTimeout, Duration pingInterval, Duration stallTimeout) {
    }

    /**
     * Resumes after {@link SourceContext#resumeFrom()} if the pipeline has a committed position (and
     * {@code source.resume_param} is set); else starts wherever the server starts, or at the resume parameter's
     * value in {@code source.url}.
     */
    public WebSocketSource() {
        this(null);
    }

    /** With {@code source.resume_param} set, resumes after message {@code committed}; null as {@link #WebSocketSource()}. */
    public WebSocketSource(SourcePosition committed) {
        this(committed, Ticker.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    WebSocketSource(SourcePosition committed, Ticker ticker, DoubleSupplier random) {
        this.resumeAfter = committed;
        this.committed = committed;
        this.ticker = ticker;
        this.random = random;
    }

    @Override
    public void start(SourceContext context) {
        this.context = context;
        if (resumeAfter == null) {
            resumeAfter = context.resumeFrom().orElse(null); // the pipeline's position store, if it has one
            committed = resumeAfter;
        }
        PipelineConfig config = context.config();
        uri = URI.create(config.sourceUrl());
        safeUrl = Urls.withoutQuery(uri);
        resumeParam = config.sourceResumeParam();
        nextIndex.set(firstIndex());
        settings = new Settings(config.sourceSubscribeMessage(), config.sourceTimeout(), config.sourcePingInterval(),
                config.sourceStallTimeout());
        client = HttpClient.newBuilder().connectTimeout(config.sourceTimeout()).build();
        handoff = PushSupport.handoff(config);
        decoder = new PushRecordDecoder(config.sourceRecordsPath(), config.recordKey());
        backoff = PushSupport.backoff(config, random);
        stallWatch = new StallWatch(ticker, config.sourceStallTimeout());
        scheduler = PushSupport.scheduler("sluice-websocket-" + config.name());
        long period = PushSupport.watchdogPeriod(config.sourceStallTimeout()).toMillis();
        scheduler.scheduleWithFixedDelay(this::watch, period, period, TimeUnit.MILLISECONDS);
        if (resumeParam == null && resumeAfter != null) {
            LOG.warn("WebSocket {}: `source.resume_param` is unset, so the committed position {} cannot be resumed; "
                    + "starting wherever the server starts (at-least-once at best)", safeUrl, resumeAfter);
        }
        scheduler.execute(this::connect);
    }

    @Override
    public List<SourceRecord> poll(Duration timeout) throws InterruptedException {
        return handoff.drain(timeout);
    }

    @Override
    public void commit(SourcePosition position) {
        committed = position;
    }

    /** The last message index Kafka acknowledged everything up to: where a restarted source should resume after. */
    public Optional<SourcePosition> committedPosition() {
        return Optional.ofNullable(committed);
    }

    /** Connection attempts so far, the first one included. */
    public long connections() {
        return connections.get();
    }

    @Override
    public void stop() {
        stopped.countDown();
        if (handoff != null) {
            handoff.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        WebSocketConnection connection = current;
        if (connection != null) {
            connection.close();
        }
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** The first message index: after the committed one, else the resume parameter already in the URL, else 0. */
    private long firstIndex() {
        if (resumeParam == null) {
            return 0;
        }
        try {
            if (resumeAfter != null) {
                return Long.parseLong(resumeAfter.value()) + 1;
            }
            return Urls.queryParam(uri, resumeParam).map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WebSocket resume needs a whole-number position or `source.url` "
                    + resumeParam + "= value; got '" + (resumeAfter != null ? resumeAfter.value() : uri.getRawQuery()) + "'");
        }
    }

    /** On the scheduler thread: opens a new connection (the previous one has ended). */
    private void connect() {
        if (isStopped()) {
            return;
        }
        URI target = resumeParam == null ? uri : Urls.withQueryParam(uri, resumeParam, Long.toString(nextIndex.get()));
        WebSocketConnection connection = new WebSocketConnection(this, settings, ticker);
        current = connection;
        connections.incrementAndGet();
        stallWatch.paused();
        client.newWebSocketBuilder().connectTimeout(settings.connectTimeout()).buildAsync(target, connection)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        connection.ended("could not connect: " + PushSupport.describe(error));
                    }
                });
    }

    /** On the scheduler thread: pings, and aborts a connection that has gone silent while a frame was wanted. */
    private void watch() {
        WebSocketConnection connection = current;
        if (connection == null) {
            return;
        }
        if (stallWatch.stalled()) {
            stallWatch.paused();
            connection.abort("sent nothing for " + settings.stallTimeout().toMillis()
                    + " ms (`source.stall_timeout`), not even a pong; reconnecting");
            return;
        }
        connection.pingIfDue();
    }

    // ---- called by WebSocketConnection, on the JDK client's threads ----

    boolean isCurrent(WebSocketConnection connection) {
        return current == connection && !isStopped();
    }

    StallWatch stallWatch() {
        return stallWatch;
    }

    /** Claims the index of a completed message. */
    long claimIndex() {
        return nextIndex.getAndIncrement();
    }

    /** Decodes a complete message and hands it over; {@code next} asks for the following one once it is in. */
    void deliver(byte[] message, long index, Runnable next) {
        SourcePosition position = SourcePosition.of(Long.toString(index));
        var extraction = decoder.decode(message, position, SourcePosition.of(Long.toString(index - 1)));
        extraction.malformed().forEach(reason ->
                context.reportMalformed("WebSocket " + safeUrl + " message " + index + ": " + reason));
        handoff.putThen(extraction.records(), next);
    }

    void connectionWorks() {
        try {
            scheduler.execute(backoff::reset); // backoff is confined to the scheduler thread
        } catch (RejectedExecutionException stoppedMeanwhile) {
            // nothing left to reset
        }
    }

    /** A connection ended (closed, failed, aborted): report and reconnect after the backoff delay. */
    void connectionEnded(WebSocketConnection connection, String reason) {
        if (isStopped() || current != connection) {
            return;
        }
        stallWatch.paused();
        context.reportPollError("WebSocket " + safeUrl + " " + reason);
        try {
            scheduler.execute(() -> {
                Duration delay = backoff.nextDelay();
                LOG.debug("WebSocket {}: reconnecting in {} ms at message {}", safeUrl, delay.toMillis(), nextIndex.get());
                scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
            });
        } catch (RejectedExecutionException stoppedMeanwhile) {
            // stop() shut the scheduler down; nothing to reconnect
        }
    }
}
