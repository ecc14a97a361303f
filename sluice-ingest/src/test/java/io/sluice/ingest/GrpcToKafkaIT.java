package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.PipelineConfig;
import io.sluice.demoapi.DemoApiServer;
import io.sluice.demoapi.GrpcUsersProto;
import io.sluice.demoapi.UserGenerator;
import io.sluice.ingest.position.FilePositionStore;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.grpc.GrpcSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC source end to end into a real Kafka broker, against the demo API's real gRPC endpoint
 * ({@code sluice.demo.v1.Users/StreamUsers}) misbehaving on purpose; what counts is what a plain consumer reads back.
 */
class GrpcToKafkaIT {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcToKafkaIT.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SEED = "42";
    private static final UserGenerator USERS = new UserGenerator(SEED);
    private static final int MESSAGES = 10_000;
    private static final Duration RUN_PATIENCE = Duration.ofSeconds(120);
    private static final Pattern RESUME = Pattern.compile("gRPC call \\d+ resumes after seq (\\d+)");

    private static TestKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = TestKafka.start("sluice-grpc-to-kafka-it");
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Map<String, String> grpcKeys(DemoApiServer api, String request) {
        Map<String, String> keys = new HashMap<>(Map.of("source.type", "grpc", "source.url", api.grpcUrl(),
                "source.grpc.method", GrpcUsersProto.METHOD, "source.grpc.request", request,
                "source.records_path", "results", "record.key", "login.uuid", "source.position_path", "seq",
                "source.initial_position", "0", "source.reconnect_min", "20ms", "source.reconnect_max", "200ms"));
        return keys;
    }

    @Test
    void everyMessageReachesKafkaOnceAndInOrderAcrossCancellationsAndUnavailable() throws Exception {
        String name = "grpc_to_kafka";
        GrpcSource source = new GrpcSource();
        List<Long> resumedAfter;
        try (StderrCapture serverLog = new StderrCapture();
             DemoApiServer api = new DemoApiServer().withPort(0).withSeed(SEED).withRate(0).withTotal(MESSAGES).start()) {
            // every call is cancelled by the server after 1,500 messages, and every third call is refused UNAVAILABLE
            PipelineConfig config = kafka.pipeline(name, grpcKeys(api,
                    "{\"since\": \"${position}\", \"cancel_after\": 1500, \"unavailable_every\": 3}"));
            run(config, source, pipeline -> pipeline.metrics().recordsSent() >= MESSAGES);
            resumedAfter = serverLog.firstGroups(RESUME).stream().map(Long::parseLong).toList();
        }

        List<ConsumerRecord<String, byte[]>> records = KafkaTopicReader.readAll(kafka.bootstrapServers(), name,
                Duration.ofSeconds(30));
        assertExactlyOnceInOrder(records);
        assertThat(resumedAfter).as("the first call started from the beginning").startsWith(0L);
        List<Long> resumes = resumedAfter.stream().filter(seq -> seq > 0 && seq < MESSAGES).toList();
        assertThat(resumes).as("the server logged each reconnect resuming after the last seq received, not from 0")
                .hasSizeGreaterThanOrEqualTo(6).isSorted();
        assertThat(source.reconnectsByCause()).as("reconnects after cancellations (error) and UNAVAILABLE, counted")
                .containsKey("error");
        assertThat(FilePositionStore.under(kafka.dir().resolve("data"), name, "grpc").load())
                .as("the last seq was committed after Kafka acknowledged it")
                .contains(SourcePosition.of(Integer.toString(MESSAGES)));
        LOG.info("gRPC -> Kafka: {} records, {} calls, resumes logged by the server after seqs {}, reconnects {}",
                records.size(), source.connections(), resumes, source.reconnectsByCause());
    }

