package io.sluice.cli.run;

import io.sluice.cli.kafka.TopicOffsets;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.IngestMetrics;
import io.sluice.ingest.IngestPipeline;
import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pipeline running end to end from the CLI: the ingest side in this JVM, the Spark job in its own JVM.
 * Owns the order of things: start the job, feed it, and on the way out stop feeding, let the job drain what
 * Kafka holds, and only then stop the job, so nothing produced is left unwritten.
 */
public final class PipelineRun implements AutoCloseable {
    private final PipelineConfig config;
    private final StreamJobProcess streamJob;
    private final IngestPipeline ingest;
    private final TopicOffsets offsets;
    private final long startedNanos = System.nanoTime();
    private volatile boolean closed;

    public PipelineRun(PipelineConfig config, Path pipelineFile, Map<String, String> overrides, Path dataDir) {
        this.config = config;
        StreamJobProcess job = new StreamJobProcess(pipelineFile).withDataDir(dataDir).withName(config.name());
        overrides.forEach(job::withOverride);
        this.streamJob = job;
        this.ingest = IngestPipeline.builder(config).dataDir(dataDir).build(); // keeps source positions for resume
        this.offsets = new TopicOffsets(config);
    }

    /** Creates the topic and starts feeding it, then launches the stream job (which needs ~20 s to start Spark). */
    public void start() {
        ingest.start();
        streamJob.start();
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    public StreamJobProcess streamJob() {
        return streamJob;
    }

    /** Non-empty when either side has failed; the text says which and why. */
    public Optional<String> failure() {
        if (ingest.state() == IngestPipeline.State.FAILED) {
            return Optional.of("ingest failed: " + ingest.failure().map(Throwable::getMessage).orElse("unknown reason"));
        }
        if (!closed && streamJob.exitCode().isPresent()) {
            return Optional.of("the stream job exited with code " + streamJob.exitCode().getAsInt()
                    + "; last lines of " + streamJob.logFile() + ":\n  " + String.join("\n  ", streamJob.logTail(25)));
        }
        return Optional.empty();
    }

    public Progress progress() {
        IngestMetrics.Snapshot produced = ingest.metrics();
        List<StreamProgress> batches = streamJob.readProgress().stream().filter(StreamProgress::isBatch).toList();
        long inKafka = TopicOffsets.total(offsets.endOffsets(config.kafkaTopic()));
        return new Progress(elapsed(), produced, inKafka, batches, streamJob.hasStarted());
    }

    /** Stops the sources, flushes the producer, and waits until everything acknowledged is still only in Kafka. */
    public void stopIngest() {
        ingest.stop();
    }

    /**
     * Waits until the stream job has consumed every record the topic holds now, printing progress on the way.
     * Returns false on timeout or when the job died.
     */
    public boolean awaitDrained(Duration timeout, Duration reportEvery, java.util.function.Consumer<Progress> reporter)
            throws InterruptedException {
        Map<Integer, Long> target = offsets.endOffsets(config.kafkaTopic());
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + reportEvery.toNanos();
        while (System.nanoTime() < deadline) {
            if (caughtUp(target)) {
                return true;
            }
            if (streamJob.exitCode().isPresent()) {
                return false;
            }
            if (System.nanoTime() >= nextReport) {
                reporter.accept(progress());
                nextReport += reportEvery.toNanos();
            }
            Thread.sleep(250);
        }
        return caughtUp(target);
    }

    private boolean caughtUp(Map<Integer, Long> target) {
        Map<Integer, Long> consumed = ProgressFile.consumedOffsets(streamJob.readProgress())
                .getOrDefault(config.kafkaTopic(), Map.of());
        return target.entrySet().stream().allMatch(e -> e.getValue() == 0 || consumed.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    /** Stops whatever still runs: sources first, then the job between two micro-batches. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ingest.close();
        } finally {
            try {
                if (streamJob.isAlive()) {
                    streamJob.stopGracefully(Duration.ofSeconds(30));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                offsets.close();
            }
        }
    }

    /** A snapshot of both sides, as printed every few seconds. */
    public record Progress(Duration elapsed, IngestMetrics.Snapshot produced, long inKafka, List<StreamProgress> batches,
                           boolean streamStarted) {
        public long rowsWritten() {
            return ProgressFile.rowsWritten(batches);
        }

        public Optional<StreamProgress> lastBatch() {
            return batches.isEmpty() ? Optional.empty() : Optional.of(batches.get(batches.size() - 1));
        }

        /** Records the data-quality stage kept out of the table (they are in the quarantine, with reasons). */
        public long quarantined() {
            return batches.stream().mapToLong(StreamProgress::rowsSkipped).sum();
        }

        public long largestBatch() {
            return batches.stream().mapToLong(StreamProgress::numInputRows).max().orElse(0);
        }

        public String line() {
            String stream = lastBatch().map(b -> String.format("last batch %,d rows in %,d ms", b.numInputRows(), b.durationMs()))
                    .orElse(streamStarted ? "waiting for the first batch" : "starting Spark");
            return String.format("[%4ds] produced %,d | in Kafka %,d | written to Cassandra %,d | quarantined %,d | %s | queue %,d",
                    elapsed.toSeconds(), produced.recordsSent(), inKafka, rowsWritten(), quarantined(), stream,
                    Math.max(0, produced.queueDepth()));
        }
    }
}
