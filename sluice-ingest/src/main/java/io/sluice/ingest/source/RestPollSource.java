package io.sluice.ingest.source;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.event.ExecutionAttemptedEvent;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.Ticker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code source.type=rest_poll}: GETs {@code source.url} every {@code source.interval}, extracts the records at
 * {@code source.records_path} and keys them by {@code record.key}.
 *
 * <p>A failed call (non-2xx, timeout, refused connection) is reported and retried with exponential backoff by
 * Failsafe, forever: an API that is down for a while must not stop the pipeline. The retrying call runs
 * asynchronously so {@link #poll} keeps returning on time and {@link #stop} can cancel it.
 *
 * <p>REST APIs like randomuser.me have no cursor, so positions ({@code poll-<n>#<index>}) only order records and
 * {@link #commit} has nothing to remember.
 */
public final class RestPollSource implements SourceTask {
    public static final String TYPE = "rest_poll";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Ticker ticker;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SourceContext context;
    private HttpClient client;
    private HttpRequest request;
    private String safeUrl;
    private JsonRecordExtractor extractor;
    private RetryPolicy<HttpResponse<byte[]>> retryPolicy;
    private ScheduledExecutorService retryScheduler;
    private long intervalNanos;

    // Touched by the polling thread only, except inFlight which stop() cancels.
    private long pollNumber;
    private long nextPollAt;
    private volatile CompletableFuture<HttpResponse<byte[]>> inFlight;

    public RestPollSource() {
        this(Ticker.SYSTEM);
    }

    RestPollSource(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public void start(SourceContext context) {
        this.context = context;
        PipelineConfig config = context.config();
        URI uri = URI.create(config.sourceUrl());
        safeUrl = withoutQuery(uri);
        client = HttpClient.newBuilder().connectTimeout(config.sourceTimeout()).build();
        request = HttpRequest.newBuilder(uri).GET().timeout(config.sourceTimeout())
                .header("Accept", "application/json").build();
        extractor = new JsonRecordExtractor(config.sourceRecordsPath(), config.recordKey());
        intervalNanos = config.sourceInterval().toNanos();
        Duration firstBackoff = config.sourceInterval().compareTo(Duration.ofMillis(100)) < 0
                ? Duration.ofMillis(100) : config.sourceInterval();
        retryPolicy = RetryPolicy.<HttpResponse<byte[]>>builder()
                .handle(Exception.class)
                .handleResultIf(response -> !isSuccess(response))
                .withBackoff(firstBackoff, max(firstBackoff, MAX_BACKOFF))
                .withJitter(0.1)
                .withMaxRetries(-1)
                .onFailedAttempt(this::reportFailedAttempt)
                .build();
        retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-rest-poll-retry");
            t.setDaemon(true);
            return t;
        });
        nextPollAt = ticker.nanoTime();
    }

    @Override
    public List<SourceRecord> poll(Duration timeout) throws InterruptedException {
        if (stopped.getCount() == 0) {
            return List.of();
        }
        if (inFlight == null) {
            long now = ticker.nanoTime();
            if (now < nextPollAt) {
                // Not due yet: wait, but wake at once on stop().
                stopped.await(Math.min(timeout.toNanos(), nextPollAt - now), TimeUnit.NANOSECONDS);
                return List.of();
            }
            pollNumber++;
            nextPollAt = now + intervalNanos;
            inFlight = Failsafe.with(retryPolicy).with(retryScheduler)
                    .getStageAsync(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        HttpResponse<byte[]> response;
        try {
            response = inFlight.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillRetrying) {
            return List.of();
        } catch (CancellationException stoppedMeanwhile) {
            inFlight = null;
            return List.of();
        } catch (ExecutionException e) {
            // Only reachable if the retry policy gave up, which it is configured never to do.
            inFlight = null;
            context.reportPollError("GET " + safeUrl + " gave up: " + e.getCause());
            return List.of();
        }
        inFlight = null;
        long thisPoll = pollNumber;
        JsonRecordExtractor.Extraction extraction =
                extractor.extract(response.body(), index -> SourcePosition.of("poll-" + thisPoll + "#" + index));
        extraction.malformed().forEach(reason -> context.reportMalformed("GET " + safeUrl + " poll " + thisPoll + ": " + reason));
        return extraction.records();
    }

    @Override
    public void stop() {
        stopped.countDown();
        CompletableFuture<HttpResponse<byte[]>> call = inFlight;
        if (call != null) {
            call.cancel(true);
        }
        if (retryScheduler != null) {
            retryScheduler.shutdownNow();
        }
    }

    private void reportFailedAttempt(ExecutionAttemptedEvent<HttpResponse<byte[]>> event) {
        if (stopped.getCount() == 0) {
            return;
        }
        String what = event.getLastException() != null
                ? "failed: " + describe(event.getLastException())
                : "answered HTTP " + event.getLastResult().statusCode();
        context.reportPollError("GET " + safeUrl + " " + what + " (attempt " + event.getAttemptCount() + "; retrying with backoff)");
    }

    private static boolean isSuccess(HttpResponse<byte[]> response) {
        return response.statusCode() / 100 == 2;
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** Query strings often carry API keys; logs show only where the call went. */
    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + (uri.getPath() == null ? "" : uri.getPath());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
