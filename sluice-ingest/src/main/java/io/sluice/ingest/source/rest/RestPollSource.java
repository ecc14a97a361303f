package io.sluice.ingest.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.ConnectionFailures;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.Ticker;
import io.sluice.ingest.source.JsonRecordExtractor;
import io.sluice.config.Backoff;
import io.sluice.ingest.source.SourceContext;
import io.sluice.ingest.source.http.ApiCredentials;
import io.sluice.ingest.source.http.RetryAfter;
import io.sluice.ingest.source.http.SourceTls;
import io.sluice.ingest.source.http.Urls;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code source.type=rest_poll}: polls a REST API in <em>cycles</em>, every {@code source.interval} or on the cron
 * {@code source.schedule}. A cycle fetches pages, following a cursor or next link, up to
 * {@code source.pagination.max_pages}. It ends early where a page names as next a page this cycle already fetched (a
 * loop; logged once, counted per cycle), except that a cursor answered with itself is the plain "nothing newer yet"
 * of an API polled for its latest page, and the next cycle asks for it again.
 *
 * <p>Conditional requests, the same for every pagination style: each page URL's last {@code ETag} goes back in
 * {@code If-None-Match} and its {@code Last-Modified} in {@code If-Modified-Since} (RFC 9110 §13.1; a server that
 * knows both uses the first). A 304 means "no new data on that page", no error: the cycle carries on to the page
 * that page named last time, or ends if it named none. See {@link KnownPages}.
 *
 * <p>Failures: 429 and 503 wait as long as {@code Retry-After} says (seconds or HTTP-date); other 5xx, 408, timeouts and
 * refused connections back off exponentially with jitter up to {@code source.max_backoff}. After
 * {@code source.max_retries} failed attempts the cycle gives up and the next one starts on schedule from the same page.
 * Other 4xx end the cycle at once, since repeating the same request cannot help.
 *
 * <p>Credentials ({@link ApiCredentials}): every request carries {@code source.headers} and the {@code source.auth.*}
 * credential. A 401 to an OAuth2 token fetches a fresh token and repeats the request once; a 401 after that, or to a
 * static credential, stops the source with one sentence naming server, user and key (exit code 4), as does a refused
 * client secret or an untrusted certificate (exit code 5).
 *
 * <p>Positions: every record carries "what to request next" ({@link RestPosition}). All records of a page but the last
 * point at the page itself, the last one at the page after it; so a restart from a committed position re-fetches at
 * most the page it was in (repeats are harmless: records are keyed) and never skips one. Records already seen within
 * the last {@code source.dedup_cache_size} keys are dropped before they reach the queue.
 *
 * <p>All state belongs to the polling thread, except {@code inFlight}, which {@link #stop} cancels.
 */
public final class RestPollSource implements SourceTask {
    public static final String TYPE = "rest_poll";
    private static final Logger LOG = LoggerFactory.getLogger(RestPollSource.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    /** Page URLs whose validators are remembered: a few hundred bytes each, so well under a megabyte. */
    private static final int KNOWN_PAGES = 1_024;

    private final Ticker ticker;
    private final Clock clock;
    private final DoubleSupplier random;
    private final boolean singleCycle;
    private final Consumer<PollCycle> cycleListener;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SourceContext context;
    private PipelineConfig config;
    private HttpClient client;
    private ApiCredentials credentials;
    /** What the request in flight carried, so a 401 refreshes exactly that token. */
    private volatile ApiCredentials.Authorization lastAuthorization;
    /** The request in flight repeats one that got a 401 after a token refresh: another 401 is final. */
    private boolean retryingAfterUnauthorized;
    private String lastRequestServer;
    private URI baseUri;
    private JsonRecordExtractor extractor;
    private PollSchedule schedule;
    private Backoff backoff;
    private RecentKeys recentKeys;
    private final KnownPages knownPages = new KnownPages(KNOWN_PAGES);
    /** Page key to its number in this cycle: how a loop is recognised, and named in the log without its URL. */
    private final Map<String, Integer> fetchedThisCycle = new HashMap<>();
    private int maxRetries;
    private int maxPages;

    private RestPosition next = RestPosition.START;
    private long nextActionAt;
    private boolean cycleOpen;
    private boolean finished;
    private long cycleNumber;
    private long cycleStartedAt;
    private int pages;
    private int notModifiedPages;
    private int records;
    private int duplicates;
    private boolean revisitedPage;
    private boolean revisitLogged;
    private int failedAttempts;
    private String lastRequestLabel;
    private PollCycle endedCycle;
    private volatile CompletableFuture<HttpResponse<byte[]>> inFlight;

    /** Polls forever on the configured schedule. */
    public RestPollSource() {
        this(Ticker.SYSTEM, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(), false, cycle -> { });
    }

    /**
     * Runs exactly one cycle, at once, then returns no more records: the building block of {@code poll-once}, where an
     * outside scheduler (Airflow, cron) decides when cycles happen. {@code listener} hears how the cycle went.
     */
    public static RestPollSource singleCycle(Consumer<PollCycle> listener) {
        return new RestPollSource(Ticker.SYSTEM, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(), true,
                listener);
    }

    RestPollSource(Ticker ticker, Clock clock, DoubleSupplier random, boolean singleCycle, Consumer<PollCycle> listener) {
        this.ticker = ticker;
        this.clock = clock;
        this.random = random;
        this.singleCycle = singleCycle;
        this.cycleListener = listener;
    }

    @Override
    public void start(SourceContext context) {
        this.context = context;
        this.config = context.config();
        baseUri = URI.create(config.sourceUrl());
        client = SourceTls.httpClient(config).connectTimeout(config.sourceTimeout()).build();
        credentials = ApiCredentials.from(config, client, clock);
        extractor = new JsonRecordExtractor(config.sourceRecordsPath(), config.recordKey());
        schedule = PollSchedule.from(config, clock);
        backoff = Backoff.capped(FIRST_BACKOFF, config.sourceMaxBackoff(), random);
        recentKeys = new RecentKeys(config.sourceDedupCacheSize());
        maxRetries = config.sourceMaxRetries();
        maxPages = hasPagination() ? config.sourcePaginationMaxPages() : 1;
        context.resumeFrom().ifPresent(saved -> next = RestPosition.from(saved).orElseGet(() -> {
            context.reportPollError("saved position " + saved + " is not a rest_poll position; starting from the first page");
            return RestPosition.START;
        }));
        knownPages.remember(pageKey(uriOf(next)), next.validators());
        long now = ticker.nanoTime();
        nextActionAt = singleCycle || schedule.firstCycleImmediately() ? now : now + schedule.nanosUntilNextCycle(0);
    }

    @Override
    public List<SourceRecord> poll(Duration timeout) throws InterruptedException {
        if (reportEndedCycle() || stopped.getCount() == 0) {
            return List.of();
        }
        if (finished) {
            stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return List.of();
        }
        if (inFlight == null) {
            long now = ticker.nanoTime();
            if (now < nextActionAt) {
                // Not due yet: wait, but wake at once on stop().
                stopped.await(Math.min(timeout.toNanos(), nextActionAt - now), TimeUnit.NANOSECONDS);
                return List.of();
            }
            if (!cycleOpen) {
                openCycle(now);
            }
            inFlight = send(next);
        }
        HttpResponse<byte[]> response;
        try {
            response = inFlight.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillWaiting) {
            return List.of();
        } catch (CancellationException stoppedMeanwhile) {
            inFlight = null;
            return List.of();
        } catch (ExecutionException e) {
            inFlight = null;
            throwIfRefused(e.getCause());
            retryLater("failed: " + describe(e.getCause()), backoff.delayForAttempt(failedAttempts + 1));
            return List.of();
        }
        inFlight = null;
        return handle(response);
    }

    @Override
    public void stop() {
        stopped.countDown();
        CompletableFuture<HttpResponse<byte[]>> call = inFlight;
        if (call != null) {
            call.cancel(true);
        }
    }

    private void openCycle(long now) {
        cycleOpen = true;
        cycleNumber++;
        cycleStartedAt = now;
        pages = 0;
        notModifiedPages = 0;
        records = 0;
        duplicates = 0;
        revisitedPage = false;
        failedAttempts = 0;
        fetchedThisCycle.clear();
    }

    /** The source's credentials: what tests and metrics read (e.g. how many OAuth2 tokens were granted). */
    public ApiCredentials credentials() {
        return credentials;
    }

    /** Credentials no retry can fix, or a certificate not trusted: stop the source with the one sentence. */
    private void throwIfRefused(Throwable error) {
        Throwable cause = ApiCredentials.unwrap(error);
        if (cause instanceof ConnectionRefusedException refused) {
            throw refused;
        }
        ConnectionRefusedException untrusted = ConnectionFailures.sourceCertificate(cause, config, lastRequestServer);
        if (untrusted != null) {
            throw untrusted;
        }
    }

    private CompletableFuture<HttpResponse<byte[]>> send(RestPosition position) {
        URI uri = uriOf(position);
        lastRequestServer = Urls.withoutQuery(uri);
        lastRequestLabel = "GET " + lastRequestServer + " (cycle " + cycleNumber + ", page "
                + (pagesAnswered() + 1) + ")";
        return credentials.authorization().thenCompose(authorization -> {
            lastAuthorization = authorization;
            return client.sendAsync(request(uri, authorization), HttpResponse.BodyHandlers.ofByteArray());
        });
    }

    private HttpRequest request(URI uri, ApiCredentials.Authorization authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(authorization.applyTo(uri)).GET()
                .timeout(config.sourceTimeout())
                .header("Accept", "application/json");
        authorization.forEachHeader(request::header);
        knownPages.get(pageKey(uri)).ifPresent(known -> {
            if (known.etag() != null) {
                request.header("If-None-Match", known.etag());
            }
            if (known.lastModified() != null) {
                request.header("If-Modified-Since", known.lastModified());
            }
        });
        return request.build();
    }

    private List<SourceRecord> handle(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 401) {
            handleUnauthorized();
            return List.of();
        }
        retryingAfterUnauthorized = false;
        if (status == 304) {
            handleNotModified();
            return List.of();
        }
        if (status / 100 == 2) {
            return handlePage(response);
        }
        if (status == 429 || status == 503) {
            Duration wait = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant())
                    .orElseGet(() -> backoff.delayForAttempt(failedAttempts + 1));
            retryLater("answered HTTP " + status, wait);
        } else if (status / 100 == 5 || status == 408) {
            retryLater("answered HTTP " + status, backoff.delayForAttempt(failedAttempts + 1));
        } else {
            String reason = lastRequestLabel + " answered HTTP " + status + "; not retried, as the same request would get "
                    + "the same answer (check `source.url`)";
            context.reportPollError(reason);
            endCycle(reason);
        }
        return List.of();
    }

    /** One fresh token and one repeat of the same request; a second 401 (or one no refresh can cure) is final. */
    private void handleUnauthorized() {
        if (!credentials.canRefresh() || retryingAfterUnauthorized) {
            throw credentials.refusedBy(lastRequestServer, 401);
        }
        retryingAfterUnauthorized = true;
        credentials.rejected(lastAuthorization);
        LOG.info("{} answered HTTP 401; fetching a fresh OAuth2 token and repeating the request once", lastRequestLabel);
        nextActionAt = ticker.nanoTime();
    }

    /** The page is as it was: nothing new on it, and it names the same next page as last time. */
    private void handleNotModified() {
        failedAttempts = 0;
        notModifiedPages++;
        String page = pageKey(uriOf(next));
        fetchedThisCycle.put(page, pagesAnswered());
        RestPosition following = unlessFetchedThisCycle(knownPages.get(page).map(KnownPages.Page::next).orElse(null));
        if (following != null) {
            next = following; // no records, so no position to commit: a restart asks for the unchanged page again
        }
        continueOrEnd(following != null);
    }

    private List<SourceRecord> handlePage(HttpResponse<byte[]> response) {
        JsonNode body;
        try {
            body = JsonRecordExtractor.parse(response.body());
        } catch (IOException e) {
            // A truncated body is usually a cut connection: worth another try. Once the retries are spent the body
            // is what the API delivers, so it goes to the dead-letter topic as it came; its position is the page's
            // own, so the next cycle asks for the page again rather than skipping it.
            retryLater("returned a body that is not JSON", backoff.delayForAttempt(failedAttempts + 1));
            return cycleOpen ? List.of() : List.of(SourceRecord.rejected(response.body(), next.toSourcePosition(),
                    "ingest:not_json", lastRequestLabel + " returned a body that is not JSON (" + e.getClass().getSimpleName()
                            + ") on every one of " + failedAttempts + " attempts"));
        }
        failedAttempts = 0;
        pages++;
        RestPosition requested = next.withoutValidators();
        String page = pageKey(uriOf(requested));
        fetchedThisCycle.put(page, pagesAnswered());
        RestPosition named = nextPage(body, response.uri());
        KnownPages.Page answer = new KnownPages.Page(response.headers().firstValue("ETag").orElse(null),
                response.headers().firstValue("Last-Modified").orElse(null), named);
        knownPages.remember(page, answer);
        RestPosition following = unlessFetchedThisCycle(named);
        // No further page: the next cycle asks for this one again, and its validators tell whether anything changed.
        RestPosition after = following != null ? following : requested.withValidators(answer);
        List<SourceRecord> kept = keep(body, requested.toSourcePosition(), after.toSourcePosition());
        records += kept.size();
        next = after;
        continueOrEnd(following != null);
        return kept;
    }

    private void continueOrEnd(boolean hasNextPage) {
        if (hasNextPage && pagesAnswered() < maxPages) {
            nextActionAt = ticker.nanoTime();
        } else {
            endCycle(null);
        }
    }

    /** Pages asked for in this cycle and answered, in full or with 304: what {@code max_pages} limits. */
    private int pagesAnswered() {
        return pages + notModifiedPages;
    }

    /** The named next page, or null where this cycle already fetched it: following it would go round in a loop. */
    private RestPosition unlessFetchedThisCycle(RestPosition named) {
        Integer fetchedAs = named == null ? null : fetchedThisCycle.get(pageKey(uriOf(named)));
        if (fetchedAs == null) {
            return named;
        }
        revisitedPage = true;
        if (!revisitLogged) {
            revisitLogged = true;
            LOG.warn("{} names as its next page the one this cycle fetched as page {}, so the cycle ends here instead of "
                    + "going round a loop, and the next cycle starts from this page. This is said once; each poll cycle "
                    + "it happens in is counted (PollCycle.revisitedPage).", lastRequestLabel, fetchedAs);
        }
        return null;
    }

    /**
     * Extracts, drops repeats, and gives the last kept item the position after this page. Rejected elements stay in
     * place (they go to the dead-letter topic), so the page's position commits only after they are acknowledged too.
     */
    private List<SourceRecord> keep(JsonNode body, SourcePosition thisPage, SourcePosition afterPage) {
        JsonRecordExtractor.Extraction extraction = extractor.extract(body, index -> thisPage);
        List<SourceRecord> kept = new ArrayList<>(extraction.items().size());
        for (SourceRecord record : extraction.items()) {
            if (record.isRejected() || recentKeys.firstSeen(record.key())) {
                kept.add(record);
            } else {
                duplicates++;
            }
        }
        if (!kept.isEmpty()) {
            SourceRecord last = kept.remove(kept.size() - 1);
            kept.add(last.at(afterPage));
        }
        return kept;
    }

    /** The position of the page after this one, or null when the body names none. */
    private RestPosition nextPage(JsonNode body, URI requestUri) {
        String cursorPath = config.sourcePaginationCursorPath();
        String nextLinkPath = config.sourcePaginationNextLinkPath();
        if (cursorPath != null) {
            String cursor = textAt(body, cursorPath);
            // The cursor just asked for, answered with itself: nothing newer yet (an API polled for its latest page).
            return cursor == null || cursor.equals(next.cursor()) ? null : new RestPosition(cursor, null, null, null);
        }
        if (nextLinkPath != null) {
            String link = textAt(body, nextLinkPath);
            // Scrubbed: an API that echoes the key parameter into its links must not put it in the position file.
            return link == null ? null : new RestPosition(null, credentials.scrub(requestUri.resolve(link).toString()), null, null);
        }
        return null;
    }

    private void retryLater(String what, Duration wait) {
        failedAttempts++;
        if (failedAttempts > maxRetries) {
            String reason = lastRequestLabel + " " + what + "; gave up after " + failedAttempts + " attempts "
                    + "(`source.max_retries` " + maxRetries + "); the next cycle starts from the same page";
            context.reportPollError(reason);
            endCycle(reason);
            return;
        }
        context.reportPollError(lastRequestLabel + " " + what + " (attempt " + failedAttempts + " of " + (maxRetries + 1)
                + "; retrying in " + wait.toMillis() + " ms)");
        nextActionAt = ticker.nanoTime() + wait.toNanos();
    }

    private void endCycle(String failure) {
        cycleOpen = false;
        PollCycle cycle = new PollCycle(cycleNumber, pages, notModifiedPages, records, duplicates, revisitedPage, failure);
        if (singleCycle) {
            finished = true;
        } else {
            long now = ticker.nanoTime();
            nextActionAt = now + schedule.nanosUntilNextCycle(now - cycleStartedAt);
        }
        endedCycle = cycle;
    }

    /**
     * Tells the listener about a cycle on the poll <em>after</em> it ended: the framework calls poll again only once
     * the previous poll's records are queued, so a listener that stops the pipeline cannot strand the last page.
     */
    private boolean reportEndedCycle() {
        PollCycle cycle = endedCycle;
        if (cycle == null) {
            return false;
        }
        endedCycle = null;
        try {
            cycleListener.accept(cycle);
        } catch (RuntimeException e) {
            context.reportPollError("a poll-cycle listener failed: " + e);
        }
        return true;
    }

    private URI uriOf(RestPosition position) {
        if (position.url() != null) {
            return URI.create(position.url());
        }
        if (position.cursor() != null) {
            return Urls.withQueryParam(baseUri, config.sourcePaginationCursorParam(), position.cursor());
        }
        return baseUri;
    }

    /** One key per page, however its URL was spelled (a relative link, {@code ./}, {@code ..}). */
    private static String pageKey(URI uri) {
        return uri.normalize().toString();
    }

    private boolean hasPagination() {
        return config.sourcePaginationCursorPath() != null || config.sourcePaginationNextLinkPath() != null;
    }

    private static String textAt(JsonNode body, String path) {
        JsonNode node = JsonRecordExtractor.at(body, path);
        return node == null || node.isNull() || !node.isValueNode() || node.asText().isBlank() ? null : node.asText();
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
