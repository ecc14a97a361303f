package io.sluice.bench;

import io.sluice.config.PipelineConfig;
import io.sluice.stream.launch.StreamJobProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 3, the naive baseline: the public tutorial's streaming job (see {@code TutorialBaselineJob.java.txt}) run in
 * its own JVM on the stream job's Spark classpath, over the same backlog and into a table of the same shape.
 */
final class TutorialBaseline extends ChildJvm {
    static final String SOURCE = "TutorialBaselineJob.java.txt";

    private TutorialBaseline(Process process, Path progressFile, Path logFile) {
        super("tutorial baseline job", process, progressFile, logFile);
    }

    /** The tutorial's settings, as the report states them. */
    static Map<String, String> settings(String master) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sink", "writeStream.format(\"org.apache.spark.sql.cassandra\") (Spark's Cassandra sink)");
        settings.put("trigger", "none (next micro-batch as soon as the last ends)");
        settings.put("maxOffsetsPerTrigger", "none (first batch takes the whole backlog)");
        settings.put("data quality", "none");
        settings.put("connector write settings", "defaults");
        settings.put("key", "the record's login.uuid as is");
        settings.put("master", master);
        return settings;
    }

    static TutorialBaseline start(Path home, PipelineConfig pipeline, Path pipelineFile, Path workDir, String topic,
                                  String table, String bootstrapServers, String cassandraAddress) {
        Path dir = workDir.resolve("baseline");
        Path source = dir.resolve("TutorialBaselineJob.java");
        Path progress = dir.resolve("progress.jsonl");
        Path log = dir.resolve("baseline.log");
        try (InputStream in = TutorialBaseline.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new BenchException("the baseline job's source " + SOURCE + " is missing from the bench jar");
            }
            Files.createDirectories(dir);
            Files.write(source, in.readAllBytes());
            Files.deleteIfExists(progress);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the baseline job in " + dir, e);
        }
        List<String> command = javaCommand(StreamJobProcess.SPARK_JDK17_FLAGS);
        command.add("-cp");
        command.add(sparkClasspath(home, pipelineFile));
        command.add(source.toString());
        command.add("master=" + pipeline.streamMaster());
        command.add("bootstrap=" + bootstrapServers);
        command.add("topic=" + topic);
        command.add("cassandra=" + cassandraAddress);
        command.add("keyspace=" + BenchStack.KEYSPACE);
        command.add("table=" + table);
        command.add("checkpoint=" + dir.resolve("checkpoint"));
        command.add("progress=" + progress);
        command.add("schema=" + pipeline.recordSchema());
        command.add("key=" + pipeline.recordKey());
        pipeline.sinkColumns().forEach((column, expression) -> command.add("column=" + column + "=" + expression));
        return new TutorialBaseline(launch(command, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), log, "the baseline job"),
                progress, log);
    }

    /** The stream job's classpath (Spark, the Kafka source, the Cassandra connector), as its launcher builds it. */
    private static String sparkClasspath(Path home, Path pipelineFile) {
        List<String> command = new StreamJobProcess(pipelineFile).withHome(home).command();
        int cp = command.indexOf("-cp");
        if (cp < 0 || cp + 1 >= command.size()) {
            throw new BenchException("cannot find the stream job's classpath in its launch command " + command);
        }
        return command.get(cp + 1);
    }
}
