package io.sluice.demoapi;

import io.javalin.http.Context;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /stream/ws}: one text message per user (the single user object as JSON). {@code ?from=}
 * resumes at an index; {@code rate}, {@code limit}, {@code total}, {@code seed} and {@code fail}
 * work as for SSE. When the stream completes the server closes with 1000 (normal).
 *
 * <p>WebSocket callbacks must not block, so each connection's {@link StreamLoop} runs on the
 * server's stream executor and is cancelled when the client closes.
 */
final class WebSocketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandler.class);

    private final DemoApiSettings settings;
    private final ExecutorService executor;
    private final Map<String, Future<?>> streams = new ConcurrentHashMap<>();

    WebSocketHandler(DemoApiSettings settings, ExecutorService executor) {
        this.settings = settings;
        this.executor = executor;
    }

    /**
     * Runs before the HTTP upgrade, so bad parameters and injected status faults are answered as
     * plain HTTP errors, the way a real gateway refuses a WebSocket.
     */
    void beforeUpgrade(Context ctx) {
        StreamRequest request = StreamRequest.parse(ctx::queryParam, null, settings);
        OptionalInt status = request.faults().rollStatus();
        if (status.isPresent()) {
            throw new InjectedStatusException(status.getAsInt(), request.faults());
        }
    }

    void configure(WsConfig ws) {
        ws.onConnect(this::onConnect);
        ws.onClose(this::onClose);
        ws.onError(ctx -> LOG.debug("WebSocket {} failed: {}", ctx.sessionId(), String.valueOf(ctx.error())));
    }

    private void onConnect(WsConnectContext ctx) {
        StreamRequest request = StreamRequest.parse(ctx::queryParam, null, settings);
        LOG.info("WebSocket client {} connected; streaming seed '{}' from index {}",
                ctx.session.getRemoteAddress(), request.seed(), request.from());
        if (request.exhausted()) {
            ctx.closeSession(StatusCode.NORMAL, "sequence complete");
            return;
        }
        WsSink sink = new WsSink(ctx.session);
        streams.put(ctx.sessionId(), executor.submit(() -> {
            StreamLoop.End end = new StreamLoop(request, settings.heartbeat()).run(sink);
            LOG.debug("WebSocket stream {} ended: {}", ctx.sessionId(), end);
            if (end == StreamLoop.End.COMPLETED) {
                ctx.closeSession(StatusCode.NORMAL, "stream complete");
            }
        }));
    }

    private void onClose(WsCloseContext ctx) {
        Future<?> stream = streams.remove(ctx.sessionId());
        if (stream != null) {
            stream.cancel(true);
        }
    }

    /** Sends over the session's blocking remote endpoint; the stream thread may block, callbacks may not. */
    private static final class WsSink implements EventSink {
        private final Session session;

        WsSink(Session session) {
            this.session = session;
        }

        @Override
        public void send(long index, String userJson) throws IOException {
            session.getRemote().sendString(userJson);
        }

        @Override
        public void heartbeat() throws IOException {
            session.getRemote().sendPing(ByteBuffer.allocate(0));
        }

        @Override
        public void drop() {
            session.disconnect();
        }
    }
}
