package io.sluice.ingest;

import io.sluice.config.PipelineConfig;
import io.sluice.stack.KafkaServer;
import io.sluice.stack.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real Kafka broker for a test class, in a temporary directory that also holds the pipelines' data dirs: free
 * loopback ports, no topic auto-creation (ingest creates its topics), everything stopped and deleted on close.
 * {@code SourcesToKafkaIT}, {@code PollOnceIT} and {@code IngestPipelineIT} still start theirs inline.
 */
public final class TestKafka implements AutoCloseable {
    private final Path dir;
    private final KafkaServer kafka;

    private TestKafka(Path dir, KafkaServer kafka) {
        this.dir = dir;
        this.kafka = kafka;
    }

    public static TestKafka start(String name) throws Exception {
        Path dir = Files.createTempDirectory(name);
        KafkaServer kafka = new KafkaServer().withDataDir(dir.resolve("kafka")).withPort(Ports.findFree())
                .withControllerPort(Ports.findFree()).withAutoCreateTopics(false).start();
        return new TestKafka(dir, kafka);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * A pipeline into this broker, into a topic of its own name with 3 partitions; throttle high enough that the
     * source, not the producer, sets the pace. {@code source} keys win.
     */
    public PipelineConfig pipeline(String name, Map<String, String> source) {
        Map<String, String> overrides = new HashMap<>(Map.of("producer.records_per_second", "20000",
                "producer.bytes_per_second", "64MiB", "producer.linger", "5ms", "kafka.partitions", "3"));
        overrides.putAll(source);
        overrides.put("pipeline.name", name);
        overrides.put("kafka.bootstrap_servers", bootstrapServers());
        overrides.put("kafka.topic", name);
        return TestConfigs.config(overrides);
    }

    /** A directory for the test's own files (pipeline data dirs, position stores), deleted on close. */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws Exception {
        kafka.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is not worth failing a test for
        }
    }
}
