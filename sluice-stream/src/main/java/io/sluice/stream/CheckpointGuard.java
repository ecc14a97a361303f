package io.sluice.stream;

import io.sluice.config.PipelineConfig;
import io.sluice.stream.launch.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a checkpoint directory belongs to the pipeline about to use it. On first start it writes
 * {@value #FINGERPRINT} (pipeline name, topic, brokers); later starts compare. Spark itself would fail obscurely on a
 * changed topic (or, worse, start the new topic from the old one's offsets); this says in one sentence what changed
 * and what to do. A checkpoint made before the fingerprint existed is recognised from Spark's own offset log.
 */
final class CheckpointGuard {
    static final String FINGERPRINT = "sluice-pipeline.json";
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointGuard.class);

    private CheckpointGuard() {
    }

    static void check(Path checkpointDir, PipelineConfig config) {
        Path fingerprint = checkpointDir.resolve(FINGERPRINT);
        if (Files.isRegularFile(fingerprint)) {
            compare(checkpointDir, readFingerprint(fingerprint), config);
            return;
        }
        Set<String> sparkTopics = topicsInSparkMetadata(checkpointDir);
        if (!sparkTopics.isEmpty() && !sparkTopics.equals(Set.of(config.kafkaTopic()))) {
            throw topicChanged(checkpointDir, String.join(", ", sparkTopics), config.kafkaTopic());
        }
        write(fingerprint, config);
    }

    private static void compare(Path checkpointDir, Map<String, Object> recorded, PipelineConfig config) {
        Object topic = recorded.get("topic");
        if (topic != null && !topic.equals(config.kafkaTopic())) {
            throw topicChanged(checkpointDir, String.valueOf(topic), config.kafkaTopic());
        }
        Object pipeline = recorded.get("pipeline");
        if (pipeline != null && !pipeline.equals(config.name())) {
            throw new CheckpointMismatchException("The checkpoint at " + checkpointDir + " belongs to pipeline "
                    + pipeline + ", but this pipeline is " + config.name() + ". Two pipelines must not share a "
                    + "checkpoint: point stream.checkpoint_dir at a new directory, or restore pipeline.name.");
        }
        Object servers = recorded.get("bootstrapServers");
        if (servers != null && !servers.equals(config.kafkaBootstrapServers())) {
            // Addresses change for harmless reasons (a new port, a DNS name); offsets still fit the same topic.
            LOG.warn("the checkpoint at {} was written against Kafka at {}, now {}; continuing, as the topic is the same",
                    checkpointDir, servers, config.kafkaBootstrapServers());
        }
    }

    private static CheckpointMismatchException topicChanged(Path checkpointDir, String oldTopic, String newTopic) {
        return new CheckpointMismatchException("The checkpoint at " + checkpointDir + " was written for topic " + oldTopic
                + ", but the pipeline now reads " + newTopic + ". Point stream.checkpoint_dir at a new directory to "
                + "start over, or restore the old topic.");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readFingerprint(Path file) {
        try {
            Object json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            return json instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring unreadable {} ({}); Spark's own metadata decides", file, e.getMessage());
            return Map.of();
        }
    }

    private static void write(Path file, PipelineConfig config) {
        String json = "{\"pipeline\":" + Json.quote(config.name())
                + ",\"topic\":" + Json.quote(config.kafkaTopic())
                + ",\"bootstrapServers\":" + Json.quote(config.kafkaBootstrapServers())
                + ",\"recordKey\":" + Json.quote(config.recordKey())
                + ",\"createdAt\":" + Json.quote(Instant.now().toString()) + "}\n";
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FINGERPRINT + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Topics named in Spark's metadata: {@code sources/0/0} (the first batch's start offsets) or the newest file in
     * {@code offsets/}. Both are a version line followed by JSON; the Kafka source's offsets are
     * {@code {"topic":{"0":42,...}}}.
     */
    static Set<String> topicsInSparkMetadata(Path checkpointDir) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(checkpointDir.resolve("sources/0/0"));
        Path offsets = checkpointDir.resolve("offsets");
        if (Files.isDirectory(offsets)) {
            try (Stream<Path> files = Files.list(offsets)) {
                files.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString())))
                        .ifPresent(candidates::add);
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", offsets, e.getMessage());
            }
        }
        Set<String> topics = new LinkedHashSet<>();
        for (Path file : candidates) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String l = line.strip();
                    if (!l.startsWith("{")) {
                        continue;
                    }
                    try {
                        if (Json.parse(l) instanceof Map<?, ?> map && map.values().stream().allMatch(v -> v instanceof Map)) {
                            map.keySet().forEach(k -> topics.add(String.valueOf(k)));
                        }
                    } catch (IllegalArgumentException ignored) {
                        // the offsets log's metadata line, or another source's format: not ours to read
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", file, e.getMessage());
            }
            if (!topics.isEmpty()) {
                break;
            }
        }
        return topics;
    }
}
