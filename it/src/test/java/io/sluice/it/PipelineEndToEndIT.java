package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.cassandra.CassandraClient;
import io.sluice.config.PipelineConfig;
import io.sluice.demoapi.DemoApiServer;
import io.sluice.ingest.IngestPipeline;
import io.sluice.stack.LocalStack;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's promises, end to end on real servers: N users produced through the throttled producer give
 * exactly N rows; replaying the topic under a new checkpoint still gives N rows; no micro-batch exceeds
 * maxOffsetsPerTrigger.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndIT {
    static final int USERS = 2_500;
    static final int MAX_OFFSETS = 400;
    static final Path DEMO_PIPELINE = Path.of(System.getProperty("sluice.home", "..")).resolve("pipelines/demo-users.yaml");

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static DemoApiServer api;
    static Map<String, String> overrides;
    static PipelineConfig config;

    @BeforeAll
    static void startStack() {
        stack = TestServers.startStack(dataDir);
        api = new DemoApiServer().withPort(0).withSeed(7).withTotal(USERS).start();
        overrides = new LinkedHashMap<>();
        overrides.put("pipeline.name", "e2e_users");
        overrides.put("source.url", api.baseUrl() + "/api/?results=200");
        overrides.put("source.interval", "50ms");
        overrides.put("producer.records_per_second", "5000");
        overrides.put("kafka.bootstrap_servers", stack.bootstrapServers());
        overrides.put("kafka.topic", "e2e_users");
        overrides.put("cassandra.contact_points", "127.0.0.1:" + stack.contactPoint().getPort());
        overrides.put("sink.keyspace", "e2e");
        overrides.put("stream.max_offsets_per_trigger", Integer.toString(MAX_OFFSETS));
        overrides.put("stream.trigger_interval", "1s");
        config = PipelineConfig.load(DEMO_PIPELINE, overrides);
    }

    @AfterAll
    static void stopStack() {
        TestServers.stop(api, stack);
    }

    @Test
    @Order(1)
    void everyProducedUserBecomesExactlyOneRow() throws Exception {
        try (IngestPipeline ingest = IngestPipeline.create(config)) {
            ingest.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ingest.metrics().recordsSent() < USERS && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            ingest.stop();
            assertThat(ingest.metrics().recordsSent()).as("users acknowledged by Kafka").isEqualTo(USERS);
            assertThat(ingest.metrics().distinctKeysAcked()).as("distinct users acknowledged by Kafka").isEqualTo(USERS);
        }

        List<StreamProgress> batches = drainWithStreamJob("first", Map.of());

        assertThat(countRows()).as("rows in Cassandra after one pass over %d users", USERS).isEqualTo(USERS);
        assertThat(batches.stream().mapToLong(StreamProgress::numInputRows).sum())
                .as("records the stream job read from Kafka").isEqualTo(USERS);
    }

    @Test
    @Order(2)
    void replayUnderANewCheckpointStillGivesNRows() throws Exception {
        Path freshCheckpoint = dataDir.resolve("checkpoints/replay");
        List<StreamProgress> batches = drainWithStreamJob("replay", Map.of("stream.checkpoint_dir", freshCheckpoint.toString()));

        assertThat(batches.stream().mapToLong(StreamProgress::numInputRows).sum())
                .as("the replay read every record again").isEqualTo(USERS);
        assertThat(countRows()).as("rows after replaying every record: upserts, not duplicates").isEqualTo(USERS);
    }

    @Test
    @Order(3)
    void noMicroBatchExceedsMaxOffsetsPerTrigger() throws Exception {
        List<StreamProgress> batches = drainWithStreamJob("capped", Map.of("stream.checkpoint_dir",
                dataDir.resolve("checkpoints/capped").toString()));

        assertThat(batches).as("a %d-record backlog needs several micro-batches of at most %d", USERS, MAX_OFFSETS)
                .hasSizeGreaterThanOrEqualTo(USERS / MAX_OFFSETS);
        assertThat(batches).allSatisfy(b -> assertThat(b.numInputRows())
                .as("numInputRows of batch %d", b.batchId()).isLessThanOrEqualTo(MAX_OFFSETS));
    }

    /** Runs the real stream job JVM in catch-up mode over the whole topic and returns its micro-batches. */
    private static List<StreamProgress> drainWithStreamJob(String name, Map<String, String> extra) throws Exception {
        StreamJobProcess job = new StreamJobProcess(DEMO_PIPELINE).withDataDir(dataDir).withName(name)
                .withMaxHeap("768m").withAvailableNow(true);
        overrides.forEach(job::withOverride);
        extra.forEach(job::withOverride);
        job.start();
        OptionalInt exit = job.waitFor(Duration.ofMinutes(5));
        if (exit.isEmpty()) {
            job.stopGracefully(Duration.ofSeconds(10));
        }
        assertThat(exit).as("stream job exit code; log tail:%n%s", String.join("\n", job.logTail(40))).hasValue(0);
        assertThat(Files.exists(job.progressFile())).isTrue();
        return job.readProgress().stream().filter(StreamProgress::isBatch).toList();
    }

    private static long countRows() {
        try (CassandraClient cql = new CassandraClient("127.0.0.1:" + stack.contactPoint().getPort(), "datacenter1")) {
            return cql.countRows(config.sinkKeyspace(), config.sinkTable());
        }
    }
}
