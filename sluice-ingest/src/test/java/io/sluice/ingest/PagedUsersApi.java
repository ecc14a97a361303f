package io.sluice.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.demoapi.UserGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real local HTTP API (JDK server on 127.0.0.1) that pages the demo API's users by cursor, which the demo API itself
 * does not: {@code GET /users?results=n[&cursor=p]} answers page p (from 0) in randomuser.me's shape plus
 * {@code "next": "p+1"}, or {@code "next": null} on the last page.
 *
 * <p>Faults are scripted per page so a test knows exactly what it must ride out: the first request for pages 2, 12,
 * 22, … is a 429 with {@code Retry-After: 1}, for pages 5, 15, … a 503 without Retry-After, for pages 8, 18, … a 500.
 */
final class PagedUsersApi implements AutoCloseable {
    static final long RETRY_AFTER_SECONDS = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern CURSOR = Pattern.compile("(?:^|&)cursor=(\\d+)");

    /** One request as the server saw it: the page asked for, the status answered, when it arrived. */
    record Served(int page, int status, long atNanos) {
    }

    private final UserGenerator users;
    private final int total;
    private final int perPage;
    private final HttpServer server;
    private final Map<Integer, AtomicInteger> requestsPerPage = new ConcurrentHashMap<>();
    private final List<Served> served = new CopyOnWriteArrayList<>();

    PagedUsersApi(String seed, int total, int perPage) throws IOException {
        this.users = new UserGenerator(seed);
        this.total = total;
        this.perPage = perPage;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/users", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/users?results=" + perPage;
    }

    int pages() {
        return (total + perPage - 1) / perPage;
    }

    List<Served> served() {
        return List.copyOf(served);
    }

    long countOf(int status) {
        return served.stream().filter(s -> s.status() == status).count();
    }

    /** Pages answered with 200 at least once. */
    Set<Integer> pagesServed() {
        Set<Integer> pages = new TreeSet<>();
        served.stream().filter(s -> s.status() == 200).forEach(s -> pages.add(s.page()));
        return pages;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            Matcher m = CURSOR.matcher(query == null ? "" : query);
            int page = m.find() ? Integer.parseInt(m.group(1)) : 0;
            int attempt = requestsPerPage.computeIfAbsent(page, p -> new AtomicInteger()).incrementAndGet();
            int status = attempt == 1 ? injectedStatus(page) : 200;
            served.add(new Served(page, status, System.nanoTime()));
            if (status == 429) {
                exchange.getResponseHeaders().add("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
            }
            if (status != 200) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            byte[] body = MAPPER.writeValueAsBytes(page(page));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static int injectedStatus(int page) {
        return switch (page % 10) {
            case 2 -> 429;
            case 5 -> 503;
            case 8 -> 500;
            default -> 200;
        };
    }

    private ObjectNode page(int page) {
        long first = (long) page * perPage;
        int count = (int) Math.max(0, Math.min(perPage, total - first));
        ObjectNode body = users.response(first, count, page + 1, true);
        if (page + 1 < pages()) {
            body.put("next", Integer.toString(page + 1));
        } else {
            body.putNull("next");
        }
        return body;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
