package io.sluice.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny randomuser.me look-alike for ITs: {@code pages} pages of {@code perPage} users with unique
 * {@code login.uuid}s, then empty pages. The first call answers 503 (the source must retry), and the second page
 * carries two malformed elements (a user without uuid, a bare number) that must be counted, not sent.
 */
final class FakeUsersApi implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final int pages;
    private final int perPage;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger pagesServed = new AtomicInteger();
    private final Set<String> servedUuids = ConcurrentHashMap.newKeySet();

    FakeUsersApi(int pages, int perPage) throws IOException {
        this.pages = pages;
        this.perPage = perPage;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/?results=" + perPage;
    }

    Set<String> servedUuids() {
        return Set.copyOf(servedUuids);
    }

    int calls() {
        return calls.get();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        int call = calls.incrementAndGet();
        if (call == 1) {
            respond(exchange, 503, "{\"error\":\"warming up\"}".getBytes());
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode results = body.putArray("results");
        int page = pagesServed.get() < pages ? pagesServed.incrementAndGet() : 0;
        if (page > 0) {
            for (int i = 0; i < perPage; i++) {
                results.add(user(UUID.randomUUID().toString(), page, i));
            }
            if (page == 2) {
                ObjectNode noKey = user("x", page, -1);
                ((ObjectNode) noKey.get("login")).remove("uuid");
                results.add(noKey);
                results.add(42);
            }
        }
        body.putObject("info").put("page", page).put("results", results.size());
        respond(exchange, 200, MAPPER.writeValueAsBytes(body));
    }

    private ObjectNode user(String uuid, int page, int index) {
        if (!uuid.equals("x")) {
            servedUuids.add(uuid);
        }
        ObjectNode user = MAPPER.createObjectNode();
        user.put("gender", index % 2 == 0 ? "female" : "male");
        user.putObject("name").put("title", "Ms").put("first", "First" + index).put("last", "Last" + page);
        user.put("email", "user" + page + "_" + index + "@example.com");
        user.putObject("login").put("uuid", uuid).put("username", "user" + page + "_" + index);
        user.putObject("dob").put("date", "1990-01-01T00:00:00.000Z").put("age", 35);
        user.put("phone", "555-0100");
        return user;
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
