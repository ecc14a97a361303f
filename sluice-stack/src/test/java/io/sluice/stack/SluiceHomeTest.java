package io.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceHomeTest {

    @TempDir
    Path repo;

    @Test
    void findsTheCheckoutFromAModuleDirectoryBelowIt() throws Exception {
        Files.createDirectories(repo.resolve("sluice-servers/kafka"));
        Path module = Files.createDirectories(repo.resolve("sluice-stack/src"));

        assertThat(SluiceHome.at(module).root()).isEqualTo(repo.toAbsolutePath().normalize());
    }

    @Test
    void readsTheClasspathTheBuildWrote() throws Exception {
        Path jar = Files.createFile(repo.resolve("a.jar"));
        Path file = Files.createDirectories(repo.resolve("sluice-servers/kafka/target")).resolve("classpath.txt");
        Files.writeString(file, jar + "\n");

        assertThat(SluiceHome.at(repo).serverClasspath("kafka", "Kafka")).isEqualTo(jar.toString());
    }

    @Test
    void aClasspathNamingDeletedJarsCountsAsNotBuilt() throws Exception {
        Path file = Files.createDirectories(repo.resolve("sluice-servers/kafka/target")).resolve("classpath.txt");
        Files.writeString(file, repo.resolve("gone.jar").toString());

        assertThatThrownBy(() -> SluiceHome.at(repo).serverClasspath("kafka", "Kafka"))
                .isInstanceOf(ServerNotBuiltException.class);
    }

    @Test
    void aMissingClasspathFileNamesTheFileAndTheBuildCommand() {
        assertThatThrownBy(() -> SluiceHome.at(repo).serverClasspath("cassandra", "Cassandra"))
                .isInstanceOf(ServerNotBuiltException.class)
                .hasMessageContaining("sluice-servers/cassandra/target/classpath.txt does not exist")
                .hasMessageContaining("mvn -B package -DskipTests");
    }

    @Test
    void theSystemPropertyPointsAtTheBuiltCheckoutDuringTheBuild() {
        // surefire and failsafe set sluice.home to the repository root, where this module's own build lives
        assertThat(SluiceHome.detect().root().resolve("sluice-stack/pom.xml")).exists();
    }
}
