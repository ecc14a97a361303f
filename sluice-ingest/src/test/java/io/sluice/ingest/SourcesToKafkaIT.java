package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.PipelineConfig;
import io.sluice.demoapi.DemoApiServer;
import io.sluice.demoapi.UserGenerator;
import io.sluice.ingest.position.FilePositionStore;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.mqtt.MqttBroker;
import io.sluice.ingest.source.mqtt.MqttSource;
import io.sluice.ingest.source.mqtt.QosOnePublisher;
import io.sluice.ingest.source.rest.RestPollSource;
import io.sluice.ingest.source.sse.SseSource;
import io.sluice.ingest.source.websocket.WebSocketSource;
import io.sluice.stack.KafkaServer;
import io.sluice.stack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every source, end to end into a real Kafka broker, against a real local server that misbehaves on purpose; what
 * counts is what a plain {@code KafkaConsumer} reads back from the topic. One broker for the class, a topic per test.
 *
 * <p>"In order" means: within each partition, the users' indexes in the source's sequence strictly increase (a key
 * always lands in the same partition, so per-key order follows, and a duplicate would break the increase).
 */
class SourcesToKafkaIT {
    private static final Logger LOG = LoggerFactory.getLogger(SourcesToKafkaIT.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SEED = "42";
    private static final UserGenerator USERS = new UserGenerator(SEED);
    private static final int STREAM_EVENTS = 10_000;
    private static final Duration RUN_PATIENCE = Duration.ofSeconds(90);
    private static final Duration READ_PATIENCE = Duration.ofSeconds(30);
    private static final String PROBE_KEY = "probe";
    private static final Pattern SSE_RESUME = Pattern.compile("resumes with Last-Event-ID (\\d+)");
    private static final Pattern WS_CONNECT = Pattern.compile("WebSocket client \\S+ connected; streaming seed '"
            + SEED + "' from index (\\d+)");

    private static Path dir;
    private static KafkaServer kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        dir = Files.createTempDirectory("sluice-sources-to-kafka-it");
        kafka = new KafkaServer().withDataDir(dir.resolve("kafka")).withPort(Ports.findFree())
                .withControllerPort(Ports.findFree()).withAutoCreateTopics(false).start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void sseEventsReachKafkaExactlyOnceAndInOrderAcrossForcedDisconnects() throws Exception {
        String name = "sse_to_kafka";
        SseSource source = new SseSource();
        IngestMetrics.Snapshot m;
        List<Long> resumedAfter;
        try (StderrCapture serverLog = new StderrCapture();
             DemoApiServer api = demoApi().withSseRetry(Duration.ofMillis(50)).start()) {
            // drop cuts the connection mid-stream (no final chunk) after about 1 in 500 events: ~20 cuts in 10,000.
            PipelineConfig config = config(name, Map.of("source.type", "sse",
                    "source.url", api.baseUrl() + "/stream/sse?total=" + STREAM_EVENTS + "&fail=drop:0.002",
                    "source.records_path", "", "source.reconnect_min", "20ms", "source.reconnect_max", "500ms"));
            m = run(config, source, () -> source.ended(), pipeline -> pipeline.metrics().recordsSent() >= STREAM_EVENTS);
            resumedAfter = serverLog.firstGroups(SSE_RESUME).stream().map(Long::parseLong).toList();
        }

        List<ConsumerRecord<String, byte[]>> records = readTopic(name);
        assertExactlyOnceInOrder(records, STREAM_EVENTS);
        List<Long> midStream = resumedAfter.stream().filter(id -> id < STREAM_EVENTS - 1).toList();
        assertThat(midStream).as("the demo server logged a Last-Event-ID resume after each forced disconnect")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(source.connections()).as("one connection per resume, plus the first")
                .isGreaterThanOrEqualTo(midStream.size() + 1L);
        assertThat(m.pollErrors()).as("every disconnect was reported").isGreaterThanOrEqualTo(midStream.size());
        assertThat(savedPosition(name, "sse")).as("the last event id was committed after Kafka acknowledged it")
                .contains(SourcePosition.of(Long.toString(STREAM_EVENTS - 1)));
        LOG.info("SSE -> Kafka: {} records, {} distinct keys, {} connections, {} mid-stream resumes logged by the server "
                        + "(after ids {}), {} poll errors", records.size(), distinctKeys(records).size(),
                source.connections(), midStream.size(), midStream, m.pollErrors());
    }

    @Test
    void webSocketMessagesReachKafkaExactlyOnceAndInOrderAcrossDrops() throws Exception {
        String name = "ws_to_kafka";
        WebSocketSource source = new WebSocketSource();
        IngestMetrics.Snapshot m;
        List<Long> connectedFrom;
        try (StderrCapture serverLog = new StderrCapture(); DemoApiServer api = demoApi().start()) {
            PipelineConfig config = config(name, Map.of("source.type", "websocket",
                    "source.url", api.webSocketBaseUrl() + "/stream/ws?total=" + STREAM_EVENTS + "&fail=drop:0.002",
                    "source.records_path", "", "source.resume_param", "from",
                    "source.position_path", "@frame_index", // the demo API numbers nothing and sends only records
                    "source.reconnect_min", "20ms", "source.reconnect_max", "200ms",
                    "source.ping_interval", "500ms", "source.stall_timeout", "2s")); // a cut without close frame shows as silence
            m = run(config, source, () -> true, pipeline -> pipeline.metrics().recordsSent() >= STREAM_EVENTS);
            connectedFrom = serverLog.firstGroups(WS_CONNECT).stream().map(Long::parseLong).toList();
        }

        List<ConsumerRecord<String, byte[]>> records = readTopic(name);
        assertExactlyOnceInOrder(records, STREAM_EVENTS);
        List<Long> resumes = connectedFrom.stream().filter(i -> i > 0 && i < STREAM_EVENTS).toList();
        assertThat(resumes).as("the demo server logged each reconnect resuming with from=<next index>, not from 0")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(connectedFrom).as("the first connection started at index 0").startsWith(0L);
        assertThat(savedPosition(name, "websocket")).contains(SourcePosition.of(Long.toString(STREAM_EVENTS - 1)));
        LOG.info("WebSocket -> Kafka: {} records, {} distinct keys, {} connections, {} mid-stream resumes logged by the "
                        + "server (from indexes {}), {} poll errors", records.size(), distinctKeys(records).size(),
                source.connections(), resumes.size(), resumes, m.pollErrors());
    }

    @Test
    void polledPagesReachKafkaWithoutDuplicatesThrough429And5xxAndPagination() throws Exception {
        String name = "poll_to_kafka";
        int total = 4_990; // 50 pages of 100, the last one short
        IngestMetrics.Snapshot m;
        List<PagedUsersApi.Served> served;
        int pages;
        long status429;
        long status503;
        long status500;
        try (PagedUsersApi api = new PagedUsersApi(SEED, total, 100)) {
            PipelineConfig config = config(name, Map.of("source.type", "rest_poll", "source.url", api.url(),
                    "source.interval", "20ms", "source.timeout", "5s", "source.max_backoff", "2s",
                    "source.pagination.cursor_path", "next", "source.pagination.cursor_param", "cursor",
                    "source.pagination.max_pages", "10"));
            m = run(config, new RestPollSource(), () -> true, pipeline -> pipeline.metrics().recordsSent() >= total);
            served = api.served();
            pages = api.pages();
            status429 = api.countOf(429);
            status503 = api.countOf(503);
            status500 = api.countOf(500);
            assertThat(api.pagesServed()).as("the source followed the cursor through every page, across cycles of at "
                    + "most 10 pages").hasSize(pages).contains(0, pages - 1);
        }

        List<ConsumerRecord<String, byte[]>> records = readTopic(name);
        assertThat(records).as("each of the %d users once: retries and re-polls of the last page sent no duplicate",
                total).hasSize(total);
        assertThat(distinctKeys(records)).as("exactly the users the API served").isEqualTo(expectedKeys(total).keySet());
        assertValuesCarryTheirKeys(records);
        assertThat(status429).as("429s injected, on pages 2, 12, ..., 42").isEqualTo(5);
        assertThat(status503 + status500).as("5xx injected, on pages 5, 15, ..., 45 and 8, 18, ..., 48").isEqualTo(10);
        assertThat(m.pollErrors()).as("each refusal was reported").isGreaterThanOrEqualTo(15);
        assertThat(retryGapsAfter429(served)).as("after each 429 the page was asked again only once Retry-After (%d s) "
                + "had passed", PagedUsersApi.RETRY_AFTER_SECONDS).hasSize(5)
                .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(950)));
        LOG.info("REST poll -> Kafka: {} records, {} distinct keys, {} pages over {} requests ({} x 429, {} x 503, "
                        + "{} x 500), {} poll errors, {} duplicates dropped before Kafka", records.size(),
                distinctKeys(records).size(), pages, served.size(), status429, status503, status500, m.pollErrors(),
                m.recordsPolled() - m.recordsSent());
    }

    @Test
    void mqttQos1MessagesAllReachKafkaAcrossABrokerRestart() throws Exception {
        String name = "mqtt_to_kafka";
        String topic = "users/created";
        int n = 2_000;
        IngestMetrics.Snapshot m;
        int publishRetries;
        try (MqttBroker broker = new MqttBroker().withDataDir(dir).start();
             QosOnePublisher publisher = new QosOnePublisher(broker.url(), "sluice-it-publisher", topic)) {
            PipelineConfig config = config(name, Map.of("source.type", "mqtt", "source.url", broker.url(),
                    "source.mqtt.topic", topic, "source.mqtt.client_id", "sluice-it-to-kafka", "source.timeout", "5s"));
            // Messages published before the subscription exists are (rightly) never delivered: wait for a probe first.
            m = run(config, new MqttSource(), () -> true,
                    pipeline -> awaitSubscribed(pipeline, publisher),
                    pipeline -> {
                        for (int i = 0; i < n; i++) {
                            if (i == n / 2) {
                                broker.restart(); // SIGTERM to the broker's JVM; in-flight and queued messages must survive it
                            }
                            publisher.publish(USERS.userJson(i).getBytes(StandardCharsets.UTF_8));
                        }
                    },
                    pipeline -> pipeline.metrics().distinctKeysAcked() >= n + 1); // + the probe
            publishRetries = publisher.retries();
        }

        List<ConsumerRecord<String, byte[]>> records = readTopic(name);
        List<ConsumerRecord<String, byte[]>> users = records.stream().filter(r -> !r.key().equals(PROBE_KEY)).toList();
        assertThat(distinctKeys(users)).as("every one of the %d QoS 1 messages reached Kafka despite the broker restart",
                n).isEqualTo(expectedKeys(n).keySet());
        // At-least-once: a message in flight at the restart (its PUBACK to the publisher, or ours to the broker, lost)
        // is delivered again, so it may be in Kafka twice under the same key; a keyed upsert downstream absorbs that.
        assertThat(users).as("nothing lost; duplicates only from redelivery").hasSizeGreaterThanOrEqualTo(n);
        assertValuesCarryTheirKeys(users);
        assertThat(m.pollErrors()).as("the source noticed the restart").isGreaterThanOrEqualTo(1);
        LOG.info("MQTT -> Kafka: {} records for {} distinct users ({} duplicates from redelivery), {} publisher retries "
                + "during the restart, {} poll errors", users.size(), distinctKeys(users).size(), users.size() - n,
                publishRetries, m.pollErrors());
    }

    // ---- helpers ----

    private static DemoApiServer demoApi() {
        return new DemoApiServer().withPort(0).withSeed(SEED).withRate(0);
    }

    /** A pipeline into its own topic; throttle high enough that the source, not the producer, sets the pace. */
    private static PipelineConfig config(String name, Map<String, String> source) {
        Map<String, String> overrides = new HashMap<>(source);
        overrides.put("pipeline.name", name);
        overrides.put("producer.records_per_second", "20000");
        overrides.put("producer.bytes_per_second", "64MiB");
        overrides.put("producer.linger", "5ms");
        overrides.put("kafka.bootstrap_servers", kafka.bootstrapServers());
        overrides.put("kafka.topic", name);
        overrides.put("kafka.partitions", "3");
        return TestConfigs.config(overrides);
    }

    @FunctionalInterface
    private interface Step {
        void run(IngestPipeline pipeline) throws Exception;
    }

    @FunctionalInterface
    private interface Condition {
        boolean test(IngestPipeline pipeline);
    }

    private static IngestMetrics.Snapshot run(PipelineConfig config, SourceTask source, BooleanSupplier sourceDone,
                                              Condition sent) throws Exception {
        return run(config, source, sourceDone, pipeline -> { }, pipeline -> { }, sent);
    }

    /**
     * Starts the pipeline, runs the steps, waits (bounded) until the source is done and {@code sent} holds, then stops
     * it, which flushes and commits. Fails with the metrics if the pipeline failed or did not finish in time.
     */
    private static IngestMetrics.Snapshot run(PipelineConfig config, SourceTask source, BooleanSupplier sourceDone,
                                              Step afterStart, Step feed, Condition sent) throws Exception {
        try (IngestPipeline pipeline = IngestPipeline.builder(config).source(source)
                .dataDir(dir.resolve("data")).build()) {
            pipeline.start();
            afterStart.run(pipeline);
            feed.run(pipeline);
            long deadline = System.nanoTime() + RUN_PATIENCE.toNanos();
            boolean done;
            while (!(done = sourceDone.getAsBoolean() && sent.test(pipeline)) && pipeline.failure().isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            pipeline.stop();
            assertThat(pipeline.failure()).as("pipeline %s ran without failing", config.name()).isEmpty();
            assertThat(done).as("pipeline %s delivered everything within %d s; metrics: %s", config.name(),
                    RUN_PATIENCE.toSeconds(), pipeline.metrics()).isTrue();
            IngestMetrics.Snapshot m = pipeline.metrics();
            assertThat(m.sendErrors()).as("Kafka refused nothing").isZero();
            assertThat(m.droppedTotal()).as("nothing was dropped on the way to Kafka").isZero();
            assertThat(m.malformed()).as("no input was malformed").isZero();
            return m;
        }
    }

    /** Publishes a probe until the pipeline polls one, proving the subscription is in place (bounded: 20 s). */
    private static void awaitSubscribed(IngestPipeline pipeline, QosOnePublisher publisher) throws Exception {
        byte[] probe = ("{\"login\":{\"uuid\":\"" + PROBE_KEY + "\"}}").getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pipeline.metrics().recordsPolled() == 0) {
            assertThat(System.nanoTime()).as("the MQTT source subscribed within 20 s").isLessThan(deadline);
            publisher.publish(probe);
            Thread.sleep(200);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readTopic(String topic) {
        return KafkaTopicReader.readAll(kafka.bootstrapServers(), topic, READ_PATIENCE);
    }

    private static Optional<SourcePosition> savedPosition(String pipeline, String sourceType) {
        return FilePositionStore.under(dir.resolve("data"), pipeline, sourceType).load();
    }

    /** login.uuid of users 0..n-1 of the seed, each mapped to its index. */
    private static Map<String, Long> expectedKeys(int n) {
        Map<String, Long> keys = new HashMap<>();
        for (long i = 0; i < n; i++) {
            keys.put(USERS.uuid(i).toString(), i);
        }
        return keys;
    }

    private static Set<String> distinctKeys(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).collect(Collectors.toCollection(HashSet::new));
    }

    private static void assertExactlyOnceInOrder(List<ConsumerRecord<String, byte[]>> records, int n) {
        Map<String, Long> expected = expectedKeys(n);
        assertThat(records).as("exactly %d records in the topic: none lost, none duplicated by reconnects", n).hasSize(n);
        assertThat(distinctKeys(records)).as("the keys are login.uuid of users 0..%d, each once", n - 1)
                .isEqualTo(expected.keySet());
        Map<Integer, Long> lastIndex = new HashMap<>();
        records.stream().sorted(Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset)).forEach(r -> {
                    long index = expected.get(r.key());
                    Long previous = lastIndex.put(r.partition(), index);
                    assertThat(previous == null || index > previous).as("partition %d holds user %d at offset %d after "
                            + "user %s: users must appear in source order", r.partition(), index, r.offset(), previous)
                            .isTrue();
                });
        assertValuesCarryTheirKeys(records);
    }

    private static void assertValuesCarryTheirKeys(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            String uuid;
            try {
                uuid = MAPPER.readTree(r.value()).path("login").path("uuid").asText();
            } catch (IOException e) {
                throw new UncheckedIOException("record at offset " + r.offset() + " is not JSON", e);
            }
            assertThat(uuid).as("the value at partition %d offset %d is the user keyed by it", r.partition(), r.offset())
                    .isEqualTo(r.key());
        }
    }

    /** For each 429, how long until the same page was requested again. */
    private static List<Duration> retryGapsAfter429(List<PagedUsersApi.Served> served) {
        return served.stream().filter(s -> s.status() == 429).map(refused -> served.stream()
                .filter(s -> s.page() == refused.page() && s.atNanos() > refused.atNanos())
                .map(s -> Duration.ofNanos(s.atNanos() - refused.atNanos())).findFirst()
                .orElseThrow(() -> new AssertionError("page " + refused.page() + " was never asked again after its 429")))
                .toList();
    }
}
