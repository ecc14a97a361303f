package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class SluiceCliTest {
    private static final String DEMO = Path.of(System.getProperty("sluice.home", "..")).resolve("pipelines/demo-users.yaml").toString();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SluiceCli.newCommandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "up", "down", "status", "run", "poll-once", "bench", "cql", "validate", "config-docs"})
    void everyCommandHasHelp(String command) {
        assertThat(run(command, "--help")).as("exit code of `sluice %s --help`", command).isEqualTo(ExitCodes.OK);
    }

    @Test
    void unknownCommandIsBadUsage() {
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("Unmatched argument");
    }

    @Test
    void availableNowWithoutOnlyStreamIsBadUsage() {
        assertThat(run("run", DEMO, "--available-now")).as("exit code of `sluice run --available-now`")
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--available-now drains a topic with the stream job alone: add --only stream");
    }

    @Test
    void availableNowWithDurationIsBadUsage() {
        assertThat(run("run", DEMO, "--only", "stream", "--available-now", "--duration", "10s"))
                .as("exit code of `sluice run --available-now --duration 10s`").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("drop --duration");
    }

    @Test
    void onlyTakesIngestOrStream() {
        assertThat(run("run", DEMO, "--only", "spark")).as("exit code of `sluice run --only spark`")
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--only", "INGEST", "STREAM");
    }

    @Test
    void invalidPipelineIsRejectedWithEveryProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                pipeline: {name: Bad-Name}
                source: {url: "not a url", interval: -1s}
                producer: {records_per_second: -3}
                stream: {max_offsets_per_trigger: 0}
                sink: {ttl: forever, columns: {email: email}}
                """);
        assertThat(run("validate", file.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString())
                .contains("`pipeline.name`", "`source.url`", "`source.interval`", "`producer.records_per_second`",
                        "`stream.max_offsets_per_trigger`", "`sink.ttl`", "`record.schema` is required");
    }

    @Test
    void bundledDemoPipelineValidates() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out));
        try {
            assertThat(run("validate", DEMO)).isEqualTo(ExitCodes.OK);
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString()).contains("is valid", "users_created", "spark_streams.created_users");
    }

    @Test
    void statusOfAnEmptyDataDirSaysStoppedAndFails(@TempDir Path dir) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out));
        try {
            assertThat(run("status", "--data-dir", dir.toString(), "--kafka-port", "1", "--cassandra-port", "2"))
                    .isEqualTo(ExitCodes.FAILED);
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString()).contains("Kafka: stopped", "Cassandra: stopped");
    }

    @Test
    void upTakesOneOrThreeNodesOnly(@TempDir Path dir) {
        assertThat(run("up", "--nodes", "2", "--data-dir", dir.toString())).as("exit code of `sluice up --nodes 2`")
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--nodes must be 1 (one broker, one Cassandra node) or 3 (three of each), got 2.");
        assertThat(dir).as("nothing was created for a refused value").isEmptyDirectory();
    }

    @Test
    void statusListsEveryNodeOfAThreeNodeDataDir(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("kafka-1"));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out));
        try {
            assertThat(run("status", "--data-dir", dir.toString())).as("nothing runs").isEqualTo(ExitCodes.FAILED);
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString()).contains("kafka-1: stopped (127.0.0.1:9092)", "kafka-3: stopped (127.0.0.1:9292)",
                "cassandra-2: stopped (127.0.0.2:9042)", "cassandra-3: stopped (127.0.0.3:9042)");
    }
}
