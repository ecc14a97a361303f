package io.sluice.bench;

import io.sluice.bench.BenchResults.Drain;
import io.sluice.config.PipelineConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine a user would pick instead: Apache Flink with its Cassandra connector ({@link FlinkJob}) drains the same
 * backlog into its own table of the same shape, with the same key, TTL and consistency as Sluice, timed and counted
 * as the Spark drains are ({@link DrainStage}).
 */
final class FlinkStage {
    static final String NAME = "Flink peer (tuned CassandraSink)";
    static final String TABLE = "flink";
    static final String JVM_LABEL = "Flink JVM: tuned CassandraSink";

    private final BenchStack stack;
    private final DrainStage drains;
    private final Console console;

    FlinkStage(BenchStack stack, DrainStage drains, Console console) {
        this.stack = stack;
        this.drains = drains;
        this.console = console;
    }

    Drain run(Path home, PipelineConfig pipeline, Path workDir, String topic, long backlog, int maxConcurrentRequests) {
        FlinkJob.Settings job = new FlinkJob.Settings(stack.bootstrapServers(), topic, stack.cassandraAddress(), TABLE,
                pipeline.sinkConsistency(), pipeline.sinkTtl().toSeconds(), maxConcurrentRequests,
                parallelism(pipeline));
        stack.createTable(TABLE, DemoRecords.COLUMNS);
        console.step("Flink: KafkaSource -> Jackson -> CassandraSink drains %,d records (parallelism %d, %d writes in "
                + "flight per sink subtask)", backlog, job.parallelism(), maxConcurrentRequests);
        return drains.drain(() -> FlinkJob.start(home, workDir, job, backlog), CpuLedger.FLINK, JVM_LABEL, topic, backlog,
                TABLE, settings(job, FlinkJob.versions(home)), "no data quality (a Jackson parse, as a user would write it)");
    }

    /** One subtask per core, but no more than the topic has partitions: a subtask without one would idle. */
    static int parallelism(PipelineConfig pipeline) {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), pipeline.kafkaPartitions()));
    }

    /** @param versions jar name -> version of the job's classpath ({@link FlinkJob#versions}) */
    static Map<String, String> settings(FlinkJob.Settings job, Map<String, String> versions) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("engine", "Apache Flink " + versions.get("flink-streaming-java") + ", MiniCluster in its own JVM "
                + "(-Xmx1g)");
        settings.put("source", "KafkaSource (flink-connector-kafka " + versions.get("flink-connector-kafka")
                + "), earliest to the end offsets at start (bounded)");
        settings.put("parse", "Jackson readTree of the record's bytes, flattened to the demo pipeline's columns");
        settings.put("sink", "CassandraSink (flink-connector-cassandra " + versions.get("flink-connector-cassandra_2.12")
                + "), prepared INSERT" + (job.ttlSeconds() > 0 ? " USING TTL " + job.ttlSeconds() : "")
                + ", consistency " + job.consistency());
        settings.put("setMaxConcurrentRequests", job.maxConcurrentRequests() + " per sink subtask");
        settings.put("parallelism", Integer.toString(job.parallelism()));
        settings.put("checkpointing", "off (the sink waits for all its writes when the bounded job ends)");
        return settings;
    }
}
