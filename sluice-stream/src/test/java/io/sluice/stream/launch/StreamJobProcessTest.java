package io.sluice.stream.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamJobProcessTest {

    @Test
    void commandRunsTheJobWithSparkFlagsTheBuiltClasspathAndTheParentWatch(@TempDir Path home) throws Exception {
        Path target = Files.createDirectories(home.resolve("sluice-stream/target"));
        Files.createDirectories(target.resolve("classes/io/sluice/stream"));
        Files.writeString(target.resolve("classpath.txt"), "/deps/a.jar:/deps/b.jar\n");

        List<String> cmd = new StreamJobProcess(Path.of("pipelines/demo-users.yaml"))
                .withHome(home)
                .withDataDir(home.resolve("data"))
                .withOverride("kafka.bootstrap_servers", "127.0.0.1:19092")
                .withAvailableNow(true)
                .command();

        assertThat(cmd).contains("-Xmx1g", "-Dsluice.watchParent=true", "-Djdk.reflect.useDirectMethodHandle=false",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", StreamJobProcess.MAIN_CLASS, "--available-now",
                "--set", "kafka.bootstrap_servers=127.0.0.1:19092");
        assertThat(cmd.get(cmd.indexOf("-cp") + 1)).as("the child classpath is the built one plus this module's classes")
                .isEqualTo("/deps/a.jar:/deps/b.jar:" + target.resolve("classes").toAbsolutePath());
        assertThat(cmd.get(cmd.indexOf("--progress-file") + 1))
                .isEqualTo(home.resolve("data/progress/stream-demo-users.jsonl").toAbsolutePath().toString());
    }

    @Test
    void extraJvmOptionsGoBeforeTheMainClass(@TempDir Path home) throws Exception {
        Path target = Files.createDirectories(home.resolve("sluice-stream/target"));
        Files.createDirectories(target.resolve("classes/io/sluice/stream"));
        Files.writeString(target.resolve("classpath.txt"), "/deps/a.jar\n");

        List<String> cmd = new StreamJobProcess(Path.of("p.yaml")).withHome(home)
                .withJvmOption("-XX:StartFlightRecording=filename=/tmp/jfr/")
                .command();

        assertThat(cmd.indexOf("-XX:StartFlightRecording=filename=/tmp/jfr/"))
                .as("a JVM option is given to the JVM, before the main class, not to the job")
                .isPositive().isLessThan(cmd.indexOf(StreamJobProcess.MAIN_CLASS));
    }

    @Test
    void theEngineRunsTheThroughputCollectorUnlessTheUserNamesOne(@TempDir Path home) throws Exception {
        Path target = Files.createDirectories(home.resolve("sluice-stream/target"));
        Files.createDirectories(target.resolve("classes/io/sluice/stream"));
        Files.writeString(target.resolve("classpath.txt"), "/deps/a.jar\n");

        List<String> ours = new StreamJobProcess(Path.of("p.yaml")).withHome(home).command();
        List<String> theirs = new StreamJobProcess(Path.of("p.yaml")).withHome(home)
                .withJvmOption("-XX:+UseG1GC").command();

        assertThat(ours).contains("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1");
        assertThat(theirs).as("a JVM with two collectors would not start").doesNotContain("-XX:+UseParallelGC")
                .contains("-XX:+UseG1GC", "-XX:TieredStopAtLevel=1");
    }

    @Test
    void missingClasspathFileSaysHowToBuild(@TempDir Path home) {
        StreamJobProcess job = new StreamJobProcess(Path.of("p.yaml")).withHome(home);
        assertThatThrownBy(job::command)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("classpath.txt is missing")
                .hasMessageContaining("mvn -pl sluice-stream");
    }
}
