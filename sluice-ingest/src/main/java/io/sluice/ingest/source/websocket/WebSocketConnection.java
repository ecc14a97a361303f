package io.sluice.ingest.source.websocket;

import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.PushSupport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket connection of a {@link WebSocketSource}: the JDK listener. Demand is one frame at a time; after a
 * complete message the next frame is requested only once the message's items are in the hand-off (backpressure).
 * Fragments of a text or binary message are accumulated until {@code last}. Callbacks from a connection that is no
 * longer current (aborted for a stall, superseded) are ignored, and a message is handed over under the same lock that
 * ends the connection: once {@link #awaitEnd} returned, no message of this connection moves the position any more, so
 * the next connection's resume position is final.
 */
final class WebSocketConnection implements WebSocket.Listener {
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
    private volatile WebSocket webSocket;
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
    public void onOpen(WebSocket ws) {
        webSocket = ws;
        lastPingAt = ticker.nanoTime();
        if (!source.isCurrent(this)) {
            ws.abort();
            return;
        }
        source.opened();
        if (subscribeMessage != null) {
            ws.sendText(subscribeMessage, true).whenComplete((ignored, error) -> {
                if (error != null) {
                    abort(PushSource.Ended.because(PushSource.Cause.ERROR,
                            "could not send `source.subscribe_message`: " + PushSupport.describe(error)));
                }
            });
        }
        demandNext();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (text.length() > MAX_MESSAGE_BYTES) {
            abort(PushSource.Ended.because(PushSource.Cause.REFUSED,
                    "sent a text message over " + MAX_MESSAGE_BYTES + " characters"));
            return null;
        }
        if (!last) {
            demandNext();
            return null;
        }
        byte[] message = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        complete(message);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        // Copy now: the client may reuse the buffer as soon as this method returns.
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.write(chunk, 0, chunk.length);
        if (binary.size() > MAX_MESSAGE_BYTES) {
            abort(PushSource.Ended.because(PushSource.Cause.REFUSED,
                    "sent a binary message over " + MAX_MESSAGE_BYTES + " bytes"));
            return null;
        }
        if (!last) {
            demandNext();
            return null;
        }
        byte[] message = binary.toByteArray();
        binary.reset();
        complete(message);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        demandNext(); // the client answers the ping with a pong by itself
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        demandNext();
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        ended(PushSource.Ended.because(PushSource.Cause.CLOSED, "closed by the server with code " + statusCode
                + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")")));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        ended(PushSource.Ended.because(PushSource.Cause.ERROR, "failed: " + PushSupport.describe(error)));
    }

    /** A whole message arrived: hand it over unless this connection was given up meanwhile. */
    private synchronized void complete(byte[] message) {
        if (ended.get() || !source.isCurrent(this)) {
            return;
        }
        source.handlingFrame(); // until the items are in, silence is our doing, not the server's
        source.deliver(message, this::demandNext);
    }

    private void demandNext() {
        WebSocket ws = webSocket;
        if (ws == null || ended.get() || !source.isCurrent(this)) {
            return;
        }
        source.awaitingFrame();
        ws.request(1);
    }

    /** Watchdog thread: one ping per {@code source.ping_interval}; a pong (or any frame) proves the peer alive. */
    void pingIfDue() {
        WebSocket ws = webSocket;
        if (ws == null || ended.get()) {
            return;
        }
        long now = ticker.nanoTime();
        if (now - lastPingAt < settings.pingInterval().toNanos()) {
            return;
        }
        lastPingAt = now;
        try {
            ws.sendPing(ByteBuffer.allocate(0));
        } catch (IllegalStateException previousPingStillPending) {
            // the peer is slow to take our frames; the stall check decides whether it is gone
        }
    }

    /** Gives up on this connection at once (stall, idle, oversized message); the source reconnects. */
    void abort(PushSource.Ended why) {
        WebSocket ws = webSocket;
        ended(why);
        if (ws != null) {
            ws.abort();
        }
    }

    /** Stop: a polite close frame, then the socket is dropped without waiting long for the server's answer. */
    void close() {
        ended(PushSource.Ended.because(PushSource.Cause.CLOSED, "stopped"));
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "sluice source stopping")
                    .orTimeout(1, TimeUnit.SECONDS)
                    .whenComplete((ignored, error) -> ws.abort());
        }
    }

    synchronized void ended(PushSource.Ended why) {
        if (ended.compareAndSet(false, true)) {
            end.complete(why);
        }
    }
}
