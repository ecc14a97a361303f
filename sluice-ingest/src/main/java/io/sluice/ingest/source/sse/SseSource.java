package io.sluice.ingest.source.sse;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.http.ApiCredentials;
import io.sluice.ingest.source.http.RetryAfter;
import io.sluice.ingest.source.http.SourceTls;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.PushSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * {@code source.type=sse}: keeps a Server-Sent Events stream ({@code source.url}) open and turns each event's
 * {@code data} into records ({@code source.records_path}, {@code record.key}). Reading, watchdogs, reconnects and
 * positions are {@link PushSource}'s; this class speaks SSE.
 *
 * <p>It reads with {@link HttpClient} and a blocking {@link InputStream}; when the pipeline is full the reader waits
 * and TCP pushes back on the server. The event id is the feed's own position: a reconnect sends the last one received
 * as {@code Last-Event-ID}, a restart the last one committed. The server's {@code retry:} replaces the base reconnect
 * delay, and a Retry-After on an error answer is honoured. HTTP 204 ends the source for good, as the spec says.
 *
 * <p>Events whose type is not in {@code source.event_types} (say {@code ping}) and events without data are ignored
 * and counted; an event whose data cannot be read is dead-lettered. Without {@code id} fields the server cannot
 * resume, and delivery is at-least-once at best.
 */
public final class SseSource extends PushSource {
    public static final String TYPE = "sse";
    /** A server asking for more than an hour is misconfigured; reconnect within the hour anyway. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private URI uri;
    private Duration requestTimeout;
    private HttpClient client;
    private Set<String> eventTypes;
    private volatile InputStream currentBody;

    /** Resumes after {@link io.sluice.ingest.source.SourceContext#resumeFrom()} if the pipeline has a position. */
    public SseSource() {
        this(null);
    }

    /** Resumes after {@code committed} (sent as {@code Last-Event-ID}); null as {@link #SseSource()}. */
    public SseSource(SourcePosition committed) {
        this(committed, Ticker.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    SseSource(SourcePosition committed, Ticker ticker, DoubleSupplier random) {
        super("SSE", committed, ticker, random);
    }

    @Override
    protected void configure(PipelineConfig config) {
        uri = URI.create(config.sourceUrl());
        requestTimeout = config.sourceTimeout();
        eventTypes = Set.copyOf(config.sourceEventTypes());
        // HTTP/1.1: an h2c upgrade attempt buys nothing for one long response and confuses some proxies.
        client = SourceTls.httpClient(config).version(HttpClient.Version.HTTP_1_1).connectTimeout(requestTimeout).build();
    }

    /** True once the server answered 204: the stream is over and the source will not reconnect. */
    public boolean ended() {
        return finished();
    }

    @Override
    protected Ended session() throws InterruptedException {
        HttpResponse<InputStream> response;
        ApiCredentials.Authorization authorization;
        try {
            authorization = credentials().authorizationNow();
            response = client.send(request(authorization), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return couldNotConnect(e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 204) {
                return Ended.over("answered 204 No Content: the stream is over");
            }
            if (status == 401) {
                return unauthorized(authorization, status);
            }
            if (status != 200) {
                return new Ended(Cause.REFUSED, "answered HTTP " + status, retryAfter(response), false);
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                return Ended.because(Cause.REFUSED, "answered Content-Type '" + type
                        + "', not text/event-stream; is `source.url` an SSE endpoint?");
            }
            connectionOpened();
            return read(body);
        } catch (IOException e) {
            return Ended.because(Cause.ERROR, "stream broke: " + PushSupport.describe(e));
        }
    }

    private HttpRequest request(ApiCredentials.Authorization authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(authorization.applyTo(uri)).GET().timeout(requestTimeout)
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache");
        authorization.forEachHeader(builder::header);
        resumePosition().ifPresent(id -> builder.header("Last-Event-ID", id.value()));
        return builder.build();
    }

    private Ended read(InputStream body) throws IOException {
        currentBody = body;
        SseParser parser = new SseParser(resumePosition().map(SourcePosition::value).orElse(""), new Dispatcher());
        byte[] buffer = new byte[8192];
        while (!isStopped()) {
            waitingForInput();
            int n = body.read(buffer);
            notWaiting();
            if (n < 0) {
                return Ended.because(Cause.CLOSED, "server closed the stream");
            }
            parser.feed(buffer, 0, n);
        }
        return Ended.because(Cause.CLOSED, "stopped");
    }

    /**
     * The JDK 17 response stream swallows an interrupt and keeps waiting, but gives up once it is closed; so close it
     * first, then interrupt (newer JDKs, and a reader blocked in {@code send}, react to the interrupt).
     */
    @Override
    protected void abortSession() {
        InputStream body = currentBody;
        if (body != null) {
            try {
                body.close();
            } catch (IOException | RuntimeException ignored) {
                // the read fails either way, which is all we want
            }
        }
        interruptReader();
    }

    private Duration retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Instant.now())
                .map(wait -> wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait)
                .orElse(null);
    }

    /** Parser callbacks, on the reader thread. */
    private final class Dispatcher implements SseParser.Listener {
        @Override
        public void onEvent(SseEvent event) {
            SourcePosition position = SourcePosition.of(event.lastEventId());
            if (!eventTypes.isEmpty() && !eventTypes.contains(event.type())) {
                ignore("event:" + event.type(), position);
            } else if (event.data().isBlank()) {
                ignore("event:" + event.type() + ":no_data", position); // a data-less keepalive, not a payload
            } else {
                receive(event.data().getBytes(StandardCharsets.UTF_8), position);
            }
        }

        @Override
        public void onRetry(long millis) {
            serverRetry(Duration.ofMillis(millis));
        }
    }
}
