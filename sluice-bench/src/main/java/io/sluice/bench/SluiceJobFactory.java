package io.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts Sluice's stream job against the benchmark stack: the pipeline file as it is, re-pointed at the bench's
 * Kafka, Cassandra, topic and table with {@code --set} overrides, plus the flow settings of the run.
 */
final class SluiceJobFactory {
    private final BenchStack stack;
    private final Path home;
    private final Path pipelineFile;
    private final Path workDir;
    private final Map<String, String> fullSpeed;

    /**
     * @param fullSpeed the overrides that make Sluice go as fast as it can (offsets per trigger, in-flight writes);
     *                  used by the full-speed and latency runs, not by the flood, which keeps the pipeline's caps
     */
    SluiceJobFactory(BenchStack stack, Path home, Path pipelineFile, Path workDir, Map<String, String> fullSpeed) {
        this.stack = stack;
        this.home = home;
        this.pipelineFile = pipelineFile;
        this.workDir = workDir;
        this.fullSpeed = Map.copyOf(fullSpeed);
    }

    /** The full-speed settings plus a trigger interval. */
    Map<String, String> settings(Duration trigger) {
        Map<String, String> settings = new LinkedHashMap<>(fullSpeed);
        settings.put("stream.trigger_interval", trigger.toMillis() + "ms");
        return settings;
    }

    Map<String, String> fullSpeed() {
        return new LinkedHashMap<>(fullSpeed);
    }

    SluiceJob start(String name, String topic, String table, Map<String, String> settings) {
        return SluiceJob.start(name, home, pipelineFile, workDir, overrides(name, topic, table, settings), false);
    }

    SluiceJob startAvailableNow(String name, String topic, String table, Map<String, String> settings) {
        return SluiceJob.start(name, home, pipelineFile, workDir, overrides(name, topic, table, settings), true);
    }

    private Map<String, String> overrides(String name, String topic, String table, Map<String, String> settings) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("pipeline.name", name);
        overrides.put("kafka.bootstrap_servers", stack.bootstrapServers());
        overrides.put("kafka.topic", topic);
        overrides.put("cassandra.contact_points", stack.cassandraAddress());
        overrides.put("sink.keyspace", BenchStack.KEYSPACE);
        overrides.put("sink.table", table);
        overrides.put("stream.starting_offsets", "earliest");
        overrides.put("stream.checkpoint_dir", workDir.resolve("checkpoints").resolve(name).toAbsolutePath().toString());
        overrides.putAll(settings);
        return overrides;
    }
}
