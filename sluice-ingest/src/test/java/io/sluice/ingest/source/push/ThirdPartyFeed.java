package io.sluice.ingest.source.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A feed we did not write, over plain sockets (SSE or WebSocket) or gRPC ({@link GrpcFeed}), that behaves the way
 * real third-party feeds do:
 * <ul>
 *   <li>it numbers its own messages ({@code seq}, consecutive from {@link #FIRST_SEQ}) and resumes after the one named
 *       by {@code ?since=} (WebSocket) or {@code Last-Event-ID} (SSE);</li>
 *   <li>it interleaves messages that are not records: heartbeats and acks (WebSocket control messages; SSE
 *       {@code event: ping} and {@code : keepalive} comments), a non-JSON status line on every connection, and every
 *       {@code keylessEvery}-th numbered message has no key;</li>
 *   <li>it drops connections both ways, alternately: a TCP reset, and a proper goodbye (a WebSocket close frame, the
 *       end of an SSE response);</li>
 *   <li>once, it goes silent: no more records on that connection, but it still answers pings (WebSocket) and sends
 *       keepalives and ping events (SSE), so only a watch on records notices.</li>
 * </ul>
 * Record payloads are {@code {"seq":N,"id":"user-N","name":"..."}}; keyless ones lack {@code id}.
 */
public final class ThirdPartyFeed implements AutoCloseable {
    public enum Protocol { SSE, WEBSOCKET, GRPC }

    public static final long FIRST_SEQ = 1000;
    public static final String STATUS_LINE = "STATUS feed ready";

    private final Protocol protocol;
    private final long total;
    private final int dropEvery;
    private final int silentConnection;
    private final int keylessEvery;
    private final LoopbackServer server;
    private final GrpcFeed grpc;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger statusLines = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger goodbyes = new AtomicInteger();
    private final Set<Long> keyless = new ConcurrentSkipListSet<>();
    /** Per connection, the position it resumed after ({@code ""} for none). */
    public final List<String> resumedAfter = new CopyOnWriteArrayList<>();
    /** Text messages clients sent (WebSocket subscribe messages). */
    public final List<String> subscribeMessages = new CopyOnWriteArrayList<>();
    private volatile boolean silentSpellDone;

    /**
     * @param total            numbered messages in the feed
     * @param dropEvery        records per connection before it is dropped (0: never)
     * @param silentConnection the connection (1-based) that goes silent after a few records (0: none)
     * @param keylessEvery     every n-th seq has no key (0: none)
     */
    public ThirdPartyFeed(Protocol protocol, long total, int dropEvery, int silentConnection, int keylessEvery)
            throws IOException {
        this.protocol = protocol;
        this.total = total;
        this.dropEvery = dropEvery;
        this.silentConnection = silentConnection;
        this.keylessEvery = keylessEvery;
        if (protocol == Protocol.GRPC) {
            server = null;
            grpc = new GrpcFeed(this);
            return;
        }
        grpc = null;
        server = new LoopbackServer("third-party-feed", this::serve);
    }

    public String url() {
        if (grpc != null) {
            return "grpc://127.0.0.1:" + grpc.port();
        }
        String scheme = protocol == Protocol.SSE ? "http" : "ws";
        return scheme + "://127.0.0.1:" + server.port() + "/feed";
    }

    public long lastSeq() {
        return FIRST_SEQ + total - 1;
    }

    public int connections() {
        return connections.get();
    }

    /** Status lines sent (one per connection); each that reached the source is a dead letter. */
    public int statusLinesSent() {
        return statusLines.get();
    }

    public int pongsSent() {
        return pongs.get();
    }

    public int resets() {
        return resets.get();
    }

    public int goodbyes() {
        return goodbyes.get();
    }

    public boolean silentSpellDone() {
        return silentSpellDone;
    }

    /** The seqs sent without a key so far, in order (each must be dead-lettered once). */
    public List<Long> keylessSeqs() {
        return List.copyOf(keyless);
    }

    public boolean isKeyless(long seq) {
        return keylessEvery > 0 && (seq - FIRST_SEQ) % keylessEvery == keylessEvery - 1;
    }

    public static String record(long seq) {
        return "{\"seq\":" + seq + ",\"id\":\"user-" + seq + "\",\"name\":\"User " + seq + "\"}";
    }

    public static String keylessRecord(long seq) {
        return "{\"seq\":" + seq + ",\"name\":\"nobody\"}";
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            WebSocketWire.Request request = WebSocketWire.readRequest(in);
            Connection connection = protocol == Protocol.SSE ? new SseConnection(out) : new WsConnection(request, in, out);
            stream(connection, resumePoint(request), () -> socket.setSoLinger(true, 0)); // close() then sends RST, not FIN
        } catch (IOException | InterruptedException e) {
            // the client went away or the feed was closed
        }
    }

    /** One connection's life: records after {@code after}, with the feed's interludes, drops and silent spell. */
    void stream(Connection connection, long after, Reset reset) throws IOException, InterruptedException {
        {
            int n = connections.incrementAndGet();
            resumedAfter.add(after < FIRST_SEQ ? "" : Long.toString(after));
            connection.open();
            connection.status(STATUS_LINE);
            statusLines.incrementAndGet();
            boolean silent = n == silentConnection && !silentSpellDone;
            int sentHere = 0;
            for (long seq = Math.max(after + 1, FIRST_SEQ); seq <= lastSeq(); seq++) {
                if (silent && sentHere == 5) {
                    silentSpellDone = true; // once is enough: the next connections stream again
                    connection.keepAliveUntilGone();
                    return;
                }
                if (dropEvery > 0 && sentHere == dropEvery) {
                    drop(reset, connection, n);
                    return;
                }
                if (isKeyless(seq)) {
                    keyless.add(seq);
                    connection.record(seq, keylessRecord(seq));
                } else {
                    connection.record(seq, record(seq));
                }
                sentHere++;
                if (seq % 7 == 0) {
                    connection.heartbeat(seq);
                }
                if (seq % 11 == 0) {
                    connection.ack(seq);
                }
            }
            connection.keepAliveUntilGone(); // the end of the feed: nothing more, but still alive
        }
    }

    /** Breaks a connection the rough way (a TCP reset; for gRPC an UNAVAILABLE status). */
    interface Reset {
        void now() throws IOException;
    }

    /** Odd connections end with a TCP reset, even ones with a proper goodbye. */
    private void drop(Reset reset, Connection connection, int n) throws IOException {
        if (n % 2 == 1) {
            resets.incrementAndGet();
            reset.now();
        } else {
            goodbyes.incrementAndGet();
            connection.goodbye();
        }
    }

    private long resumePoint(WebSocketWire.Request request) {
        String value = protocol == Protocol.SSE ? request.header("Last-Event-ID") : queryParam(request.target(), "since");
        if (value == null || value.isBlank() || value.equals("null")) {
            return FIRST_SEQ - 1;
        }
        return Long.parseLong(value.trim());
    }

    private static String queryParam(String target, String name) {
        String query = URI.create(target).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        if (grpc != null) {
            grpc.close();
            return;
        }
        server.close();
    }

    interface Connection {
        void open() throws IOException;

        void status(String line) throws IOException;

        void record(long seq, String json) throws IOException;

        void heartbeat(long seq) throws IOException;

        void ack(long seq) throws IOException;

        void goodbye() throws IOException;

        /** Sends no record any more, but stays alive (keepalives, pongs) until the client goes. */
        void keepAliveUntilGone() throws IOException, InterruptedException;
    }

    private static final class SseConnection implements Connection {
        private final OutputStream out;

        SseConnection(OutputStream out) {
            this.out = out;
        }

        private void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void open() throws IOException {
            write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Connection: close\r\n\r\nretry: 20\n\n");
        }

        @Override
        public void status(String line) throws IOException {
            write("event: user\ndata: " + line + "\n\n"); // a record-typed event whose data is not JSON, without id
        }

        @Override
        public void record(long seq, String json) throws IOException {
            write("id: " + seq + "\nevent: user\ndata: " + json + "\n\n");
        }

        @Override
        public void heartbeat(long seq) throws IOException {
            write("event: ping\ndata: {\"type\":\"heartbeat\"}\n\n");
        }

        @Override
        public void ack(long seq) throws IOException {
            write(": keepalive\n\n");
        }

        @Override
        public void goodbye() throws IOException {
            out.flush(); // Connection: close, no length: closing the socket ends the response cleanly
        }

        @Override
        public void keepAliveUntilGone() throws IOException, InterruptedException {
            while (true) {
                write(": keepalive\n\nevent: ping\ndata: {}\n\n");
                Thread.sleep(100);
            }
        }
    }

    private final class WsConnection implements Connection {
        private final WebSocketWire.Request request;
        private final InputStream in;
        private final OutputStream out;
        private volatile boolean gone;

        WsConnection(WebSocketWire.Request request, InputStream in, OutputStream out) {
            this.request = request;
            this.in = in;
            this.out = out;
        }

        @Override
        public void open() throws IOException {
            WebSocketWire.accept(request, out);
            Thread reader = new Thread(this::answerPings, "third-party-feed-ws-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Reads the client's frames: pings get pongs (even while silent), a close frame gets one back. */
        private void answerPings() {
            try {
                while (true) {
                    WebSocketWire.Frame frame = WebSocketWire.readFrame(in);
                    if (frame.opcode() == WebSocketWire.PING) {
                        synchronized (out) {
                            WebSocketWire.writeFrame(out, WebSocketWire.PONG, true, frame.payload());
                            out.flush();
                        }
                        pongs.incrementAndGet();
                    } else if (frame.opcode() == WebSocketWire.TEXT) {
                        subscribeMessages.add(frame.text());
                    } else if (frame.opcode() == WebSocketWire.CLOSE) {
                        synchronized (out) {
                            WebSocketWire.writeClose(out, 1000, "bye");
                            out.flush();
                        }
                        break;
                    }
                }
            } catch (IOException e) {
                // gone
            }
            gone = true;
        }

        private void send(String text) throws IOException {
            synchronized (out) {
                WebSocketWire.writeText(out, text);
                out.flush();
            }
        }

        @Override
        public void status(String line) throws IOException {
            send(line);
        }

        @Override
        public void record(long seq, String json) throws IOException {
            send(json);
        }

        @Override
        public void heartbeat(long seq) throws IOException {
            send("{\"type\":\"heartbeat\",\"seq\":" + (seq + 500_000) + "}"); // a number that is not a position
        }

        @Override
        public void ack(long seq) throws IOException {
            send("{\"type\":\"ack\",\"seq\":" + seq + "}");
        }

        @Override
        public void goodbye() throws IOException {
            synchronized (out) {
                WebSocketWire.writeClose(out, 1001, "going away");
                out.flush();
            }
        }

        @Override
        public void keepAliveUntilGone() throws InterruptedException {
            while (!gone) {
                Thread.sleep(50); // silent: only the reader thread answers pings
            }
        }
    }
}
