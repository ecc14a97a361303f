package io.sluice.ingest.source.websocket;

import io.sluice.ingest.source.push.LoopbackServer;
import io.sluice.ingest.source.push.WebSocketWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal hand-written WebSocket server for failure cases the demo API cannot stage: per connection it reads the
 * client's first message (the subscribe message), sends one text message and one binary message split in two
 * fragments, then goes silent: no more frames, and no pongs to the client's pings.
 */
final class SilentWebSocketServer implements AutoCloseable {
    private final LoopbackServer server;
    private final AtomicInteger connections = new AtomicInteger();
    final List<String> subscribeMessages = new CopyOnWriteArrayList<>();

    SilentWebSocketServer() throws IOException {
        server = new LoopbackServer("silent-ws", this::handle);
    }

    String url() {
        return "ws://127.0.0.1:" + server.port() + "/stream";
    }

    int connections() {
        return connections.get();
    }

    private void handle(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            WebSocketWire.accept(WebSocketWire.readRequest(in), out);
            subscribeMessages.add(WebSocketWire.readFrame(in).text());
            int n = connections.incrementAndGet();
            WebSocketWire.writeText(out, "{\"login\": {\"uuid\": \"text-" + n + "\"}}");
            byte[] binary = ("{\"login\": {\"uuid\": \"binary-" + n + "\"}}").getBytes(StandardCharsets.UTF_8);
            int half = binary.length / 2;
            WebSocketWire.writeFrame(out, WebSocketWire.BINARY, false, Arrays.copyOfRange(binary, 0, half));
            WebSocketWire.writeFrame(out, 0, true, Arrays.copyOfRange(binary, half, binary.length)); // continuation
            out.flush();
            // Now silent: never read the client's pings, never answer them.
        } catch (Exception e) {
            // the client went away; nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
