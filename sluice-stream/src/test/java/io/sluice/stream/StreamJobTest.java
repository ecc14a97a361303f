package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Exit codes for problems found before Spark starts (they need no servers). */
class StreamJobTest {

    @Test
    void badPipelineValueExitsTwoAndPrintsEveryProblem() {
        String stderr = runCapturingStderr(2, "--pipeline", DemoPipeline.file().toString(),
                "--set", "sink.ttl=-5s", "--set", "stream.partitions=0");
        assertThat(stderr).contains("sink.ttl").contains("stream.partitions");
    }

    @Test
    void unknownArgumentExitsTwoWithUsage() {
        String stderr = runCapturingStderr(2, "--pipeline", DemoPipeline.file().toString(), "--frobnicate");
        assertThat(stderr).contains("unknown argument '--frobnicate'").contains("Usage: StreamJob");
    }

    @Test
    void keyPathNotInSchemaExitsTwo() {
        String stderr = runCapturingStderr(2, "--pipeline", DemoPipeline.file().toString(), "--set", "record.key=login.id");
        assertThat(stderr).contains("record.key");
    }

    private static String runCapturingStderr(int expectedCode, String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new StreamJob().run(args);
        } finally {
            System.setErr(original);
        }
        String stderr = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code for %s (stderr: %s)", String.join(" ", args), stderr).isEqualTo(expectedCode);
        return stderr;
    }
}
