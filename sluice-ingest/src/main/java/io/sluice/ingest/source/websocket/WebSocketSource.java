package io.sluice.ingest.source.websocket;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.http.ApiCredentials;
import io.sluice.ingest.source.http.SourceTls;
import io.sluice.ingest.source.http.Urls;
import io.sluice.ingest.source.push.PushRecordDecoder;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.PushSupport;
import io.sluice.ingest.source.push.RecordHandoff;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * {@code source.type=websocket}: keeps a WebSocket ({@code source.url}, ws/wss) open, sends
 * {@code source.subscribe_message} after every connect, and turns each text or binary message (UTF-8 JSON) into
 * records ({@code source.records_path}, {@code record.key}). Reading, watchdogs, reconnects and positions are
 * {@link PushSource}'s; this class speaks WebSocket.
 *
 * <p>Backpressure is real: the JDK client delivers a message only on demand, and {@link WebSocketConnection} asks for
 * the next one only after the previous message's items are in the {@link RecordHandoff}. A ping goes out every
 * {@code source.ping_interval}; its pong proves the connection alive (stall), but only records prove the feed alive
 * (idle).
 *
 * <p>Positions are the feed's own, read at {@code source.position_path} (a {@code seq} field); control messages
 * ({@code source.control_path}/{@code source.control_values}) and unreadable ones never move it. The resume position
 * goes in {@code source.resume_param} or in {@code ${position}} of the subscribe message: after a reconnect the last
 * position received, after a restart the last committed one, before any position {@code source.initial_position}
 * (or nothing). The {@code @frame_index} fallback counts every message from 0 instead and sends the index of the
 * next one, which is right only for a feed that sends nothing but records.
 */
public final class WebSocketSource extends PushSource {
    public static final String TYPE = "websocket";

    private URI uri;
    private String resumeParam;
    private String initialPosition;
    private boolean countsFrames;
    private HttpClient client;
    private Settings settings;
    private final AtomicLong nextFrame = new AtomicLong();
    private volatile WebSocketConnection current;

    /** What a connection needs from the source's config. */
    record Settings(Duration connectTimeout, Duration pingInterval) {
    }

    /** Resumes after {@link io.sluice.ingest.source.SourceContext#resumeFrom()} if the pipeline has a position. */
    public WebSocketSource() {
        this(null);
    }

    /** Resumes after {@code committed}; null as {@link #WebSocketSource()}. */
    public WebSocketSource(SourcePosition committed) {
        this(committed, Ticker.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    WebSocketSource(SourcePosition committed, Ticker ticker, DoubleSupplier random) {
        super("WebSocket", committed, ticker, random);
    }

    @Override
    protected PushRecordDecoder decoder(PipelineConfig config) {
        String path = PipelineConfig.FRAME_INDEX.equals(config.sourcePositionPath()) ? null : config.sourcePositionPath();
        return new PushRecordDecoder(config.sourceRecordsPath(), config.recordKey(), path, config.sourceControlPath(),
                config.sourceControlValues());
    }

    @Override
    protected void configure(PipelineConfig config) {
        uri = URI.create(config.sourceUrl());
        resumeParam = config.sourceResumeParam();
        initialPosition = config.sourceInitialPosition();
        countsFrames = PipelineConfig.FRAME_INDEX.equals(config.sourcePositionPath());
        settings = new Settings(config.sourceTimeout(), config.sourcePingInterval());
        subscribeTemplate = config.sourceSubscribeMessage();
        client = SourceTls.httpClient(config).connectTimeout(config.sourceTimeout()).build();
        if (countsFrames) {
            nextFrame.set(firstFrame());
        }
    }

    private String subscribeTemplate;

    /**
     * What goes in the resume parameter or placeholder now: the last position received (with frame counting, the
     * next index), else {@code source.initial_position}, else nothing.
     */
    Optional<String> resumeValue() {
        Optional<SourcePosition> last = resumePosition();
        if (last.isPresent()) {
            return Optional.of(countsFrames ? Long.toString(frameOf(last.get()) + 1) : last.get().value());
        }
        return Optional.ofNullable(initialPosition);
    }

    /** The subscribe message for this connect, its placeholder filled in; null when none is configured. */
    String subscribeMessage() {
        if (subscribeTemplate == null) {
            return null;
        }
        return subscribeTemplate.replace(PipelineConfig.POSITION_PLACEHOLDER, resumeValue().orElse("null"));
    }

    @Override
    protected Ended session() throws InterruptedException {
        URI target = uri;
        Optional<String> resume = resumeValue();
        if (resumeParam != null && resume.isPresent()) {
            target = Urls.withQueryParam(uri, resumeParam, resume.get());
        }
        ApiCredentials.Authorization authorization;
        try {
            authorization = credentials().authorizationNow();
        } catch (java.io.IOException e) {
            return couldNotConnect(e);
        }
        WebSocketConnection connection = new WebSocketConnection(this, settings, ticker, subscribeMessage());
        current = connection;
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(settings.connectTimeout());
        authorization.forEachHeader(builder::header);
        builder.buildAsync(authorization.applyTo(target), connection)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        connection.ended(handshakeFailed(authorization, error));
                    }
                });
        return connection.awaitEnd();
    }

    /** A 401 on the upgrade request is a credential problem; anything else an outage (or an untrusted certificate). */
    private Ended handshakeFailed(ApiCredentials.Authorization authorization, Throwable error) {
        Throwable cause = ApiCredentials.unwrap(error);
        if (cause instanceof WebSocketHandshakeException handshake && handshake.getResponse().statusCode() == 401) {
            return unauthorized(authorization, 401);
        }
        return couldNotConnect(error);
    }

    @Override
    protected void abortSession() {
        WebSocketConnection connection = current;
        if (connection != null) {
            connection.abort(Ended.because(Cause.ERROR, "aborted"));
        }
    }

    @Override
    protected void closeSession() {
        WebSocketConnection connection = current;
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    protected void onTick() {
        WebSocketConnection connection = current;
        if (connection != null) {
            connection.pingIfDue();
        }
    }

    // ---- called by WebSocketConnection, on the JDK client's threads ----

    boolean isCurrent(WebSocketConnection connection) {
        return current == connection && !isStopped();
    }

    void opened() {
        connectionOpened();
    }

    void awaitingFrame() {
        waitingForInput();
    }

    void handlingFrame() {
        notWaiting();
    }

    /** A complete message: decode and hand it over; {@code next} asks for the following one once it is in. */
    void deliver(byte[] message, Runnable next) {
        SourcePosition given = countsFrames ? SourcePosition.of(Long.toString(nextFrame.getAndIncrement())) : null;
        receive(message, given, next);
    }

    /** With frame counting: after the committed or received index, else the index already in the URL, else 0. */
    private long firstFrame() {
        Optional<SourcePosition> last = resumePosition();
        if (last.isPresent()) {
            return frameOf(last.get()) + 1;
        }
        String start = initialPosition != null ? initialPosition
                : resumeParam == null ? null : Urls.queryParam(uri, resumeParam).orElse(null);
        try {
            return start == null ? 0 : Long.parseLong(start);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`source.position_path` " + PipelineConfig.FRAME_INDEX + " counts "
                    + "messages, so the start index must be a whole number; got '" + start + "'");
        }
    }

    private static long frameOf(SourcePosition position) {
        try {
            return Long.parseLong(position.value());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`source.position_path` " + PipelineConfig.FRAME_INDEX + " needs a "
                    + "whole-number position to resume after; got '" + position.value() + "' (was the position store "
                    + "written with another `source.position_path`?)");
        }
    }
}
