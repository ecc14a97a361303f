package io.sluice.ingest.source.websocket;

import io.sluice.ingest.source.push.LoopbackServer;
import io.sluice.ingest.source.push.WebSocketWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A feed that streams the moment it accepts a connection, as many public market and event feeds do: right after the
 * 101 answer, {@code perConnection} messages ({@code seq}, a key and ~1 KiB of padding), one write each, then a normal
 * close. {@code ?from=<seq>} resumes after a position. The messages land on a client while it is still switching the
 * connection from HTTP to WebSocket.
 */
final class EagerWebSocketServer implements AutoCloseable {
    private static final Pattern FROM = Pattern.compile("[?&]from=(\\d+)");
    private static final String PADDING = "x".repeat(1000);

    private final LoopbackServer server;
    private final int perConnection;
    private final int total;

    EagerWebSocketServer(int perConnection, int total) throws IOException {
        this.perConnection = perConnection;
        this.total = total;
        server = new LoopbackServer("eager-ws", this::handle);
    }

    String url() {
        return "ws://127.0.0.1:" + server.port() + "/stream";
    }

    /** The message with sequence number {@code seq}, as the server sends it. */
    static String message(long seq) {
        return "{\"seq\":" + seq + ",\"login\":{\"uuid\":\"user-" + seq + "\"},\"pad\":\"" + PADDING + "\"}";
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            WebSocketWire.Request request = WebSocketWire.readRequest(in);
            Matcher from = FROM.matcher(request.target());
            long first = from.find() ? Long.parseLong(from.group(1)) + 1 : 0;
            OutputStream out = socket.getOutputStream();
            WebSocketWire.accept(request, out);
            for (long seq = first; seq < Math.min(first + perConnection, total); seq++) {
                WebSocketWire.writeText(out, message(seq)); // one write each, no pause after the handshake answer
            }
            WebSocketWire.writeClose(out, 1000, "burst sent");
            out.flush();
            while (in.read() >= 0) {
                // until the client answers the close and hangs up
            }
        } catch (IOException e) {
            // the client went away; nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
