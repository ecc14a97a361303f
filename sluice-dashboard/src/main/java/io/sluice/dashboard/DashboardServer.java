package io.sluice.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard and the scrape endpoint, served by the process that runs the pipeline (never by Spark's JVM,
 * which shades its own Jetty):
 * <ul>
 *   <li>{@code GET /} the page; {@code /app.js}, {@code /app.css} and {@code /vendor/uplot/*} (uPlot, bundled into
 *       this jar at build time: the page loads nothing from anywhere else);</li>
 *   <li>{@code GET /metrics} every meter in Prometheus text format;</li>
 *   <li>{@code GET /events} server-sent events: {@code history} once (the last minutes), then {@code flow} for each
 *       {@link #publish}ed {@link FlowSnapshot};</li>
 *   <li>{@code GET /api/flow} the latest snapshot as JSON.</li>
 * </ul>
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    /** Ten minutes of one-second samples. */
    static final int HISTORY = 600;
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html", "/app.js", "app.js", "/app.css", "app.css",
            "/vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.iife.min.js",
            "/vendor/uplot/uPlot.min.css", "vendor/uplot/uPlot.min.css");

    private final DashboardOptions options;
    private final Supplier<String> scrape;
    private final ObjectMapper json = new ObjectMapper();
    private final Queue<SseClient> clients = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<FlowSnapshot> history = new ArrayDeque<>();
    private volatile FlowSnapshot latest;
    private Javalin app;

    /** @param scrape the Prometheus text of every meter ({@code PrometheusMeterRegistry::scrape}) */
    public DashboardServer(DashboardOptions options, Supplier<String> scrape) {
        this.options = options;
        this.scrape = scrape;
    }

    public synchronized DashboardServer start() {
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        });
        if (options.tokenRequired()) {
            app.before(this::requireToken);
        }
        ASSETS.forEach((path, resource) -> app.get(path, ctx -> asset(ctx, resource)));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape.get()));
        app.get("/api/flow", ctx -> ctx.contentType("application/json").result(toJson(latest)));
        app.sse("/events", client -> {
            client.keepAlive();
            client.onClose(() -> clients.remove(client));
            client.sendEvent("history", toJson(historyCopy()));
            clients.add(client);
        });
        app.start(options.host(), options.port());
        return this;
    }

    /** The page's address (with the token, when one is required). */
    public String url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port() + "/" + (options.tokenRequired() ? "?token=" + options.token() : "");
    }

    /** The address without the token, safe to print in logs. */
    public String urlWithoutToken() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port() + "/";
    }

    public int port() {
        return app.port();
    }

    /** Keeps the snapshot for the charts and pushes it to every open page. Never throws. */
    public void publish(FlowSnapshot snapshot) {
        latest = snapshot;
        synchronized (history) {
            history.addLast(snapshot);
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        String data = toJson(snapshot);
        for (SseClient client : clients) {
            try {
                if (client.terminated()) {
                    clients.remove(client);
                } else {
                    client.sendEvent("flow", data);
                }
            } catch (RuntimeException e) {
                clients.remove(client);
            }
        }
    }

    public FlowSnapshot latest() {
        return latest;
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            clients.forEach(c -> {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    // the browser went away first
                }
            });
            app.stop();
            app = null;
        }
    }

    private List<FlowSnapshot> historyCopy() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private void requireToken(Context ctx) {
        String given = ctx.queryParam("token");
        String header = ctx.header("Authorization");
        if (given == null && header != null && header.startsWith("Bearer ")) {
            given = header.substring("Bearer ".length());
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                options.token().getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedResponse("this dashboard needs its token: ?token=... or Authorization: Bearer ...");
        }
    }

    private static void asset(Context ctx, String resource) {
        try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + resource)) {
            if (in == null) {
                ctx.status(404).result("not bundled: " + resource);
                return;
            }
            ctx.contentType(contentType(resource)).header("Cache-Control", "no-cache").result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String resource) {
        if (resource.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (resource.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/html; charset=utf-8";
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            LOG.warn("cannot write dashboard JSON: {}", e.getMessage());
            return "null";
        }
    }
}
