package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.stream.launch.StreamJobProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDriverTest {

    @Test
    void aLocalMasterStaysOnLoopbackAndShipsNothing() {
        Map<String, String> settings = EmbeddedDriver.settings("local[2]", 2, Optional.empty());
        assertThat(settings).containsEntry("spark.driver.host", "127.0.0.1").containsEntry("spark.driver.bindAddress", "127.0.0.1")
                .doesNotContainKeys("spark.jars", "spark.executor.extraJavaOptions");
    }

    @Test
    void aLoopbackClusterGetsTheShadedJarTheJdk17FlagsAndSmallExecutors(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("sluice-stream-0.1.0-spark.jar"));
        Map<String, String> settings = EmbeddedDriver.settings("spark://127.0.0.1:7077", 3, Optional.of(jar));
        assertThat(settings)
                .containsEntry("spark.jars", jar.toAbsolutePath().toString())
                .containsEntry("spark.driver.host", "127.0.0.1")
                .containsEntry("spark.executor.memory", "512m")
                .containsEntry("spark.executor.cores", "1")
                .containsEntry("spark.cores.max", "3")
                .containsEntry("spark.locality.wait", "0s")
                .containsEntry("spark.executor.extraJavaOptions", String.join(" ", StreamJobProcess.ENGINE_JVM_FLAGS));
    }

    @Test
    void aRemoteClusterLeavesTheDriverAddressToSparkOrTheUser(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("job-spark.jar"));
        assertThat(EmbeddedDriver.settings("spark://spark-master.internal:7077", 2, Optional.of(jar)))
                .as("a loopback driver address would be unreachable from other machines")
                .doesNotContainKeys("spark.driver.host", "spark.driver.bindAddress");
        assertThat(EmbeddedDriver.loopbackOnly("spark://127.0.0.1:7077,127.0.0.2:7077")).isTrue();
        assertThat(EmbeddedDriver.loopbackOnly("spark://127.0.0.1:7077,10.0.0.5:7077")).isFalse();
    }

    @Test
    void aClusterMasterWithoutTheShadedJarSaysHowToBuildIt(@TempDir Path dir) {
        assertThatThrownBy(() -> EmbeddedDriver.settings("spark://127.0.0.1:7077", 2, Optional.of(dir.resolve("none.jar"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the executors need the job's shaded jar")
                .hasMessageContaining("none.jar is missing")
                .hasMessageContaining("mvn -pl sluice-stream -am package -DskipTests");
    }
}
