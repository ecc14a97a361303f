package io.sluice.ingest.source.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal hand-written WebSocket server for failure cases the demo API cannot stage: per connection it reads the
 * client's first message (the subscribe message), sends one text message and one binary message split in two
 * fragments, then goes silent: no more frames, and no pongs to the client's pings.
 */
final class SilentWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket serverSocket;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    final List<String> subscribeMessages = new CopyOnWriteArrayList<>();

    SilentWebSocketServer() throws IOException {
        serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "silent-ws-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "ws://127.0.0.1:" + serverSocket.getLocalPort() + "/stream";
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                sockets.add(socket);
                Thread handler = new Thread(() -> handle(socket), "silent-ws-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String key = handshakeKey(in);
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            subscribeMessages.add(readClientText(in));
            int n = connections.incrementAndGet();
            writeFrame(out, 0x81, "{\"login\": {\"uuid\": \"text-" + n + "\"}}");
            String binary = "{\"login\": {\"uuid\": \"binary-" + n + "\"}}";
            int half = binary.length() / 2;
            writeFrame(out, 0x02, binary.substring(0, half)); // binary, not final
            writeFrame(out, 0x80, binary.substring(half));    // continuation, final
            out.flush();
            // Now silent: never read the client's pings, never answer them.
        } catch (Exception e) {
            // the client went away; nothing to do
        }
    }

    private static String handshakeKey(InputStream in) throws IOException {
        String key = null;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        if (key == null) {
            throw new IOException("no Sec-WebSocket-Key in the handshake");
        }
        return key;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("handshake ended early");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** One masked client frame with a payload under 64 KiB. */
    private static String readClientText(InputStream in) throws IOException {
        in.read(); // FIN + opcode
        int length = in.read() & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        }
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes(length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    private static void writeFrame(OutputStream out, int firstByte, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.write(firstByte);
        out.write(payload.length); // < 126 in this test
        out.write(payload);
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
