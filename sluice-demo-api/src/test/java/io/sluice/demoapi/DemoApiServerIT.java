package io.sluice.demoapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real HTTP against a real server on a free port: REST, SSE and WebSocket, plus injected faults. */
class DemoApiServerIT {

    private static final String SEED = "it-seed";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int ABNORMAL_CLOSURE = 1006;

    private static DemoApiServer server;
    private static HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final UserGenerator generator = new UserGenerator(SEED);

    @BeforeAll
    static void startServer() {
        // Unthrottled by default so tests never wait on pacing; tests that need pacing pass ?rate=.
        server = new DemoApiServer().withPort(0).withSeed(SEED).withRate(0)
                .withHeartbeat(Duration.ofMillis(50)).start();
        http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void serverBindsLoopbackOnTheFreePortItPicked() {
        assertThat(server.port()).isPositive();
        assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    @Test
    void healthAnswers200() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void restReturnsRandomUserShapedPagesOfTheSeed() throws Exception {
        HttpResponse<String> response = get("/api/?results=5&seed=" + SEED + "&page=3");
        JsonNode body = json.readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.get("info").toString())
                .isEqualTo("{\"seed\":\"it-seed\",\"results\":5,\"page\":3,\"version\":\"1.4\"}");
        assertThat(body.get("results")).hasSize(5);
        for (int i = 0; i < 5; i++) {
            JsonNode user = body.get("results").get(i);
            for (String field : UserGeneratorTest.USER_FIELDS) {
                assertThat(user.at(field).isMissingNode()).as("REST user must have %s", field).isFalse();
            }
            assertThat(user).as("page 3 of 5 holds users 10..14").isEqualTo(generator.user(10 + i));
        }
    }

    @Test
    void restWithSeedButNoPageIsPageOneLikeRandomUser() throws Exception {
        JsonNode once = json.readTree(get("/api?results=2&seed=" + SEED).body());
        JsonNode again = json.readTree(get("/api?results=2&seed=" + SEED).body());

        assertThat(once).isEqualTo(again);
        assertThat(once.at("/results/0")).isEqualTo(generator.user(0));
    }

    @Test
    void restWithoutPageOrSeedAdvancesACursorSoPollingYieldsNewUsers() throws Exception {
        HttpResponse<String> first = get("/api/?results=3");
        HttpResponse<String> second = get("/api/?results=3");
        long firstIndex = Long.parseLong(first.headers().firstValue(RestHandler.FIRST_INDEX_HEADER).orElseThrow());
        long secondIndex = Long.parseLong(second.headers().firstValue(RestHandler.FIRST_INDEX_HEADER).orElseThrow());

        assertThat(secondIndex).as("the second poll starts after the first").isGreaterThanOrEqualTo(firstIndex + 3);
        assertThat(json.readTree(second.body()).at("/results/0")).isEqualTo(generator.user(secondIndex));
        assertThat(json.readTree(first.body()).at("/results/0")).isNotEqualTo(json.readTree(second.body()).at("/results/0"));
    }

    @Test
    void restCapsResultsAt5000() throws Exception {
        JsonNode body = json.readTree(get("/api/?results=9999&seed=big&page=1&noinfo").body());

        assertThat(body.get("results")).hasSize(5000);
        assertThat(body.has("info")).as("noinfo drops the info block, as on randomuser.me").isFalse();
    }

    @Test
    void restPagesPastAFiniteTotalAreEmpty() throws Exception {
        JsonNode lastPage = json.readTree(get("/api/?results=4&seed=x&page=3&total=10").body());
        JsonNode pastEnd = json.readTree(get("/api/?results=4&seed=x&page=4&total=10").body());

        assertThat(lastPage.get("results")).as("users 8 and 9 remain").hasSize(2);
        assertThat(pastEnd.get("results")).isEmpty();
    }

    @Test
    void badParametersAnswer400NamingEachProblem() throws Exception {
        HttpResponse<String> response = get("/api/?results=zero&page=0");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("error").asText())
                .contains("results must be a whole number, got 'zero'").contains("page must be >= 1, got 0");
    }

    @Test
    void sseSendsUsersAsIdentifiedEventsAfterARetryField() throws Exception {
        try (SseReader sse = openSse("/stream/sse?limit=3", null)) {
            SseReader.Frame opening = sse.next();
            List<SseReader.Frame> events = sse.nextEvents(3);

            assertThat(opening.retry()).isEqualTo("1000");
            assertThat(events).extracting(SseReader.Frame::id).containsExactly("0", "1", "2");
            assertThat(events).extracting(SseReader.Frame::event).containsOnly("user");
            assertThat(json.readTree(events.get(2).data())).isEqualTo(generator.user(2));
            assertThat(sse.next()).as("the stream ends after limit=3 events").isNull();
        }
    }

    @Test
    void sseResumesAfterLastEventId() throws Exception {
        try (SseReader sse = openSse("/stream/sse?limit=2", "41")) {
            List<SseReader.Frame> events = sse.nextEvents(2);

            assertThat(events).extracting(SseReader.Frame::id).containsExactly("42", "43");
            assertThat(json.readTree(events.get(0).data())).isEqualTo(generator.user(42));
        }
    }

