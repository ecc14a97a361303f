package io.sluice.ingest.source.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.PollOnce;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.position.FilePositionStore;
import io.sluice.ingest.source.rest.ScriptedApi.Answer;
import io.sluice.stack.KafkaServer;
import io.sluice.stack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code poll-once} through a real Kafka broker: one cycle per call, the cursor saved after Kafka acknowledged. */
class PollOnceIT {
    private static Path dir;
    private static KafkaServer kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        dir = Files.createTempDirectory("sluice-poll-once-it");
        kafka = new KafkaServer().withDataDir(dir.resolve("kafka")).withPort(Ports.findFree())
                .withControllerPort(Ports.findFree()).withAutoCreateTopics(false).start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Cursor n serves users 10n..10n+9 and names cursor n+1, up to 5 pages; the first call of each page is a 503. */
    private static Answer page(ScriptedApi.Request r, Map<String, AtomicInteger> callsPerPage) {
        String query = r.query();
        int n = query.contains("cursor=") ? Integer.parseInt(query.substring(query.indexOf("cursor=") + 7)) : 0;
        if (callsPerPage.computeIfAbsent("p" + n, k -> new AtomicInteger()).incrementAndGet() == 1) {
            return Answer.status(503, Map.of("Retry-After", "0"));
        }
        StringBuilder users = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            users.append(i == 0 ? "" : ",").append("{\"login\":{\"uuid\":\"u-").append(n * 10 + i).append("\"}}");
        }
        String next = n + 1 < 5 ? "\"" + (n + 1) + "\"" : "null";
        return Answer.json("{\"results\": " + users + "], \"next\": " + next + "}");
    }

    @Test
    void eachCallRunsOneBoundedCycleAndTheNextResumesFromTheSavedCursor() throws Exception {
        Map<String, AtomicInteger> calls = new HashMap<>();
        try (ScriptedApi api = new ScriptedApi(r -> page(r, calls))) {
            Map<String, String> overrides = new HashMap<>();
            overrides.put("pipeline.name", "poll_once_it");
            overrides.put("source.url", api.url("/api/?results=10"));
            overrides.put("source.pagination.cursor_path", "next");
            overrides.put("source.pagination.cursor_param", "cursor");
            overrides.put("source.pagination.max_pages", "3");
            overrides.put("producer.records_per_second", "1000");
            overrides.put("kafka.bootstrap_servers", kafka.bootstrapServers());
            overrides.put("kafka.topic", "poll_once_it");
            PipelineConfig config = TestConfigs.config(overrides);
            Path dataDir = dir.resolve("data");

            PollOnce.Result first = new PollOnce(config, dataDir).withTimeout(Duration.ofMinutes(2)).run();
            PollOnce.Result second = new PollOnce(config, dataDir).withTimeout(Duration.ofMinutes(2)).run();

            assertThat(first.failureReason()).as("the first run should succeed despite 503s").isEmpty();
            assertThat(first.pagesFetched()).as("max_pages bounds a cycle").isEqualTo(3);
            assertThat(first.recordsSent()).isEqualTo(30);
            assertThat(second.failureReason()).isEmpty();
            assertThat(second.pagesFetched()).as("the second run fetched the remaining pages").isEqualTo(2);
            assertThat(second.recordsSent()).isEqualTo(20);
            assertThat(api.requests()).as("the second run started at the saved cursor, not at the first page")
                    .filteredOn(r -> !r.query().contains("cursor=")).hasSize(2); // page 0 and its 503
            assertThat(FilePositionStore.under(dataDir, "poll_once_it", "rest_poll").load()).get()
                    .extracting(p -> RestPosition.from(p).orElseThrow().cursor()).isEqualTo("4");
            assertThat(endOffsets("poll_once_it", config.kafkaPartitions())).as("all 50 users are in Kafka").isEqualTo(50);
        }
    }

    /** Ten users per page, as one JSON body naming {@code next} (a link, or null). */
    private static String usersPage(int page, String next) {
        StringBuilder users = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            users.append(i == 0 ? "" : ",").append("{\"login\":{\"uuid\":\"u-").append(page * 10 + i).append("\"}}");
        }
        return "{\"results\": " + users + "], \"next\": " + (next == null ? "null" : "\"" + next + "\"") + "}";
    }

    @Test
    void nextLinkPagesEndAtALoopAndAreAskedForConditionallyFromTheSavedPositionInTheNextRun() throws Exception {
        // Page 2 is the feed's end and links to itself until page 3 appears; then its ETag changes and it links on.
        AtomicBoolean pageThreeOut = new AtomicBoolean();
        String lastModified = "Wed, 01 Jan 2025 10:00:00 GMT";
        try (ScriptedApi api = new ScriptedApi(r -> switch (r.uri().getPath()) {
            case "/api/" -> Answer.json(usersPage(1, "/api/page2?key=SECRET"));
            case "/api/page2" -> {
                String etag = pageThreeOut.get() ? "\"p2-b\"" : "\"p2-a\"";
                yield etag.equals(r.ifNoneMatch()) ? Answer.status(304, Map.of())
                        : new Answer(200, usersPage(2, pageThreeOut.get() ? "/api/page3" : "/api/page2?key=SECRET"),
                        Map.of("ETag", etag, "Last-Modified", lastModified));
            }
            case "/api/page3" -> Answer.json(usersPage(3, null));
            default -> Answer.status(404, Map.of());
        })) {
            PipelineConfig config = TestConfigs.config(Map.of("pipeline.name", "poll_once_links",
                    "source.url", api.url("/api/?key=SECRET"), "source.pagination.next_link_path", "next",
                    "producer.records_per_second", "1000", "kafka.bootstrap_servers", kafka.bootstrapServers(),
                    "kafka.topic", "poll_once_links"));
            Path dataDir = dir.resolve("data");

            PollOnce.Result first = new PollOnce(config, dataDir).withTimeout(Duration.ofMinutes(2)).run();
            PollOnce.Result unchanged = new PollOnce(config, dataDir).withTimeout(Duration.ofMinutes(2)).run();
            pageThreeOut.set(true);
            PollOnce.Result moved = new PollOnce(config, dataDir).withTimeout(Duration.ofMinutes(2)).run();

            assertThat(first.failureReason()).isEmpty();
            assertThat(first.pagesFetched()).as("page 2's link to itself ended the cycle, instead of 9 more fetches of it")
                    .isEqualTo(2);
            assertThat(unchanged.failureReason()).as("a 304 is no failure").isEmpty();
            assertThat(unchanged.notModified()).as("the second run resumed at page 2 with its validators: 304").isTrue();
            assertThat(unchanged.recordsSent()).isZero();
            assertThat(moved.recordsSent()).as("page 2 (changed, so fetched in full) and the new page 3").isEqualTo(20);
            assertThat(api.requests()).filteredOn(r -> r.uri().getPath().equals("/api/page2"))
                    .extracting(ScriptedApi.Request::ifNoneMatch, ScriptedApi.Request::ifModifiedSince)
                    .as("each run after the first asks for page 2 with what its last full answer said")
                    .containsExactly(tuple(null, null), tuple("\"p2-a\"", lastModified), tuple("\"p2-a\"", lastModified));
            assertThat(FilePositionStore.under(dataDir, "poll_once_links", "rest_poll").load()).get()
                    .extracting(p -> RestPosition.from(p).orElseThrow().url()).asString().endsWith("/api/page3");
            assertThat(endOffsets("poll_once_links", config.kafkaPartitions()))
                    .as("pages 1 and 2, then page 2 again (changed) and page 3").isEqualTo(40);
        }
    }

    @Test
    void aCycleThatGivesUpIsAFailureWithAReason() throws Exception {
        try (ScriptedApi api = new ScriptedApi(r -> Answer.status(500, Map.of()))) {
            PipelineConfig config = TestConfigs.config(Map.of("pipeline.name", "poll_once_fail",
                    "source.url", api.url("/api/"), "source.max_retries", "1", "source.max_backoff", "50ms",
                    "kafka.bootstrap_servers", kafka.bootstrapServers(), "kafka.topic", "poll_once_fail"));

            PollOnce.Result result = new PollOnce(config, dir.resolve("data")).run();

            assertThat(result.succeeded()).isFalse();
            assertThat(result.failureReason()).get().asString().contains("HTTP 500", "gave up after 2 attempts");
        }
    }

    private static long endOffsets(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        }
    }
}
