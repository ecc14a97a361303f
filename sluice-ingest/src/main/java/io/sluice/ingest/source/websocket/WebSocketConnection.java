package io.sluice.ingest.source.websocket;

import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.push.PushSupport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket connection of a {@link WebSocketSource}: the JDK listener. Demand is one frame at a time; after a
 * complete message the next frame is requested only once the message's records are in the hand-off (backpressure).
 * Fragments of a text or binary message are accumulated until {@code last}. Callbacks from a connection that is no
 * longer current (aborted for a stall, superseded) are ignored, so a late message cannot arrive twice.
 */
final class WebSocketConnection implements WebSocket.Listener {
    /** Largest message accumulated from fragments; a bigger one fails the connection rather than memory. */
    static final int MAX_MESSAGE_BYTES = 16 << 20;

    private final WebSocketSource source;
    private final WebSocketSource.Settings settings;
    private final Ticker ticker;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private volatile WebSocket webSocket;
    private volatile long lastPingAt;
    private boolean receivedAny;

    WebSocketConnection(WebSocketSource source, WebSocketSource.Settings settings, Ticker ticker) {
        this.source = source;
        this.settings = settings;
        this.ticker = ticker;
    }

    @Override
    public void onOpen(WebSocket ws) {
        webSocket = ws;
        lastPingAt = ticker.nanoTime();
        if (!source.isCurrent(this)) {
            ws.abort();
            return;
        }
        if (settings.subscribeMessage() != null) {
            ws.sendText(settings.subscribeMessage(), true).whenComplete((ignored, error) -> {
                if (error != null) {
                    ended("could not send `source.subscribe_message`: " + PushSupport.describe(error));
                }
            });
        }
        demandNext();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (text.length() > MAX_MESSAGE_BYTES) {
            abort("sent a text message over " + MAX_MESSAGE_BYTES + " characters; reconnecting");
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
            abort("sent a binary message over " + MAX_MESSAGE_BYTES + " bytes; reconnecting");
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
        ended("closed by the server with code " + statusCode + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")")
                + "; reconnecting");
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        ended("failed: " + PushSupport.describe(error) + "; reconnecting");
    }

    /** A whole message arrived: claim its index unless this connection was given up meanwhile, then hand it over. */
    private void complete(byte[] message) {
        long index;
        synchronized (this) {
            if (ended.get() || !source.isCurrent(this)) {
                return;
            }
            index = source.claimIndex();
        }
        source.stallWatch().paused(); // until the records are in, silence is our doing, not the server's
        if (!receivedAny) {
            receivedAny = true;
            source.connectionWorks();
        }
        source.deliver(message, index, this::demandNext);
    }

    private void demandNext() {
        WebSocket ws = webSocket;
        if (ws == null || ended.get() || !source.isCurrent(this)) {
            return;
        }
        source.stallWatch().expecting();
        ws.request(1);
    }

    /** Scheduler thread: one ping per {@code source.ping_interval}; a pong (or any frame) proves the peer alive. */
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

    /** Gives up on this connection at once (stall, oversized message) and reconnects. */
    void abort(String reason) {
        WebSocket ws = webSocket;
        ended(reason);
        if (ws != null) {
            ws.abort();
        }
    }

    /** Stop: a polite close frame, then the socket is dropped without waiting long for the server's answer. */
    void close() {
        ended.set(true);
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "sluice source stopping")
                    .orTimeout(1, TimeUnit.SECONDS)
                    .whenComplete((ignored, error) -> ws.abort());
        }
    }

    synchronized void ended(String reason) {
        if (ended.compareAndSet(false, true)) {
            source.connectionEnded(this, reason);
        }
    }
}
