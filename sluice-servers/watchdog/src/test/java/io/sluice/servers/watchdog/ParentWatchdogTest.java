package io.sluice.servers.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchdogTest {

    @Test
    void waitForEofReturnsOnlyAfterTheWriterCloses() throws Exception {
        PipedOutputStream parent = new PipedOutputStream();
        PipedInputStream child = new PipedInputStream(parent);
        Thread waiter = new Thread(() -> ParentWatchdog.waitForEof(child));
        waiter.start();

        parent.write("keep-alive bytes are ignored".getBytes(StandardCharsets.UTF_8));
        parent.flush();
        waiter.join(300);
        assertThat(waiter.isAlive()).as("the watchdog keeps waiting while the parent holds the pipe").isTrue();

        parent.close();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).as("the watchdog stops waiting once the parent closes the pipe").isFalse();
    }

    @Test
    void childJvmRunsTheRealMainAndExitsCleanlyWhenItsStdinCloses() throws Exception {
        Process child = startChild(true);
        try {
            String firstLine = new String(child.getInputStream().readNBytes("started with a,b".length()), StandardCharsets.UTF_8);
            assertThat(firstLine).as("the real main class received the remaining arguments").isEqualTo("started with a,b");
            assertThat(child.isAlive()).as("the server keeps running while its parent holds stdin open").isTrue();

            child.getOutputStream().close(); // what the kernel does when the parent JVM dies

            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child exits after its stdin closes").isTrue();
            assertThat(child.exitValue()).as("the watchdog exits with status 0").isZero();
            String rest = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rest).as("System.exit lets the server's shutdown hooks run").contains("shutdown hook ran");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void withoutThePropertyTheChildIgnoresStdin() throws Exception {
        Process child = startChild(false);
        try {
            child.getInputStream().readNBytes("started with a,b".length());
            child.getOutputStream().close();
            assertThat(child.waitFor(1, TimeUnit.SECONDS))
                    .as("a detached server does not stop when stdin closes").isFalse();
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process startChild(boolean watchParent) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Dsluice.watchParent=" + watchParent,
                "-cp", System.getProperty("java.class.path"),
                ParentWatchdog.class.getName(), SleepingServer.class.getName(), "a", "b"))
                .redirectErrorStream(true)
                .start();
    }
}
