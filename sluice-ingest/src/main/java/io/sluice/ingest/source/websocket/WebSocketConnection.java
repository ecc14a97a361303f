package io.sluice.ingest.source.websocket;

import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.PushSupport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.SuspendToken;
import org.eclipse.jetty.websocket.api.WebSocketPartialListener;
import org.eclipse.jetty.websocket.api.WebSocketPingPongListener;
import org.eclipse.jetty.websocket.api.WriteCallback;

/**
 * One WebSocket connection of a {@link WebSocketSource}: the Jetty listener. After a complete message the connection
 * is suspended until the message's items are in the hand-off (backpressure: Jetty reads no further frame meanwhile).
 * Fragments of a text or binary message are accumulated until the final one. Callbacks from a connection that is no
 * longer current (aborted for a stall, superseded) are ignored, and a message is handed over under the same lock that
 * ends the connection: once {@link #awaitEnd} returned, no message of this connection moves the position any more, so
 * the next connection's resume position is final.
 */
final class WebSocketConnection implements WebSocketPartialListener, WebSocketPingPongListener {
    /** Largest message accumulated from fragments; a bigger one fails the connection rather than memory. */
    static final int MAX_MESSAGE_BYTES = 16 << 20;

    private final WebSocketSource source;
    private final WebSocketSource.Settings settings;
    private final Ticker ticker;
    private final String subscribeMessage;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CompletableFuture<PushSource.Ended> end = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private volatile Session session;
    private volatile long lastPingAt;

    WebSocketConnection(WebSocketSource source, WebSocketSource.Settings settings, Ticker ticker, String subscribeMessage) {
        this.source = source;
        this.settings = settings;
        this.ticker = ticker;
        this.subscribeMessage = subscribeMessage;
    }

    /** Blocks the reader thread until this connection ended; an interrupt aborts it. */
    PushSource.Ended awaitEnd() throws InterruptedException {
        try {
            return end.get();
        } catch (InterruptedException e) {
            abort(PushSource.Ended.because(PushSource.Cause.ERROR, "was interrupted"));
            throw e;
        } catch (ExecutionException e) {
            return PushSource.Ended.because(PushSource.Cause.ERROR, "failed: " + PushSupport.describe(e));
        }
    }

    @Override
    public void onWebSocketConnect(Session opened) {
        session = opened;
        lastPingAt = ticker.nanoTime();
        if (!source.isCurrent(this)) {
            opened.disconnect();
            return;
        }
        source.opened();
        if (subscribeMessage != null) {
            opened.getRemote().sendString(subscribeMessage, new WriteCallback() {
                @Override
                public void writeFailed(Throwable error) {
                    abort(PushSource.Ended.because(PushSource.Cause.ERROR,
                            "could not send `source.subscribe_message`: " + PushSupport.describe(error)));
                }
            });
        }
        frameSeen();
    }

    @Override
    public void onWebSocketPartialText(String data, boolean last) {
        text.append(data);
        if (text.length() > MAX_MESSAGE_BYTES) {
            abort(PushSource.Ended.because(PushSource.Cause.REFUSED,
                    "sent a text message over " + MAX_MESSAGE_BYTES + " characters"));
            return;
        }
        if (!last) {
            frameSeen();
            return;
        }
        byte[] message = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        complete(message);
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer data, boolean last) {
        // Copy now: Jetty reuses the buffer as soon as this method returns.
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.write(chunk, 0, chunk.length);
        if (binary.size() > MAX_MESSAGE_BYTES) {
            abort(PushSource.Ended.because(PushSource.Cause.REFUSED,
                    "sent a binary message over " + MAX_MESSAGE_BYTES + " bytes"));
            return;
        }
        if (!last) {
            frameSeen();
            return;
        }
        byte[] message = binary.toByteArray();
        binary.reset();
        complete(message);
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        // Listening for pings turns off Jetty's automatic answer, so answer here (a copy: the buffer is Jetty's).
        Session current = session;
        if (current != null) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
            current.getRemote().sendPong(copy, WriteCallback.NOOP);
        }
        frameSeen();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        frameSeen();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        String why = reason == null || reason.isEmpty() ? "" : " (" + reason + ")";
        if (statusCode == StatusCode.ABNORMAL) { // no close frame at all: the connection was cut, an error
            ended(PushSource.Ended.because(PushSource.Cause.ERROR, "was cut without a close frame" + why));
        } else {
            ended(PushSource.Ended.because(PushSource.Cause.CLOSED, "closed by the server with code " + statusCode + why));
        }
    }

    @Override
    public void onWebSocketError(Throwable error) {
        ended(PushSource.Ended.because(PushSource.Cause.ERROR, "failed: " + PushSupport.describe(error)));
    }

    /**
     * A whole message arrived: unless this connection was given up meanwhile, stop reading and hand it over; reading
     * resumes once its items are in.
     */
    private synchronized void complete(byte[] message) {
        Session current = session;
        if (ended.get() || !source.isCurrent(this) || current == null) {
            return;
        }
        source.handlingFrame(); // until the items are in, silence is our doing, not the server's
        SuspendToken reading = current.suspend();
        source.deliver(message, () -> {
            if (!ended.get()) {
                source.awaitingFrame();
            }
            reading.resume();
        });
    }

    /** Any frame proves the peer alive; the stall clock restarts while we wait for the next one. */
    private void frameSeen() {
        if (!ended.get() && source.isCurrent(this)) {
            source.awaitingFrame();
        }
    }

    /** Watchdog thread: one ping per {@code source.ping_interval}; a pong (or any frame) proves the peer alive. */
    void pingIfDue() {
        Session current = session;
        if (current == null || ended.get()) {
            return;
        }
        long now = ticker.nanoTime();
        if (now - lastPingAt < settings.pingInterval().toNanos()) {
            return;
        }
        lastPingAt = now;
        // Asynchronous: a peer slow to take our frames must not block the watchdog; the stall check decides.
        current.getRemote().sendPing(ByteBuffer.allocate(0), WriteCallback.NOOP);
    }

    /** Gives up on this connection at once (stall, idle, oversized message); the source reconnects. */
    void abort(PushSource.Ended why) {
        Session current = session;
        ended(why);
        if (current != null) {
            current.disconnect();
        }
    }

    /** Stop: a polite close frame, then the socket is dropped without waiting long for the server's answer. */
    void close() {
        ended(PushSource.Ended.because(PushSource.Cause.CLOSED, "stopped"));
        Session current = session;
        if (current != null) {
            current.close(StatusCode.NORMAL, "sluice source stopping"); // the client's stop drops it if unanswered
        }
    }

    synchronized void ended(PushSource.Ended why) {
        if (ended.compareAndSet(false, true)) {
            end.complete(why);
        }
    }
}
