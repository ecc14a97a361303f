package io.sluice.bench;

import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sluice's own stream job ({@code io.sluice.stream.StreamJob}) in its JVM, started the way the CLI starts it. */
final class SluiceJob implements SparkJob {
    private final String name;
    private final StreamJobProcess process;
    private final Instant launchedAt;

    private SluiceJob(String name, StreamJobProcess process) {
        this.name = name;
        this.process = process;
        this.launchedAt = Instant.now();
    }

    static SluiceJob start(String name, Path home, Path pipeline, Path workDir, Map<String, String> overrides,
                           boolean availableNow) {
        StreamJobProcess process = new StreamJobProcess(pipeline)
                .withHome(home)
                .withDataDir(workDir)
                .withName(name)
                .withAvailableNow(availableNow);
        overrides.forEach(process::withOverride);
        return new SluiceJob(name, process.start());
    }

    @Override
    public String name() {
        return "Sluice stream job '" + name + "'";
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
        return process.readProgress();
    }

    @Override
    public List<String> logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void stop(Duration timeout) {
        try {
            process.stopGracefully(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while stopping " + name(), e);
        }
    }

    /** The adaptive write limit its last batch reported; 0 before the first batch. */
    long adaptiveLimit() {
        return progress().stream().filter(StreamProgress::isBatch)
                .reduce((a, b) -> b).map(b -> b.write().control().limit()).orElse(0L);
    }

    /** Waits for an available-now run to end by itself; its exit code. */
    int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout).orElseThrow(() -> new BenchException(name() + " did not finish within "
                    + timeout.toSeconds() + " s. Last lines of its log:\n  " + String.join("\n  ", logTail(30))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while waiting for " + name(), e);
        }
    }
}