    @Test
    void aFullQueueHoldsTheServerBackWithinTheFlowControlBound() throws Exception {
        String name = "grpc_backpressure";
        GrpcSource source = new GrpcSource();
        try (DemoApiServer api = new DemoApiServer().withPort(0).withSeed(SEED).withRate(0).start()) {
            Map<String, String> keys = grpcKeys(api, "{\"since\": \"${position}\"}");
            keys.put("producer.records_per_second", "50");
            keys.put("producer.queue_capacity", "100");
            PipelineConfig config = kafka.pipeline(name, keys);
            try (IngestPipeline pipeline = IngestPipeline.builder(config).source(source)
                    .dataDir(kafka.dir().resolve("data")).build()) {
                pipeline.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (pipeline.metrics().recordsSent() < 300 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(2000); // the endless, unthrottled server has had every chance to run ahead
                long sent = api.grpcMessagesSent();
                long consumed = pipeline.metrics().recordsPolled();
                long acked = pipeline.metrics().recordsSent();
                long smallest = smallestEventBytes();
                // Between the server's count and what the pipeline polled: the hand-off; messages delivered but
                // parked until it has room, and messages asked for but not yet delivered (each at most the demand
                // window); and what the call's HTTP/2 window plus the server's transport buffer (32 KiB before
                // isReady turns false) hold in bytes.
                long handoff = Math.min(config.producerQueueCapacity(), 1024);
                long bound = handoff + 2L * GrpcSource.REQUEST_WINDOW
                        + (GrpcSource.FLOW_CONTROL_WINDOW + 32 * 1024) / smallest + 1;
                LOG.info("gRPC backpressure: server sent {}, pipeline polled {}, Kafka acked {}; bound {} (messages of "
                        + "{} bytes at least)", sent, consumed, acked, bound, smallest);
                assertThat(pipeline.failure()).as("the pipeline ran without failing").isEmpty();
                assertThat(acked).as("records flowed into Kafka").isGreaterThanOrEqualTo(300);
                assertThat(acked).as("the producer's throttle, not the source, set the pace").isLessThan(1000);
                assertThat(sent - consumed).as("the server sent at most %d messages more than the pipeline took "
                        + "(sent %d, polled %d): demand stopped when the queue was full", bound, sent, consumed)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void aDescriptorSetFileReplacesReflection() throws Exception {
        String name = "grpc_no_reflection";
        int total = 500;
        GrpcSource source = new GrpcSource();
        Path descriptors = GrpcUsersProto.writeDescriptorSet(kafka.dir().resolve("users.desc"));
        try (DemoApiServer api = new DemoApiServer().withPort(0).withSeed(SEED).withRate(0).withTotal(total)
                .withGrpcReflection(false).start()) {
            Map<String, String> keys = grpcKeys(api, "{\"since\": \"${position}\"}");
            keys.put("source.grpc.descriptor_set", descriptors.toString());
            run(kafka.pipeline(name, keys), source, pipeline -> pipeline.metrics().recordsSent() >= total);
        }
        List<ConsumerRecord<String, byte[]>> records = KafkaTopicReader.readAll(kafka.bootstrapServers(), name,
                Duration.ofSeconds(30));
        assertThat(records).as("all %d users arrived through the descriptor set, with reflection off", total)
                .hasSize(total);
        assertThat(records).extracting(ConsumerRecord::key).as("keyed by login.uuid of users 0..%d", total - 1)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(0, total)
                        .mapToObj(i -> USERS.uuid(i).toString()).toList());
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface Condition {
        boolean test(IngestPipeline pipeline);
    }

    private static void run(PipelineConfig config, GrpcSource source, Condition sent) throws Exception {
        try (IngestPipeline pipeline = IngestPipeline.builder(config).source(source)
                .dataDir(kafka.dir().resolve("data")).build()) {
            pipeline.start();
            long deadline = System.nanoTime() + RUN_PATIENCE.toNanos();
            boolean done;
            while (!(done = sent.test(pipeline)) && pipeline.failure().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            pipeline.stop();
            assertThat(pipeline.failure()).as("pipeline %s ran without failing", config.name()).isEmpty();
            assertThat(done).as("pipeline %s delivered everything within %d s; metrics: %s", config.name(),
                    RUN_PATIENCE.toSeconds(), pipeline.metrics()).isTrue();
            assertThat(pipeline.metrics().droppedTotal()).as("nothing was dropped on the way to Kafka").isZero();
        }
    }

    /** The smallest UserEvent among the first users: the most messages a window of bytes can hold. */
    private static long smallestEventBytes() {
        return java.util.stream.LongStream.range(0, 2000)
                .map(i -> GrpcUsersProto.event(i + 1, USERS.user(i)).getSerializedSize()).min().orElseThrow();
    }

    private static void assertExactlyOnceInOrder(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        Map<String, Long> expected = new HashMap<>();
        for (long i = 0; i < MESSAGES; i++) {
            expected.put(USERS.uuid(i).toString(), i);
        }
        assertThat(records).as("exactly %d records: none lost, none repeated by the resumes", MESSAGES)
                .hasSize(MESSAGES);
        assertThat(records.stream().map(ConsumerRecord::key).distinct().count()).as("every user once")
                .isEqualTo(MESSAGES);
        Map<Integer, Long> last = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records.stream().sorted(Comparator
                .comparingInt((ConsumerRecord<String, byte[]> c) -> c.partition())
                .thenComparingLong(ConsumerRecord::offset)).toList()) {
            Long index = expected.get(r.key());
            assertThat(index).as("key %s is one of the demo's users", r.key()).isNotNull();
            Long previous = last.put(r.partition(), index);
            assertThat(previous == null || index > previous).as("partition %d holds user %d after user %s: in source "
                    + "order", r.partition(), index, previous).isTrue();
            assertThat(MAPPER.readTree(r.value()).path("login").path("uuid").asText())
                    .as("the value is the user keyed by it").isEqualTo(r.key());
        }
    }
}
