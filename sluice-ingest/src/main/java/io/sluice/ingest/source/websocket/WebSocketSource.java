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
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.http.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * {@code source.type=websocket}: keeps a WebSocket ({@code source.url}, ws/wss) open, sends
 * {@code source.subscribe_message} after every connect, and turns each text or binary message (UTF-8 JSON) into
 * records ({@code source.records_path}, {@code record.key}). Reading, watchdogs, reconnects and positions are
 * {@link PushSource}'s; this class speaks WebSocket.
 *
 * <p>The client is Jetty's, not the JDK's: the JDK client (17) can lose the bytes that arrive while it hands the
 * connection over from HTTP to WebSocket, so a feed that streams the moment it accepts a connection had a message
 * spliced with one ~32 KiB later, under load (SourcesToKafkaIT caught it). Backpressure is real:
 * {@link WebSocketConnection} suspends reading after each message until its items are in the {@link RecordHandoff}. A ping goes out every
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
    private WebSocketClient client;
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
        client = startClient(config);
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
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
        upgrade.setTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS); // connect and handshake
        authorization.forEachHeader(upgrade::setHeader);
        try {
            client.connect(connection, authorization.applyTo(target), upgrade)
                    .whenComplete((session, error) -> {
                        if (error != null) {
                            connection.ended(handshakeFailed(authorization, error));
                        }
                    });
        } catch (IOException | RuntimeException e) {
            connection.ended(handshakeFailed(authorization, e));
        }
        return connection.awaitEnd();
    }

    /** A 401 on the upgrade request is a credential problem; anything else an outage (or an untrusted certificate). */
    private Ended handshakeFailed(ApiCredentials.Authorization authorization, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof UpgradeException upgrade && upgrade.getResponseStatusCode() == 401
                    || cause instanceof org.eclipse.jetty.websocket.core.exception.UpgradeException coreUpgrade
                    && coreUpgrade.getResponseStatusCode() == 401) {
                return unauthorized(authorization, 401);
            }
        }
        return couldNotConnect(error);
    }

    /**
     * Jetty's client with this source's TLS ({@link SourceTls}), frames up to the message limit, daemon threads, and
     * no idle timeout of its own: the stall and idle watches decide when a connection is dead.
     */
    private static WebSocketClient startClient(PipelineConfig config) {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (SourceTls.configured(config)) {
            tls.setSslContext(SourceTls.context(config));
        }
        tls.setEndpointIdentificationAlgorithm(config.sourceTlsVerifyHostname() ? "HTTPS" : null);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("sluice-websocket-" + config.name());
        threads.setDaemon(true);
        connector.setExecutor(threads);
        connector.setScheduler(new ScheduledExecutorScheduler("sluice-websocket-" + config.name() + "-timer", true));
        connector.setConnectTimeout(config.sourceTimeout());
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        WebSocketClient client = new WebSocketClient(http);
        client.setIdleTimeout(Duration.ZERO);
        client.setMaxFrameSize(WebSocketConnection.MAX_MESSAGE_BYTES);
        client.setMaxTextMessageSize(WebSocketConnection.MAX_MESSAGE_BYTES);
        client.setMaxBinaryMessageSize(WebSocketConnection.MAX_MESSAGE_BYTES);
        client.setStopTimeout(1_000); // a close frame the server does not answer within 1 s is dropped at stop
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the WebSocket client: " + PushSupport.describe(e), e);
        }
        return client;
    }

    @Override
    protected void released() {
        if (client == null) {
            return; // configure failed before the client started
        }
        try {
            client.stop();
        } catch (Exception e) {
            // stopping: nothing is left to read, and a client that cannot stop cleanly holds only daemon threads
        }
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
