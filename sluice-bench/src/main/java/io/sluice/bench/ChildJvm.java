package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the bench does with an engine JVM it launched itself (the tutorial baseline, the Flink peer). */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The last {@code lines} lines of its log, for the message of a stage that failed. */
    static List<String> logTail(Path logFile, int lines) {
        Deque<String> tail = new ArrayDeque<>();
        try {
            for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
        } catch (IOException e) {
            return List.of("(cannot read " + logFile + ": " + e.getMessage() + ")");
        }
        return List.copyOf(tail);
    }

    /** Closes its stdin, which the job takes as "stop"; kills it if it has not exited within the timeout. */
    static void stop(Process process, Duration timeout) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed: the job sees EOF either way
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
