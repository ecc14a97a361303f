package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {
    /** A child that echoes its stdin into its log and exits at EOF, as the engine jobs stop. */
    private static final class Cat extends ChildJvm {
        Cat(Path dir) {
            super("cat", launch(List.of("cat"), Map.of(), dir.resolve("cat.log"), "cat"), dir.resolve("progress.jsonl"),
                    dir.resolve("cat.log"));
        }
    }

    @Test
    void stopClosesStdinAndTheChildExits(@TempDir Path dir) {
        Cat cat = new Cat(dir);
        assertThat(cat.isAlive()).isTrue();
        assertThat(cat.name()).isEqualTo("cat");
        cat.stop(Duration.ofSeconds(10));
        assertThat(cat.isAlive()).isFalse();
    }

    @Test
    void logTailKeepsTheLastLines(@TempDir Path dir) throws Exception {
        Cat cat = new Cat(dir);
        cat.stop(Duration.ofSeconds(10));
        Files.write(dir.resolve("cat.log"), List.of("one", "two", "three"));
        assertThat(cat.logTail(2)).containsExactly("two", "three");
        assertThat(cat.logTail(5)).containsExactly("one", "two", "three");
    }

    @Test
    void anUnreadableLogSaysSo(@TempDir Path dir) throws Exception {
        Cat cat = new Cat(dir);
        cat.stop(Duration.ofSeconds(10));
        Files.delete(dir.resolve("cat.log"));
        assertThat(cat.logTail(3)).singleElement().asString().startsWith("(cannot read ");
    }

    @Test
    void theCommandStartsWithThisJvmAndItsFlags() {
        assertThat(ChildJvm.javaCommand(List.of("-Dx=1")))
                .containsExactly(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dx=1");
    }
}
