package io.sluice.ingest.source.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local API that wants an OAuth2 bearer token, and the token endpoint that grants it (client credentials, HTTP Basic
 * client authentication), on one JDK HTTP server. Tokens expire after {@code tokenLifetime} and the API refuses them
 * {@code grace} later (clocks differ; so do real servers). It serves {@code records} numbered records {@code {"seq":n,
 * "id":"user-n"}}:
 * <ul>
 *   <li>{@code GET /api/users?cursor=n}: a page of {@code pageSize} records from n, with {@code next_cursor};</li>
 *   <li>{@code GET /sse}: the records as SSE events with {@code id: n}, one every {@code eventEvery}, resuming after
 *       {@code Last-Event-ID}; the stream ends when its token expires, so the client must reconnect with a new one.</li>
 * </ul>
 * It counts the tokens it granted, and remembers every token and secret it saw, so tests can search for them.
 */
public final class OAuth2ProtectedApi implements AutoCloseable {
    public static final String CLIENT_ID = "sluice-ingest";

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String clientSecret;
    private final Duration tokenLifetime;
    private final Duration grace;
    private final int records;
    private final int pageSize;
    private final Duration eventEvery;
    private final Map<String, Long> tokenExpiry = new ConcurrentHashMap<>();
    private final List<String> granted = new CopyOnWriteArrayList<>();
    private final AtomicLong grants = new AtomicLong();
    private final AtomicLong refusedTokens = new AtomicLong();
    private final AtomicLong refusedClients = new AtomicLong();
    private final AtomicInteger revokeNext = new AtomicInteger();
    private final AtomicLong sseConnections = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    public OAuth2ProtectedApi(String clientSecret, Duration tokenLifetime, Duration grace, int records, int pageSize,
                              Duration eventEvery) throws IOException {
        this.clientSecret = clientSecret;
        this.tokenLifetime = tokenLifetime;
        this.grace = grace;
        this.records = records;
        this.pageSize = pageSize;
        this.eventEvery = eventEvery;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/oauth/token", this::token);
        server.createContext("/api/users", this::users);
        server.createContext("/sse", this::sse);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String tokenUrl() {
        return baseUrl() + "/oauth/token";
    }

    /** Tokens granted so far. */
    public long grants() {
        return grants.get();
    }

    /** Every token granted: what must never show up in a log. */
    public List<String> grantedTokens() {
        return List.copyOf(granted);
    }

    /** API requests refused for a missing, unknown, expired or revoked token. */
    public long refusedTokens() {
        return refusedTokens.get();
    }

    public long refusedClients() {
        return refusedClients.get();
    }

    public long sseConnections() {
        return sseConnections.get();
    }

    /** The next {@code n} API requests are refused with 401 whatever token they carry (a revoked token). */
    public void revokeNext(int n) {
        revokeNext.set(n);
    }

    private void token(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!"POST".equals(exchange.getRequestMethod()) || !form.contains("grant_type=client_credentials")) {
            send(exchange, 400, "{\"error\":\"invalid_request\"}", "application/json");
            return;
        }
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            refusedClients.incrementAndGet();
            send(exchange, 401, "{\"error\":\"invalid_client\"}", "application/json");
            return;
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "tok-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokenExpiry.put(token, System.nanoTime() + tokenLifetime.toNanos());
        granted.add(token);
        grants.incrementAndGet();
        long seconds = Math.max(1, tokenLifetime.toSeconds());
        send(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + seconds + "}",
                "application/json");
    }

    /** The token's expiry (System.nanoTime) when the request carries one the API accepts, else null. */
    private Long accepted(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Long expiry = header == null || !header.startsWith("Bearer ") ? null : tokenExpiry.get(header.substring(7));
        boolean revoked = revokeNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        if (expiry == null || revoked || System.nanoTime() > expiry + grace.toNanos()) {
            refusedTokens.incrementAndGet();
            return null;
        }
        return expiry;
    }

    private void users(HttpExchange exchange) throws IOException {
        if (accepted(exchange) == null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            send(exchange, 401, "{\"error\":\"invalid_token\"}", "application/json");
            return;
        }
        int from = Integer.parseInt(query(exchange).getOrDefault("cursor", "0"));
        int to = Math.min(records, from + pageSize);
        StringBuilder body = new StringBuilder("{\"results\":[");
        for (int seq = from; seq < to; seq++) {
            body.append(seq == from ? "" : ",").append(record(seq));
        }
        body.append("],\"next_cursor\":\"").append(to).append("\"}");
        send(exchange, 200, body.toString(), "application/json");
    }

    private void sse(HttpExchange exchange) throws IOException {
        Long expiry = accepted(exchange);
        if (expiry == null) {
            send(exchange, 401, "", "text/plain");
            return;
        }
        sseConnections.incrementAndGet();
        String last = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        int next = last == null || last.isBlank() ? 0 : Integer.parseInt(last.trim()) + 1;
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            while (next < records && System.nanoTime() < expiry + grace.toNanos()) {
                out.write(("id: " + next + "\ndata: " + record(next) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                next++;
                Thread.sleep(eventEvery.toMillis());
            }
            if (next >= records) {
                // All sent: idle until the token expires, then end the stream like a server that enforces expiry.
                while (System.nanoTime() < expiry + grace.toNanos()) {
                    out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientLeft) {
            // the client closed the stream: nothing to do
        }
    }

    static String record(int seq) {
        return "{\"seq\":" + seq + ",\"id\":\"user-" + seq + "\"}";
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
