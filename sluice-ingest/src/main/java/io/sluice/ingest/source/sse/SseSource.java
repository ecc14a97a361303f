package io.sluice.ingest.source.sse;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.JsonRecordExtractor;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.Backoff;
import io.sluice.ingest.source.push.PushRecordDecoder;
import io.sluice.ingest.source.push.PushSupport;
import io.sluice.ingest.source.push.RecordHandoff;
import io.sluice.ingest.source.push.StallWatch;
import io.sluice.ingest.source.http.RetryAfter;
import io.sluice.ingest.source.http.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code source.type=sse}: keeps a Server-Sent Events stream ({@code source.url}) open and turns each event's
 * {@code data} into records ({@code source.records_path}, {@code record.key}).
 *
 * <p>It reads on its own thread, with {@link HttpClient} and a blocking {@link InputStream}, into a small
 * {@link RecordHandoff} that {@link #poll} drains; when the pipeline is full the reader waits and TCP pushes back on the
 * server. On a broken or ended stream it reconnects after the server's {@code retry} (else {@code source.reconnect_min}),
 * doubling with jitter while attempts keep failing, and sends {@code Last-Event-ID} so the server resumes after the
 * last event received. A stream silent for {@code source.stall_timeout} while the reader waits for bytes is treated as
 * dead. HTTP 204 ends the source for good, as the spec says.
 *
 * <p>Positions are event ids. The framework commits one only after Kafka acknowledged every record up to it;
 * {@link #SseSource(SourcePosition)} starts from such a committed id, so a restart re-reads (never skips) what was
 * not yet acknowledged. Without {@code id} fields the server cannot resume, and delivery is at-least-once at best.
 */
public final class SseSource implements SourceTask {
    public static final String TYPE = "sse";
    private static final Logger LOG = LoggerFactory.getLogger(SseSource.class);
    /** A server asking for more than an hour is misconfigured; reconnect within the hour anyway. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final Ticker ticker;
    private final DoubleSupplier random;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong connections = new AtomicLong();

    private SourceContext context;
    private URI uri;
    private String safeUrl;
    private Duration requestTimeout;
    private Duration stallTimeout;
    private HttpClient client;
    private RecordHandoff handoff;
    private PushRecordDecoder decoder;
    private Backoff backoff;
    private StallWatch stallWatch;
    private ScheduledExecutorService watchdog;
    private Thread reader;

    // Written by the reader thread; volatile so commit/diagnostics on other threads see them.
    private volatile String lastEventId = "";
    private volatile boolean stallDetected;
    private volatile InputStream currentBody;
    private volatile boolean ended;
    private volatile SourcePosition committed;

    /** Resumes after {@link SourceContext#resumeFrom()} if the pipeline has a committed position, else fresh. */
    public SseSource() {
        this(null);
    }

    /**
     * Resumes after {@code committed} (sent as {@code Last-Event-ID}); null falls back to
     * {@link SourceContext#resumeFrom()}, and starts fresh if that is empty too.
     */
    public SseSource(SourcePosition committed) {
        this(committed, Ticker.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    SseSource(SourcePosition committed, Ticker ticker, DoubleSupplier random) {
        this.committed = committed;
        this.ticker = ticker;
        this.random = random;
    }

    @Override
    public void start(SourceContext context) {
        this.context = context;
        if (committed == null) {
            committed = context.resumeFrom().orElse(null); // the pipeline's position store, if it has one
        }
        lastEventId = committed == null ? "" : committed.value();
        PipelineConfig config = context.config();
        uri = URI.create(config.sourceUrl());
        safeUrl = Urls.withoutQuery(uri);
        requestTimeout = config.sourceTimeout();
        stallTimeout = config.sourceStallTimeout();
        // HTTP/1.1: an h2c upgrade attempt buys nothing for one long response and confuses some proxies.
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(requestTimeout).build();
        handoff = PushSupport.handoff(config);
        decoder = new PushRecordDecoder(config.sourceRecordsPath(), config.recordKey());
        backoff = PushSupport.backoff(config, random);
        stallWatch = new StallWatch(ticker, stallTimeout);
        watchdog = PushSupport.scheduler("sluice-sse-watchdog-" + config.name());
        long period = PushSupport.watchdogPeriod(stallTimeout).toMillis();
        watchdog.scheduleWithFixedDelay(this::checkStall, period, period, TimeUnit.MILLISECONDS);
        reader = new Thread(this::readLoop, "sluice-sse-reader-" + config.name());
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public List<SourceRecord> poll(Duration timeout) throws InterruptedException {
        return handoff.drain(timeout);
    }

    @Override
    public void commit(SourcePosition position) {
        committed = position;
    }

    /** The last id Kafka acknowledged everything up to: where a restarted source should resume. */
    public Optional<SourcePosition> committedPosition() {
        return Optional.ofNullable(committed);
    }

    /** Connections opened so far, the first one included. */
    public long connections() {
        return connections.get();
    }

    /** True once the server answered 204: the stream is over and the source will not reconnect. */
    public boolean ended() {
        return ended;
    }

    @Override
    public void stop() {
        stopped.countDown();
        if (handoff != null) {
            handoff.close();
        }
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        if (reader != null) {
            unblockReader(); // the handoff and the backoff wait wake on their own
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void readLoop() {
        while (!isStopped()) {
            Optional<Duration> retryAfter = connectAndRead();
            if (ended || isStopped()) {
                return;
            }
            Thread.interrupted(); // a stall interrupt was for the connection that just ended, not for the wait below
            Duration delay = backoff.nextDelay();
            if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
                delay = retryAfter.get();
            }
            LOG.debug("SSE {}: reconnecting in {} ms with Last-Event-ID '{}'", safeUrl, delay.toMillis(), lastEventId);
            try {
                stopped.await(delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // stop() interrupts; the loop condition decides
            }
        }
    }

    /** One connection, start to end. Returns the server's Retry-After if it sent one. */
    private Optional<Duration> connectAndRead() {
        stallDetected = false;
        HttpResponse<InputStream> response;
        try {
            connections.incrementAndGet();
            response = client.send(request(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            reportError("could not connect: " + PushSupport.describe(e));
            return Optional.empty();
        } catch (InterruptedException e) {
            return Optional.empty();
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 204) {
                ended = true;
                LOG.info("SSE {} answered 204 No Content: the stream is over; not reconnecting", safeUrl);
                return Optional.empty();
            }
            if (status != 200) {
                reportError("answered HTTP " + status + "; reconnecting with backoff");
                return retryAfter(response);
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                reportError("answered Content-Type '" + type + "', not text/event-stream; is `source.url` an SSE endpoint?");
                return Optional.empty();
            }
            read(body);
        } catch (IOException e) {
            stallWatch.paused();
            if (isStopped()) {
                return Optional.empty();
            }
            reportError(stallDetected
                    ? "sent nothing for " + stallTimeout.toMillis() + " ms (`source.stall_timeout`); reconnecting"
                    : "stream broke: " + PushSupport.describe(e) + "; reconnecting");
        }
        return Optional.empty();
    }

    private HttpRequest request() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout)
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache");
        if (!lastEventId.isEmpty()) {
            builder.header("Last-Event-ID", lastEventId);
        }
        return builder.build();
    }

    private void read(InputStream body) throws IOException {
        currentBody = body;
        SseParser parser = new SseParser(lastEventId, new Dispatcher());
        byte[] buffer = new byte[8192];
        while (!isStopped()) {
            stallWatch.expecting();
            int n = body.read(buffer);
            stallWatch.paused();
            if (n < 0) {
                reportError("server closed the stream; reconnecting");
                return;
            }
            parser.feed(buffer, 0, n);
            lastEventId = parser.lastEventId();
        }
    }

    /** Watchdog thread: a reader blocked in read() for the whole stall timeout is cut loose, which fails the read. */
    private void checkStall() {
        if (stallWatch.stalled()) {
            stallDetected = true;
            stallWatch.paused();
            unblockReader();
        }
    }

    /**
     * The JDK 17 response stream swallows an interrupt and keeps waiting, but gives up once it is closed; so close it
     * first, then interrupt (newer JDKs, and a reader blocked in {@code send}, react to the interrupt).
     */
    private void unblockReader() {
        InputStream body = currentBody;
        if (body != null) {
            try {
                body.close();
            } catch (IOException | RuntimeException ignored) {
                // the read fails either way, which is all we want
            }
        }
        reader.interrupt();
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Instant.now())
                .map(wait -> wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }

    private void reportError(String what) {
        if (!isStopped()) {
            context.reportPollError("SSE " + safeUrl + " " + what);
        }
    }

    /** Parser callbacks, on the reader thread. */
    private final class Dispatcher implements SseParser.Listener {
        private SourcePosition previous = SourcePosition.of(lastEventId);
        private boolean receivedAny;

        @Override
        public void onEvent(SseEvent event) {
            if (event.data().isBlank()) {
                return; // some servers send data-less events as pings; nothing to record
            }
            SourcePosition position = SourcePosition.of(event.lastEventId());
            JsonRecordExtractor.Extraction extraction =
                    decoder.decode(event.data().getBytes(StandardCharsets.UTF_8), position, previous);
            extraction.malformed().forEach(reason ->
                    context.reportMalformed("SSE " + safeUrl + " event id '" + event.lastEventId() + "': " + reason));
            handoff.put(extraction.records());
            previous = position;
            if (!receivedAny) {
                receivedAny = true;
                backoff.reset(); // this connection works: the next outage starts from the short delay again
            }
        }

        @Override
        public void onRetry(long millis) {
            backoff.setBase(Duration.ofMillis(millis));
        }
    }
}
