package io.sluice.demoapi;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An offline stand-in for <a href="https://randomuser.me">randomuser.me</a>, shaped like the
 * Testcontainers modules: configure with {@code withX()}, then {@link #start()}, read
 * {@link #baseUrl()}, and {@link #close()}.
 *
 * <pre>{@code
 * try (DemoApiServer api = new DemoApiServer().withPort(0).withSeed(42).withRate(50).start()) {
 *     URI users = URI.create(api.baseUrl() + "/api/?results=10");
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code GET /api/} (REST, {@link RestHandler}), {@code GET /stream/sse}
 * ({@link SseHandler}), {@code /stream/ws} ({@link WebSocketHandler}), {@code GET /health}; and on its own port
 * the gRPC method {@code sluice.demo.v1.Users/StreamUsers} ({@link GrpcUsersEndpoint}, contract in
 * {@link GrpcUsersProto}).
 */
public final class DemoApiServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8089;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_RATE = 10;
    public static final int DEFAULT_GRPC_PORT = 8090;

    private static final Logger LOG = LoggerFactory.getLogger(DemoApiServer.class);

    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String seed = Long.toString(DEFAULT_SEED);
    private double rate = DEFAULT_RATE;
    private long total = -1;
    private Duration heartbeat = Duration.ofSeconds(5);
    private Duration sseRetry = Duration.ofSeconds(1);
    private FaultSpec faults = FaultSpec.NONE;
    private Integer grpcPort; // unset: a free port when the HTTP port is free-picked (tests), else 8090
    private boolean grpcReflection = true;
    private GrpcUsersEndpoint grpc;

    private Javalin app;
    private ExecutorService streamExecutor;
    private ActiveStreams activeSseStreams;

    /** Port to listen on; 0 picks a free one (read it back with {@link #port()}). Default 8089. */
    public DemoApiServer withPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535 (0 = pick a free port), got " + port);
        }
        this.port = port;
        return this;
    }

    /** Interface to bind; default 127.0.0.1 so the demo is never exposed to the network. */
    public DemoApiServer withHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** Seed used when a request names none. Default 42. */
    public DemoApiServer withSeed(long seed) {
        return withSeed(Long.toString(seed));
    }

    /** Seed used when a request names none; any string, as randomuser.me's {@code seed=} allows. */
    public DemoApiServer withSeed(String seed) {
        if (seed == null || seed.isEmpty()) {
            throw new IllegalArgumentException("seed must be a non-empty string");
        }
        this.seed = seed;
        return this;
    }

    /** Default stream events per second (override per stream with {@code ?rate=}); 0 = unthrottled. Default 10. */
    public DemoApiServer withRate(double eventsPerSecond) {
        if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0 events/s (0 = unthrottled), got "
                    + eventsPerSecond);
        }
        this.rate = eventsPerSecond;
        return this;
    }

    /**
     * Makes the sequence finite: users {@code 0 .. total-1} exist, streams end after the last, and
     * REST pages past it are empty. Default: endless.
     */
    public DemoApiServer withTotal(long total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0 users, got " + total);
        }
        this.total = total;
        return this;
    }

    /** Idle time after which streams send a keepalive (SSE comment / WebSocket ping). Default 5 s. */
    public DemoApiServer withHeartbeat(Duration heartbeat) {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be > 0, got " + heartbeat);
        }
        this.heartbeat = heartbeat;
        return this;
    }

    /** Reconnect delay advertised to SSE clients ({@code retry:}). Default 1 s. */
    public DemoApiServer withSseRetry(Duration retry) {
        if (retry.isNegative()) {
            throw new IllegalArgumentException("SSE retry must be >= 0, got " + retry);
        }
        this.sseRetry = retry;
        return this;
    }

    /** Faults injected into every request that does not pass its own {@code fail=}; see {@link FaultSpec}. */
    public DemoApiServer withFaults(String spec) {
        this.faults = FaultSpec.parse(spec);
        return this;
    }

    /**
     * Port of the gRPC endpoint; 0 picks a free one (read it back with {@link #grpcPort()}). Default 8090, or a free
     * one when {@link #withPort} asked for a free one.
     */
    public DemoApiServer withGrpcPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("gRPC port must be 0-65535 (0 = pick a free port), got " + port);
        }
        this.grpcPort = port;
        return this;
    }

    /** Whether the gRPC endpoint answers server reflection (grpc.reflection.v1). Default on. */
    public DemoApiServer withGrpcReflection(boolean on) {
        this.grpcReflection = on;
        return this;
    }

    /**
     * Starts listening. Returns once the port is bound.
     *
     * @throws IllegalStateException if already started, or the port cannot be bound
     */
    public synchronized DemoApiServer start() {
        if (app != null) {
            throw new IllegalStateException("demo API already started on " + baseUrl());
        }
        DemoApiSettings settings = new DemoApiSettings(seed, rate, total, heartbeat, sseRetry, faults);
        streamExecutor = Executors.newCachedThreadPool(daemonThreads("demo-api-ws-"));
        activeSseStreams = new ActiveStreams();
        Javalin created = Routes.create(settings, activeSseStreams, streamExecutor);
        try {
            created.start(host, port);
        } catch (RuntimeException e) {
            created.stop();
            streamExecutor.shutdownNow();
            throw new IllegalStateException("demo API could not listen on " + host + ":" + port
                    + " (is the port taken? use withPort(0) for a free one): " + e.getMessage(), e);
        }
        try {
            grpc = new GrpcUsersEndpoint(settings, streamExecutor).start(host, effectiveGrpcPort(), grpcReflection);
        } catch (java.io.IOException | RuntimeException e) {
            created.stop();
            streamExecutor.shutdownNow();
            throw new IllegalStateException("demo API could not listen for gRPC on " + host + ":" + effectiveGrpcPort()
                    + " (is the port taken? use withGrpcPort(0) for a free one): " + e.getMessage(), e);
        }
        app = created;
        LOG.info("Demo API gRPC endpoint {} on {} (server reflection {})", GrpcUsersProto.METHOD, grpcUrl(),
                grpcReflection ? "on" : "off");
        LOG.info("Demo API (randomuser.me stand-in) listening on {} — seed '{}', streams at {}, faults: {}",
                baseUrl(), seed, rate > 0 ? rate + " events/s" : "full speed", faults);
        return this;
    }

    /** The bound port; only meaningful after {@link #start()}. */
    public synchronized int port() {
        requireStarted();
        return app.port();
    }

    /** E.g. {@code http://127.0.0.1:8089}, without a trailing slash. */
    public synchronized String baseUrl() {
        return "http://" + host + ":" + port();
    }

    /** E.g. {@code ws://127.0.0.1:8089}, for {@code /stream/ws}. */
    public synchronized String webSocketBaseUrl() {
        return "ws://" + host + ":" + port();
    }

    /** The bound gRPC port; only meaningful after {@link #start()}. */
    public synchronized int grpcPort() {
        requireStarted();
        return grpc.port();
    }

    /** E.g. {@code grpc://127.0.0.1:8090}: the {@code source.url} of a {@code grpc} pipeline. */
    public synchronized String grpcUrl() {
        return "grpc://" + host + ":" + grpcPort();
    }

    /** UserEvents the gRPC endpoint has sent so far, over all calls (what flow control let through). */
    public synchronized long grpcMessagesSent() {
        requireStarted();
        return grpc.messagesSent();
    }

    public synchronized boolean isRunning() {
        return app != null;
    }

    /** Stops the server, ending open streams first. Idempotent. */
    @Override
    public synchronized void close() {
        if (app == null) {
            return;
        }
        // Streams never end by themselves; interrupt them so Jetty's stop does not wait on them.
        activeSseStreams.interruptAll();
        grpc.close();
        streamExecutor.shutdownNow();
        app.stop();
        try {
            streamExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app = null;
        LOG.info("Demo API stopped");
    }

    private int effectiveGrpcPort() {
        return grpcPort != null ? grpcPort : port == 0 ? 0 : DEFAULT_GRPC_PORT;
    }

    private void requireStarted() {
        if (app == null) {
            throw new IllegalStateException("demo API is not running; call start() first");
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Standalone: {@code --port 8089 --grpc-port 8090 --seed 42 --rate 10 [--total N] [--fail SPEC] [--host H]}. */
    public static void main(String[] args) throws InterruptedException {
        DemoApiServer server;
        try {
            server = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sluice-demo-api: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (server == null) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "demo-api-shutdown"));
        System.out.println("Demo API listening on " + server.baseUrl() + " and " + server.grpcUrl() + " (Ctrl-C to stop)");
        Thread.currentThread().join();
    }
}
