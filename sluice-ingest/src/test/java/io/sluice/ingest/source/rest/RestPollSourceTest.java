package io.sluice.ingest.source.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.ManualTicker;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.rest.ScriptedApi.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REST source against a scripted local HTTP server; time is a {@link ManualTicker}, so backoffs cost nothing. */
class RestPollSourceTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    private final ManualTicker ticker = new ManualTicker();
    private final List<PollCycle> cycles = new CopyOnWriteArrayList<>();
    private ScriptedApi api;
    private RestPollSource source;

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.stop();
        }
        if (api != null) {
            api.close();
        }
    }

    private static String users(String... uuids) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < uuids.length; i++) {
            out.append(i == 0 ? "" : ",").append("{\"login\":{\"uuid\":\"").append(uuids[i]).append("\"}}");
        }
        return out.append("]").toString();
    }

    private RecordingContext start(Function<ScriptedApi.Request, Answer> script, Map<String, String> overrides) throws Exception {
        api = new ScriptedApi(script);
        Map<String, String> all = new HashMap<>(Map.of("source.url", api.url("/api/?key=SECRET"), "source.interval", "1m"));
        all.putAll(overrides);
        PipelineConfig config = TestConfigs.config(all);
        RecordingContext context = new RecordingContext(config);
        source = new RestPollSource(ticker, Clock.fixed(NOW, ZoneOffset.UTC), () -> 0.5, false, cycles::add);
        source.start(context);
        return context;
    }

    /** Polls as the framework does until {@code n} cycles ended, moving time on whenever the source waits. */
    private List<SourceRecord> pollCycles(int n) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < 500 && cycles.size() < n; i++) {
            List<SourceRecord> batch = source.poll(Duration.ofMillis(200));
            records.addAll(batch);
            if (batch.isEmpty()) {
                ticker.advance(Duration.ofMinutes(5));
            }
        }
        assertThat(cycles).as("the source should have finished " + n + " poll cycles").hasSizeGreaterThanOrEqualTo(n);
        return records;
    }

    @Test
    void recordsAreKeyedAndMalformedOnesRejectedInPlace() throws Exception {
        start(r -> Answer.json("{\"results\": [{\"login\": {\"uuid\": \"u-1\"}}, {\"login\": {}}]}"), Map.of());
        List<SourceRecord> items = pollCycles(1);
        assertThat(items).extracting(SourceRecord::isRejected).as("the keyless element follows the record, rejected")
                .containsExactly(false, true);
        assertThat(items.get(0).key()).isEqualTo("u-1");
        assertThat(items.get(1).rejection().reason()).isEqualTo("ingest:no_key");
        assertThat(items.get(1).rejection().detail()).contains("element 1").doesNotContain("SECRET");
    }

    @Test
    void aBodyThatStaysNotJsonIsRetriedThenDeadLetteredAsItCameAndTheNextCycleAsksForThePageAgain() throws Exception {
        String broken = "<html>maintenance</html>";
        RecordingContext context = start(r -> Answer.json(broken), Map.of("source.max_retries", "2"));

        List<SourceRecord> items = pollCycles(1);

        assertThat(api.requests()).as("the first call and both retries").hasSize(3);
        assertThat(items).as("once the retries are spent the body is a dead letter, not a silent drop").singleElement()
                .satisfies(item -> {
                    assertThat(item.isRejected()).isTrue();
                    assertThat(item.rejection().reason()).isEqualTo("ingest:not_json");
                    assertThat(item.rejection().detail()).contains("3 attempts").doesNotContain("SECRET");
                    assertThat(new String(item.value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(broken);
                    assertThat(RestPosition.from(item.position())).as("its position is the page it came from, so "
                            + "nothing after it is skipped").contains(RestPosition.START);
                });
        assertThat(context.pollErrors).hasSize(3);
        assertThat(cycles.get(0).failureReason()).get().asString().contains("gave up after 3 attempts");
    }

    @Test
    void cursorPaginationFollowsTheCursorAndTheLastRecordOfAPageCarriesTheNextOne() throws Exception {
        Map<String, String> pages = Map.of(
                "", "{\"results\": " + users("a", "b") + ", \"info\": {\"next\": \"c1\"}}",
                "c1", "{\"results\": " + users("c", "d") + ", \"info\": {\"next\": \"c2\"}}",
                "c2", "{\"results\": " + users("e") + ", \"info\": {\"next\": null}}");
        start(r -> Answer.json(pages.get(cursorOf(r))), Map.of("source.pagination.cursor_path", "info.next",
                "source.pagination.cursor_param", "cursor"));

        List<SourceRecord> records = pollCycles(1);

        assertThat(records).extracting(SourceRecord::key).containsExactly("a", "b", "c", "d", "e");
        assertThat(api.requests()).extracting(ScriptedApi.Request::query)
                .as("the cursor replaces nothing else in the query").containsExactly("key=SECRET", "key=SECRET&cursor=c1",
                        "key=SECRET&cursor=c2");
        assertThat(RestPosition.from(records.get(0).position())).as("a mid-page record resumes at its own page")
                .contains(RestPosition.START);
        assertThat(RestPosition.from(records.get(1).position())).as("a page's last record resumes at the next page")
                .contains(new RestPosition("c1", null, null, null));
        assertThat(cycles.get(0)).isEqualTo(new PollCycle(1, 3, 0, 5, 0, false, null));
    }

    @Test
    void aCycleFetchesAtMostMaxPagesAndTheNextCycleContinuesFromTheCursor() throws Exception {
        AtomicInteger served = new AtomicInteger();
        start(r -> {
            int n = served.incrementAndGet();
            return Answer.json("{\"results\": " + users("u" + n) + ", \"next\": \"c" + n + "\"}");
        }, Map.of("source.pagination.cursor_path", "next", "source.pagination.cursor_param", "cursor",
                "source.pagination.max_pages", "2"));

        pollCycles(2);

        assertThat(cycles).extracting(PollCycle::pages).containsExactly(2, 2);
        assertThat(api.requests()).extracting(r -> cursorOf(r)).containsExactly("", "c1", "c2", "c3");
    }

    @Test
    void nextLinkPaginationFollowsRelativeAndAbsoluteLinks() throws Exception {
        start(r -> switch (r.uri().getPath()) {
            case "/api/" -> Answer.json("{\"data\": " + users("a") + ", \"links\": {\"next\": \"/api/page2?x=1\"}}");
            case "/api/page2" -> Answer.json("{\"data\": " + users("b") + ", \"links\": {}}");
            default -> Answer.status(404, Map.of());
        }, Map.of("source.records_path", "data", "source.pagination.next_link_path", "links.next"));

        List<SourceRecord> records = pollCycles(1);

        assertThat(records).extracting(SourceRecord::key).containsExactly("a", "b");
        assertThat(RestPosition.from(records.get(1).position()).orElseThrow().url()).endsWith("/api/page2?x=1");
    }

    @Test
    void theEtagIsSentBackAndA304MeansNothingNew() throws Exception {
        start(r -> "\"v1\"".equals(r.ifNoneMatch()) ? Answer.status(304, Map.of())
                : new Answer(200, "{\"results\": " + users("a", "b") + "}", Map.of("ETag", "\"v1\"")), Map.of());

        List<SourceRecord> records = pollCycles(2);

        assertThat(records).extracting(SourceRecord::key).containsExactly("a", "b");
        assertThat(api.requests()).extracting(ScriptedApi.Request::ifNoneMatch).containsExactly(null, "\"v1\"");
        assertThat(cycles.get(1).notModified()).as("the second cycle saw 304 Not Modified").isTrue();
        assertThat(RestPosition.from(records.get(1).position()).orElseThrow().etag())
                .as("the page's last record resumes with its ETag: all of the page comes before it").isEqualTo("\"v1\"");
        assertThat(RestPosition.from(records.get(0).position()).orElseThrow().etag())
                .as("a mid-page record resumes without it, so a restart fetches the rest of the page, not a 304").isNull();
    }

    @ParameterizedTest(name = "pagination: {0}")
    @ValueSource(strings = {"none", "cursor", "next_link"})
    void conditionalRequestsAreTheSameForEveryPaginationStyle(String style) throws Exception {
        Map<String, String> overrides = switch (style) {
            case "cursor" -> Map.of("source.pagination.cursor_path", "next", "source.pagination.cursor_param", "cursor");
            case "next_link" -> Map.of("source.pagination.next_link_path", "next");
            default -> Map.of();
        };
        Function<ScriptedApi.Request, Integer> pageOf = r -> switch (style) {
            case "cursor" -> cursorOf(r).equals("c2") ? 2 : 1;
            case "next_link" -> r.uri().getPath().endsWith("/page2") ? 2 : 1;
            default -> 1;
        };
        String secondPage = style.equals("cursor") ? "\"c2\"" : style.equals("next_link") ? "\"/api/page2?key=SECRET\"" : null;
        // Page 2's ETag is weak: If-None-Match compares weakly (RFC 9110 §13.1.2), so it is sent back as it came.
        Map<Integer, String> etags = Map.of(1, "\"p1\"", 2, "W/\"p2\"");
        Map<Integer, String> lastModified = Map.of(1, "Wed, 01 Jan 2025 10:00:00 GMT", 2, "Wed, 01 Jan 2025 11:00:00 GMT");
        RecordingContext context = start(r -> {
            int page = pageOf.apply(r);
            if (etags.get(page).equals(r.ifNoneMatch())) {
                return Answer.status(304, Map.of());
            }
            String next = page == 1 && secondPage != null ? secondPage : "null";
            return new Answer(200, "{\"results\": " + users("u" + page) + ", \"next\": " + next + "}",
                    Map.of("ETag", etags.get(page), "Last-Modified", lastModified.get(page)));
        }, overrides);

        List<SourceRecord> records = pollCycles(2);

        int lastPage = secondPage == null ? 1 : 2;
        List<ScriptedApi.Request> requests = api.requests();
        assertThat(requests).as("the first cycle fetched every page, the second asked again for the last one only")
                .hasSize(lastPage + 1);
        assertThat(requests.subList(0, lastPage)).as("pages never answered before are asked for unconditionally")
                .allSatisfy(r -> assertThat(r.ifNoneMatch()).isNull());
        ScriptedApi.Request again = requests.get(lastPage);
        assertThat(pageOf.apply(again)).isEqualTo(lastPage);
        assertThat(again.ifNoneMatch()).as("the page's own ETag goes back in If-None-Match").isEqualTo(etags.get(lastPage));
        assertThat(again.ifModifiedSince()).as("and its Last-Modified in If-Modified-Since")
                .isEqualTo(lastModified.get(lastPage));
        assertThat(cycles.get(1)).as("the 304 is 'nothing new on that page', not an error")
                .isEqualTo(new PollCycle(2, 0, 1, 0, 0, false, null));
        assertThat(context.pollErrors).as("a 304 reports no poll error").isEmpty();
        assertThat(records).extracting(SourceRecord::key).hasSize(lastPage);
    }

    @Test
    void aPageWithOnlyLastModifiedIsAskedForWithIfModifiedSince() throws Exception {
        String date = "Wed, 01 Jan 2025 10:00:00 GMT";
        start(r -> date.equals(r.ifModifiedSince()) ? Answer.status(304, Map.of())
                : new Answer(200, "{\"results\": " + users("a") + "}", Map.of("Last-Modified", date)), Map.of());

        pollCycles(2);

        assertThat(api.requests()).extracting(ScriptedApi.Request::ifNoneMatch).containsExactly(null, null);
        assertThat(api.requests()).extracting(ScriptedApi.Request::ifModifiedSince).containsExactly(null, date);
        assertThat(cycles.get(1).notModified()).isTrue();
    }

    @Test
    void aNextLinkBackToTheSamePageEndsTheCycleInsteadOfFetchingItAgain() throws Exception {
        start(r -> Answer.json("{\"data\": " + users("a") + ", \"links\": {\"next\": \"/api/?key=SECRET\"}}"),
                Map.of("source.records_path", "data", "source.pagination.next_link_path", "links.next"));

        List<SourceRecord> records = pollCycles(2);

        assertThat(api.requests()).as("one request per cycle, not source.pagination.max_pages (10)").hasSize(2);
        assertThat(cycles).extracting(PollCycle::revisitedPage).as("each cycle counts the loop").containsExactly(true, true);
        assertThat(cycles).extracting(PollCycle::failure).as("a loop is not a failure").containsOnlyNulls();
        assertThat(records).extracting(SourceRecord::key).containsExactly("a");
    }

    @Test
    void aCursorThatReturnsToAPageAlreadyFetchedInTheCycleEndsIt() throws Exception {
        Map<String, String> pages = Map.of(
                "", "{\"results\": " + users("a") + ", \"next\": \"c1\"}",
                "c1", "{\"results\": " + users("b") + ", \"next\": \"c2\"}",
                "c2", "{\"results\": " + users("c") + ", \"next\": \"c1\"}");
        start(r -> Answer.json(pages.get(cursorOf(r))), Map.of("source.pagination.cursor_path", "next",
                "source.pagination.cursor_param", "cursor"));

        List<SourceRecord> records = pollCycles(2);

        assertThat(api.requests()).extracting(r -> cursorOf(r)).as("cycle 1 stops before c1 comes round again; cycle 2 "
                + "starts from the page cycle 1 ended on").containsExactly("", "c1", "c2", "c2", "c1");
        assertThat(cycles).extracting(PollCycle::revisitedPage).containsExactly(true, true);
        assertThat(RestPosition.from(records.get(2).position()).orElseThrow().cursor())
                .as("the last record of the cycle resumes at the page the cycle ended on").isEqualTo("c2");
        assertThat(records).extracting(SourceRecord::key).containsExactly("a", "b", "c");
    }

    @Test
    void aCursorAnsweredWithItselfIsTheLatestPageAndIsAskedForAgainEachCycle() throws Exception {
        AtomicInteger latest = new AtomicInteger();
        start(r -> cursorOf(r).isEmpty() ? Answer.json("{\"results\": " + users("a") + ", \"next\": \"c1\"}")
                        : Answer.json("{\"results\": " + users("n" + latest.incrementAndGet()) + ", \"next\": \"c1\"}"),
                Map.of("source.pagination.cursor_path", "next", "source.pagination.cursor_param", "cursor"));

        List<SourceRecord> records = pollCycles(3);

        assertThat(api.requests()).extracting(r -> cursorOf(r)).containsExactly("", "c1", "c1", "c1");
        assertThat(records).extracting(SourceRecord::key).containsExactly("a", "n1", "n2", "n3");
        assertThat(cycles).extracting(PollCycle::revisitedPage).as("asking for the latest page again is no loop")
                .containsExactly(false, false, false);
    }

    @Test
    void anUnchangedPageLeadsOnToThePageItNamedLastTime() throws Exception {
        // Page A links to B and B back to A; both have ETags. Cycle 1 fetches A and B and stops before A again.
        RecordingContext context = start(r -> {
            boolean b = r.uri().getPath().endsWith("/b");
            String etag = b ? "\"b\"" : "\"a\"";
            if (etag.equals(r.ifNoneMatch())) {
                return Answer.status(304, Map.of());
            }
            String next = b ? "/api/?key=SECRET" : "/api/b";
            return new Answer(200, "{\"results\": " + users(b ? "b" : "a") + ", \"next\": \"" + next + "\"}",
                    Map.of("ETag", etag));
        }, Map.of("source.pagination.next_link_path", "next"));

        List<SourceRecord> records = pollCycles(2);

        assertThat(api.requests()).extracting(r -> r.uri().getPath() + " " + r.ifNoneMatch())
                .as("cycle 2: B is unchanged, so it goes on to A, the page B named, which is unchanged too")
                .containsExactly("/api/ null", "/api/b null", "/api/b \"b\"", "/api/ \"a\"");
        assertThat(cycles.get(1)).isEqualTo(new PollCycle(2, 0, 2, 0, 0, true, null));
        assertThat(context.pollErrors).isEmpty();
        assertThat(records).extracting(SourceRecord::key).containsExactly("a", "b");
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDateIsHonoured() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RecordingContext context = start(r -> switch (calls.incrementAndGet()) {
            case 1 -> Answer.status(429, Map.of("Retry-After", "7"));
            case 2 -> Answer.status(503, Map.of("Retry-After", "Wed, 01 Jan 2025 12:01:00 GMT"));
            default -> Answer.json("{\"results\": " + users("a") + "}");
        }, Map.of());

        List<SourceRecord> records = pollCycles(1);

        assertThat(records).extracting(SourceRecord::key).containsExactly("a");
        assertThat(context.pollErrors).hasSize(2);
        assertThat(context.pollErrors.get(0)).contains("HTTP 429", "retrying in 7000 ms").doesNotContain("SECRET");
        assertThat(context.pollErrors.get(1)).contains("HTTP 503", "retrying in 60000 ms");
    }

    @Test
    void otherServerErrorsBackOffExponentiallyAndTheCycleGivesUpAfterMaxRetries() throws Exception {
        RecordingContext context = start(r -> Answer.status(500, Map.of()),
                Map.of("source.max_retries", "3", "source.max_backoff", "2s"));

        pollCycles(1);

        // 500 ms doubling, capped at 2 s; random fixed at 0.5 waits three quarters of each step (equal jitter).
        assertThat(context.pollErrors).hasSize(4);
        assertThat(context.pollErrors.get(0)).contains("retrying in 375 ms");
        assertThat(context.pollErrors.get(1)).contains("retrying in 750 ms");
        assertThat(context.pollErrors.get(2)).contains("retrying in 1500 ms");
        assertThat(cycles.get(0).failureReason()).get().asString().contains("HTTP 500", "gave up after 4 attempts");
    }

    @Test
    void aClientErrorEndsTheCycleWithoutRetrying() throws Exception {
        start(r -> Answer.status(404, Map.of()), Map.of());
        pollCycles(1);
        assertThat(api.requests()).hasSize(1);
        assertThat(cycles.get(0).failureReason()).get().asString().contains("HTTP 404", "not retried");
    }

    @Test
    void recordsRepeatedByOverlappingPagesAreDroppedByKey() throws Exception {
        Map<String, String> pages = Map.of(
                "", "{\"results\": " + users("a", "b") + ", \"next\": \"c1\"}",
                "c1", "{\"results\": " + users("b", "c") + "}");
        start(r -> Answer.json(pages.get(cursorOf(r))), Map.of("source.pagination.cursor_path", "next",
                "source.pagination.cursor_param", "cursor"));

        List<SourceRecord> records = pollCycles(1);

        assertThat(records).extracting(SourceRecord::key).containsExactly("a", "b", "c");
        assertThat(cycles.get(0).duplicates()).isEqualTo(1);
    }

    @Test
    void aSavedPositionIsWhereTheFirstRequestResumes() throws Exception {
        api = new ScriptedApi(r -> Answer.json("{\"results\": []}"));
        PipelineConfig config = TestConfigs.config(Map.of("source.url", api.url("/api/"),
                "source.pagination.cursor_path", "next", "source.pagination.cursor_param", "cursor"));
        source = new RestPollSource(ticker, Clock.fixed(NOW, ZoneOffset.UTC), () -> 0.5, false, cycles::add);
        String date = "Wed, 01 Jan 2025 10:00:00 GMT";
        source.start(new RecordingContext(config, new RestPosition("c42", null, "\"e\"", date).toSourcePosition()));

        pollCycles(1);

        assertThat(api.requests()).singleElement().satisfies(r -> {
            assertThat(r.query()).isEqualTo("cursor=c42");
            assertThat(r.ifNoneMatch()).isEqualTo("\"e\"");
            assertThat(r.ifModifiedSince()).isEqualTo(date);
        });
    }

    @Test
    void stopFromAnotherThreadUnblocksAPollWaitingOnASlowApi() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            start(r -> {
                requested.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Answer.json("{\"results\": []}");
            }, Map.of("source.timeout", "60s"));
            CompletableFuture<List<SourceRecord>> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return source.poll(Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(requested.await(30, TimeUnit.SECONDS)).as("the source called the API").isTrue();

            source.stop();

            assertThat(poll.get(30, TimeUnit.SECONDS)).as("a poll cut short by stop returns no records").isEmpty();
        } finally {
            release.countDown();
        }
    }

    private static String cursorOf(ScriptedApi.Request r) {
        for (String pair : r.query().split("&")) {
            if (pair.startsWith("cursor=")) {
                return pair.substring("cursor=".length());
            }
        }
        return "";
    }
}