    @Test
    void sseSendsKeepaliveCommentsWhileIdle() throws Exception {
        // One event per second with a 50 ms heartbeat: the gap before the second event holds keepalives.
        try (SseReader sse = openSse("/stream/sse?rate=1&limit=2", null)) {
            List<String> comments = new ArrayList<>();
            SseReader.Frame frame;
            while ((frame = sse.next()) != null) {
                comments.addAll(frame.comments());
            }

            assertThat(comments).contains("keepalive");
        }
    }

    @Test
    void sseAnswers204WhenResumingPastTheEndOfAFiniteSequence() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/stream/sse?total=10"))
                .header("Last-Event-ID", "9").build());

        assertThat(response.statusCode()).as("204 tells an SSE client to stop reconnecting").isEqualTo(204);
    }

    @Test
    void webSocketSendsOneUserPerTextMessageThenClosesNormally() throws Exception {
        Collected collected = openWebSocket("/stream/ws?limit=5&from=100");

        assertThat(collected.closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        assertThat(collected.messages).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(parse(collected.messages.get(i))).isEqualTo(generator.user(100 + i));
        }
    }

    @Test
    void allTransportsAgreeOnTheSameUsers() throws Exception {
        String rest = json.readTree(get("/api/?results=1&seed=" + SEED + "&page=8").body()).at("/results/0").toString();
        String sse;
        try (SseReader reader = openSse("/stream/sse?from=7&limit=1", null)) {
            sse = reader.nextEvents(1).get(0).data();
        }
        Collected ws = openWebSocket("/stream/ws?from=7&limit=1");
        ws.closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(sse).isEqualTo(rest);
        assertThat(ws.messages).containsExactly(rest);
    }

    @Test
    void injected429CarriesRetryAfter() throws Exception {
        HttpResponse<String> response = get("/api/?fail=429:1:3");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    }

    @Test
    void injectedMalformedBodyIsNotJson() throws Exception {
        HttpResponse<String> response = get("/api/?results=3&fail=malformed:1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> json.readTree(response.body())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void injectedDropCutsTheRestConnection() {
        assertThatThrownBy(() -> get("/api/?fail=drop:1")).isInstanceOf(IOException.class);
    }

    @Test
    void injectedDropCutsTheSseStreamBeforeAnyEvent() throws Exception {
        try (SseReader sse = openSse("/stream/sse?fail=drop:1", null)) {
            assertThatThrownBy(() -> sse.nextEvents(1)).as("a dropped stream ends with an I/O error, not a clean end")
                    .hasRootCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void injectedMalformedSseEventKeepsItsIdButIsNotJson() throws Exception {
        try (SseReader sse = openSse("/stream/sse?from=5&limit=1&fail=malformed:1", null)) {
            SseReader.Frame event = sse.nextEvents(1).get(0);

            assertThat(event.id()).isEqualTo("5");
            assertThatThrownBy(() -> json.readTree(event.data())).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void injectedDropCutsTheWebSocketWithoutACloseFrame() throws Exception {
        Collected collected = openWebSocket("/stream/ws?fail=drop:1");

        // The JDK client reports a connection lost without a close frame as an error or as code 1006.
        int ending = collected.closeCode.handle((code, error) -> error != null ? ABNORMAL_CLOSURE : code)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(ending).as("a dropped WebSocket ends abnormally, not with a close frame").isEqualTo(ABNORMAL_CLOSURE);
        assertThat(collected.messages).isEmpty();
    }

    @Test
    @Timeout(30)
    void closingTheServerEndsOpenStreams() throws Exception {
        try (DemoApiServer own = new DemoApiServer().withPort(0).withRate(1000).start()) {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(
                    HttpRequest.newBuilder(URI.create(own.baseUrl() + "/stream/sse")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            try (SseReader sse = new SseReader(response.body())) {
                assertThat(sse.nextEvents(3)).hasSize(3);

                own.close();
                Throwable ending = catchThrowable(() -> {
                    while (sse.next() != null) {
                        // discard: only the end of the stream matters
                    }
                });

                assertThat(own.isRunning()).isFalse();
                assertThat(ending).as("the endless stream ends, cleanly or by a reset connection")
                        .satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).isInstanceOf(UncheckedIOException.class));
            }
        }
    }

    @Test
    void injectedStatusRefusesTheWebSocketUpgrade() {
        CompletableFuture<WebSocket> connecting = http.newWebSocketBuilder()
                .buildAsync(wsUri("/stream/ws?fail=503:1"), new WebSocket.Listener() { });

        assertThatThrownBy(() -> connecting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(503));
    }

    // --- helpers -------------------------------------------------------------------------------

    private JsonNode parse(String text) throws JsonProcessingException {
        return json.readTree(text);
    }

    private static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private static URI wsUri(String path) {
        return URI.create(server.webSocketBaseUrl() + path);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static SseReader openSse(String path, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        return new SseReader(response.body());
    }

    /** Messages received over one WebSocket, completed when the server closes it. */
    private record Collected(List<String> messages, CompletableFuture<Integer> closeCode) {
    }

    private static Collected openWebSocket(String path) throws Exception {
        Collected collected = new Collected(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    collected.messages().add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                collected.closeCode().complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                collected.closeCode().completeExceptionally(error);
            }
        };
        http.newWebSocketBuilder().buildAsync(wsUri(path), listener).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return collected;
    }
}
