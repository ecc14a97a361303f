package io.sluice.ingest.source.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A local JDK HTTP server whose answers a test scripts per request; it records each request's URI and headers. */
final class ScriptedApi implements AutoCloseable {
    record Request(URI uri, String ifNoneMatch, String ifModifiedSince) {
        String query() {
            return uri.getRawQuery() == null ? "" : uri.getRawQuery();
        }
    }

    record Answer(int status, String body, Map<String, String> headers) {
        static Answer json(String body) {
            return new Answer(200, body, Map.of());
        }

        static Answer status(int status, Map<String, String> headers) {
            return new Answer(status, "", headers);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> script;

    ScriptedApi(Function<Request, Answer> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange.getRequestURI(), exchange.getRequestHeaders().getFirst("If-None-Match"),
                exchange.getRequestHeaders().getFirst("If-Modified-Since"));
        requests.add(request);
        Answer answer = script.apply(request);
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] body = answer.body().getBytes();
        boolean noBody = answer.status() == 304 || body.length == 0;
        exchange.sendResponseHeaders(answer.status(), noBody ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!noBody) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
