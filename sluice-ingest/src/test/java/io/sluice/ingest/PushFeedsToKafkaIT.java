package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.position.FilePositionStore;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.ThirdPartyFeed;
import io.sluice.ingest.source.sse.SseSource;
import io.sluice.ingest.source.websocket.WebSocketSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push sources against a feed we did not write ({@link ThirdPartyFeed}: its own seq from 1000, heartbeats, acks,
 * ping events, a non-JSON status line per connection, keyless messages, resets, proper closes, a silent spell that
 * still answers pings), through the real {@link IngestPipeline} into a real Kafka broker, with a restart half way.
 * What counts is what a plain consumer reads back: every record exactly once by the feed's seq on {@code kafka.topic},
 * and every payload that was not a record and not filtered on the dead-letter topic with its original bytes.
 */
class PushFeedsToKafkaIT {
    private static final Logger LOG = LoggerFactory.getLogger(PushFeedsToKafkaIT.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MESSAGES = 5_000;
    private static final int DROP_EVERY = 400;
    private static final int SILENT_CONNECTION = 4;
    private static final int KEYLESS_EVERY = 250;
    private static final Duration PHASE_PATIENCE = Duration.ofSeconds(90);
    private static final Duration READ_PATIENCE = Duration.ofSeconds(30);

    private static TestKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = TestKafka.start("sluice-push-feeds-it");
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void sseFeedReachesKafkaExactlyOnceAndItsUnreadableEventsTheDeadLetterTopic() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.SSE, MESSAGES, DROP_EVERY,
                SILENT_CONNECTION, KEYLESS_EVERY)) {
            String name = "sse_feed";
            PipelineConfig config = config(name, Map.of("source.type", "sse", "source.url", feed.url(),
                    "source.event_types", "user"));
            runAcrossARestart(feed, config, SseSource::new);
        }
    }

    @Test
    void webSocketFeedReachesKafkaExactlyOnceAndItsUnreadableMessagesTheDeadLetterTopic() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.WEBSOCKET, MESSAGES, DROP_EVERY,
                SILENT_CONNECTION, KEYLESS_EVERY)) {
            String name = "ws_feed";
            PipelineConfig config = config(name, Map.of("source.type", "websocket", "source.url", feed.url(),
                    "source.position_path", "seq", "source.resume_param", "since",
                    "source.control_path", "type", "source.control_values", "heartbeat,ack",
                    "source.ping_interval", "200ms", "source.stall_timeout", "5s"));
            runAcrossARestart(feed, config, WebSocketSource::new);
        }
    }

    private void runAcrossARestart(ThirdPartyFeed feed, PipelineConfig config, Supplier<PushSource> sources)
            throws Exception {
        String name = config.name();
        PushSource first = sources.get();
        Map<String, Long> causes = new TreeMap<>();
        run(config, first, pipeline -> pipeline.metrics().recordsSent() >= MESSAGES / 3);
        first.reconnectsByCause().forEach((k, v) -> causes.merge(k, v, Long::sum));
        Optional<SourcePosition> afterFirstRun = savedPosition(name, config.sourceType());
        assertThat(afterFirstRun).as("the first run committed a position before it was stopped").isPresent();

        PushSource second = sources.get(); // resumes after the committed position, from the position store
        String last = Long.toString(feed.lastSeq());
        run(config, second, pipeline -> last.equals(pipeline.metrics().lastCommittedPosition()));
        second.reconnectsByCause().forEach((k, v) -> causes.merge(k, v, Long::sum));

        List<ConsumerRecord<String, byte[]>> records = KafkaTopicReader.readAll(kafka.bootstrapServers(),
                config.kafkaTopic(), READ_PATIENCE);
        List<Long> expected = LongStream.rangeClosed(ThirdPartyFeed.FIRST_SEQ, feed.lastSeq())
                .filter(seq -> !feed.isKeyless(seq)).boxed().toList();
        List<Long> seqs = records.stream().map(r -> seqOf(r.value())).sorted().toList();
        assertThat(seqs).as("every record of the feed exactly once in Kafka, by the feed's own seq: no gap, no "
                + "duplicate, across %s drops, a silent spell and a restart", feed.resets() + feed.goodbyes())
                .isEqualTo(expected);
        assertThat(records).as("each record's Kafka key is its natural key")
                .allSatisfy(r -> assertThat(r.key()).isEqualTo("user-" + seqOf(r.value())));

        List<ConsumerRecord<String, byte[]>> dead = KafkaTopicReader.readAll(kafka.bootstrapServers(),
                config.quarantineTopic(), READ_PATIENCE);
        List<ConsumerRecord<String, byte[]>> keyless = dead.stream().filter(r -> "ingest:no_key".equals(header(r, "sluice.reasons"))).toList();
        List<ConsumerRecord<String, byte[]>> notJson = dead.stream().filter(r -> "ingest:not_json".equals(header(r, "sluice.reasons"))).toList();
        assertThat(keyless.size() + notJson.size()).as("the dead-letter topic holds only keyless and non-JSON payloads")
                .isEqualTo(dead.size());
        assertThat(keyless.stream().map(r -> seqOf(r.value())).sorted().toList())
                .as("every keyless message of the feed is dead-lettered exactly once")
                .isEqualTo(LongStream.rangeClosed(ThirdPartyFeed.FIRST_SEQ, feed.lastSeq()).filter(feed::isKeyless)
                        .boxed().toList());
        assertThat(keyless).as("a dead letter carries the original bytes, its position and the ingest stage")
                .allSatisfy(r -> {
                    long seq = seqOf(r.value());
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(ThirdPartyFeed.keylessRecord(seq));
                    assertThat(header(r, "sluice.source.position")).isEqualTo(Long.toString(seq));
                    assertThat(header(r, "sluice.stage")).isEqualTo("ingest");
                    assertThat(header(r, "sluice.pipeline")).isEqualTo(name);
                });
        assertThat(notJson).as("status lines reached the dead-letter topic byte for byte, at most one per connection")
                .isNotEmpty().hasSizeLessThanOrEqualTo(feed.statusLinesSent())
                .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(ThirdPartyFeed.STATUS_LINE));
        assertThat(savedPosition(name, config.sourceType())).as("the feed's last seq was committed")
                .contains(SourcePosition.of(Long.toString(feed.lastSeq())));
        assertThat(feed.resets()).as("the feed reset connections").isPositive();
        assertThat(feed.goodbyes()).as("the feed closed connections properly").isPositive();
        assertThat(feed.silentSpellDone()).as("the feed went silent once while alive").isTrue();
        assertThat(causes).as("the silent spell was caught as idle, and the drops counted").containsKeys(
                PushSource.Cause.IDLE, PushSource.Cause.CLOSED);
        LOG.info("{} -> Kafka: {} records, {} dead letters ({} keyless, {} status lines of {} sent), {} connections, "
                        + "{} resets, {} closes, reconnects by cause {}, first run committed {}", config.sourceType(),
                records.size(), dead.size(), keyless.size(), notJson.size(), feed.statusLinesSent(), feed.connections(),
                feed.resets(), feed.goodbyes(), causes, afterFirstRun.get());
    }

    private static PipelineConfig config(String name, Map<String, String> source) {
        Map<String, String> overrides = new HashMap<>(source);
        overrides.put("pipeline.name", name);
        overrides.put("source.records_path", "");
        overrides.put("record.key", "id");
        overrides.put("source.idle_timeout", "1s");
        overrides.put("source.reconnect_min", "10ms");
        overrides.put("source.reconnect_max", "200ms");
        return kafka.pipeline(name, overrides);
    }

    @FunctionalInterface
    private interface Condition {
        boolean test(IngestPipeline pipeline);
    }

    /** Runs until {@code done} (bounded), then stops, which flushes and commits. */
    private static void run(PipelineConfig config, PushSource source, Condition done) throws Exception {
        try (IngestPipeline pipeline = IngestPipeline.builder(config).source(source).dataDir(kafka.dir().resolve("data")).build()) {
            pipeline.start();
            long deadline = System.nanoTime() + PHASE_PATIENCE.toNanos();
            boolean reached;
            while (!(reached = done.test(pipeline)) && pipeline.failure().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            pipeline.stop();
            assertThat(pipeline.failure()).as("pipeline %s ran without failing", config.name()).isEmpty();
            assertThat(reached).as("pipeline %s got there within %d s; metrics: %s", config.name(),
                    PHASE_PATIENCE.toSeconds(), pipeline.metrics()).isTrue();
            assertThat(pipeline.metrics().sendErrors()).as("Kafka refused nothing").isZero();
            // No assertion on dropped: a batch polled just as stop() is called is counted as dropped at shutdown
            // (IngestPipeline.enqueue gives up once stopping). Its position was never committed, so the next run
            // re-reads it; the exactly-once check on the topic is what proves nothing was lost.
            LOG.info("{} run ended with {} records counted as dropped at shutdown", config.name(),
                    pipeline.metrics().droppedTotal());
        }
    }

    private static Optional<SourcePosition> savedPosition(String pipeline, String sourceType) {
        return FilePositionStore.under(kafka.dir().resolve("data"), pipeline, sourceType).load();
    }

    private static long seqOf(byte[] json) {
        try {
            return MAPPER.readTree(json).get("seq").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
