package io.sluice.bench;

import io.sluice.stack.SluiceHome;
import io.sluice.stream.launch.StreamProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer engine's job ({@code io.sluice.servers.flink.FlinkDrainJob}, module {@code sluice-servers/flink}) in its own
 * JVM on Flink's classpath, which the build writes into that module's {@code target/classpath.txt}. It reports in the
 * format of Sluice's progress file: one batch line once everything it drained is written.
 */
final class FlinkJob extends ChildJvm {
    static final String MAIN_CLASS = "io.sluice.servers.flink.FlinkDrainJob";
    /** Flink 1.19's own JDK 17 flags ({@code env.java.opts.all} in its default config). */
    static final List<String> FLINK_JDK17_FLAGS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final Pattern MAVEN_JAR = Pattern.compile("(.+?)-(\\d[^-]*(?:-\\d[.\\d]*)?)\\.jar");

    /** What the job is told; {@code maxConcurrentRequests} is per sink subtask, as in the connector. */
    record Settings(String bootstrap, String topic, String cassandra, String table, String consistency, long ttlSeconds,
                    int maxConcurrentRequests, int parallelism) {
    }

    private final long backlog;

    private FlinkJob(Process process, Path progressFile, Path logFile, long backlog) {
        super("Flink job", process, progressFile, logFile);
        this.backlog = backlog;
    }

    /** Starts the job on {@code backlog} records; its files go to {@code <workDir>/flink}. */
    static FlinkJob start(Path home, Path workDir, Settings settings, long backlog) {
        Path dir = workDir.resolve("flink");
        Path progress = dir.resolve("progress.jsonl");
        Path log = dir.resolve("flink.log");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(progress);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Flink job's dir " + dir, e);
        }
        List<String> command = javaCommand(FLINK_JDK17_FLAGS);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(SluiceHome.at(home).serverClasspath("flink", "The Flink peer job"));
        command.add(MAIN_CLASS);
        command.add("bootstrap=" + settings.bootstrap());
        command.add("topic=" + settings.topic());
        command.add("cassandra=" + settings.cassandra());
        command.add("keyspace=" + BenchStack.KEYSPACE);
        command.add("table=" + settings.table());
        command.add("consistency=" + settings.consistency());
        command.add("ttl=" + settings.ttlSeconds());
        command.add("maxConcurrentRequests=" + settings.maxConcurrentRequests());
        command.add("parallelism=" + settings.parallelism());
        command.add("progress=" + progress);
        return new FlinkJob(launch(command, Map.of(), log, "the Flink job"), progress, log, backlog);
    }

    /** Version of each Flink jar on the job's classpath, by artifact name (e.g. flink-streaming-java -> 1.19.3). */
    static Map<String, String> versions(Path home) {
        Map<String, String> versions = new LinkedHashMap<>();
        String classpath = SluiceHome.at(home).serverClasspath("flink", "The Flink peer job");
        for (String entry : classpath.split(":")) {
            Matcher jar = MAVEN_JAR.matcher(Path.of(entry).getFileName().toString());
            if (jar.matches() && jar.group(1).startsWith("flink-")) {
                versions.put(jar.group(1), jar.group(2));
            }
        }
        return versions;
    }

    /**
     * Until its batch line, the records the job has parsed: shown as progress, but never as the whole backlog, since
     * the sink may still have them in flight. The batch line's end offsets then count as written.
     */
    @Override
    public long consumed(String topic) {
        List<StreamProgress> lines = progress();
        if (lines.stream().anyMatch(StreamProgress::isBatch)) {
            return super.consumed(topic);
        }
        long parsed = lines.stream().mapToLong(StreamProgress::numInputRows).max().orElse(0);
        return Math.min(parsed, backlog - 1);
    }
}
