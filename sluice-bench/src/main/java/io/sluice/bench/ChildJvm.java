package io.sluice.bench;

import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An engine JVM the bench launches itself (the tutorial baseline, the Flink peer), as opposed to Sluice's own job,
 * which its launcher starts ({@link SluiceJob}). The child writes progress lines to {@code progressFile}, its output
 * goes to {@code logFile}, and it takes EOF on its stdin as "stop".
 */
abstract class ChildJvm implements SparkJob {
    private final String name;
    private final Process process;
    private final Path progressFile;
    private final Path logFile;
    private final Instant launchedAt = Instant.now();

    ChildJvm(String name, Process process, Path progressFile, Path logFile) {
        this.name = name;
        this.process = process;
        this.progressFile = progressFile;
        this.logFile = logFile;
    }

    /** The start of a child's command line: this JVM's {@code java}, a 1 GB heap, then {@code jvmFlags}. */
    static List<String> javaCommand(List<String> jvmFlags) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(jvmFlags);
        return command;
    }

    /**
     * Starts {@code command} with its output appended to {@code logFile} and its stdin a pipe, which {@link #stop}
     * closes.
     *
     * @param what the job, for the error message ("the Flink job")
     */
    static Process launch(List<String> command, Map<String, String> environment, Path logFile, String what) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public Instant launchedAt() {
        return launchedAt;
    }

    @Override
    public List<StreamProgress> progress() {
        return ProgressFile.read(progressFile);
    }

    /** The last {@code lines} lines of its log, for the message of a stage that failed. */
    @Override
    public List<String> logTail(int lines) {
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
    @Override
    public void stop(Duration timeout) {
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
