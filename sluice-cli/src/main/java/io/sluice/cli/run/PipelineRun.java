package io.sluice.cli.run;

import io.sluice.cli.kafka.TopicOffsets;
import io.sluice.cli.live.LiveView;
import io.sluice.dashboard.DashboardOptions;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.IngestMetrics;
import io.sluice.ingest.IngestPipeline;
import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One pipeline running from the CLI: the ingest side in this JVM, the Spark job in its own JVM, or only one of them.
 * Owns the order of things: start the job, feed it, and on the way out stop feeding (sources stop, the producer
 * flushes, source positions are saved after Kafka's acks), then let the job finish its current micro-batch, so nothing
 * acknowledged is lost: what the job has not written yet stays in Kafka and its checkpoint resumes there.
 */
public final class PipelineRun implements AutoCloseable {
    /** The two halves a run may be limited to ({@code sluice run --only}). */
    public enum Part { INGEST, STREAM }

    /**
     * How long the stream job may take to stop after its stdin closes. It waits up to 30 s for a running micro-batch
     * (StopSignals), then stops Spark; past this it gets SIGTERM, and 10 s later SIGKILL. A batch cut short was not
     * committed: the next run repeats it, as upserts of the same keys.
     */
    static final Duration STREAM_STOP_TIMEOUT = Duration.ofSeconds(60);

    private final PipelineConfig config;
    private final StreamJobProcess streamJob;
    private final IngestPipeline ingest;
    private final TopicOffsets offsets;
    private final long startedNanos = System.nanoTime();
    private final Path dataDir;
    private LiveView live;
    private volatile boolean closed;

    /** Both halves, the stream job on its trigger. */
    public PipelineRun(PipelineConfig config, Path pipelineFile, Map<String, String> overrides, Path dataDir) {
        this(config, pipelineFile, overrides, dataDir, EnumSet.allOf(Part.class), false);
    }

    /**
     * @param availableNow the stream job drains what the topic holds when it starts, in capped batches, and exits 0
     */
    public PipelineRun(PipelineConfig config, Path pipelineFile, Map<String, String> overrides, Path dataDir,
                       Set<Part> parts, boolean availableNow) {
        this.config = config;
        this.dataDir = dataDir;
        if (parts.contains(Part.STREAM)) {
            StreamJobProcess job = new StreamJobProcess(pipelineFile).withDataDir(dataDir).withName(config.name())
                    .withAvailableNow(availableNow);
            overrides.forEach(job::withOverride);
            this.streamJob = job;
        } else {
            this.streamJob = null;
        }
        this.ingest = parts.contains(Part.INGEST)
                ? IngestPipeline.builder(config).dataDir(dataDir).build() // keeps source positions for resume
                : null;
        this.offsets = new TopicOffsets(config);
    }

    /** Creates the topic and starts feeding it, then launches the stream job (which needs ~20 s to start Spark). */
    public void start() {
        if (ingest != null) {
            ingest.start();
        }
        if (streamJob != null) {
            streamJob.start();
        }
    }

    /**
     * Serves the dashboard and {@code /metrics} for this run (meters of every stage it has) and returns the page's
     * address. Call before {@link #start()} so the first figures are on the page; {@link #stop} ends it.
     *
     * @throws RuntimeException when the address cannot be bound (a taken port)
     */
    public synchronized String startLiveView(DashboardOptions options) {
        live = new LiveView(config, ingest, streamJob == null ? null : streamJob::readProgress, offsets::endOffsets,
                options, dataDir);
        try {
            return live.start();
        } catch (RuntimeException e) {
            live.close();
            live = null;
            throw e;
        }
    }

    public Optional<LiveView> liveView() {
        return Optional.ofNullable(live);
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The stream job; empty when this run is {@code --only ingest}. */
    public Optional<StreamJobProcess> streamJob() {
        return Optional.ofNullable(streamJob);
    }

    /** Non-empty when either side has failed; the text says which and why. */
    public Optional<String> failure() {
        if (ingest != null && ingest.state() == IngestPipeline.State.FAILED) {
            return Optional.of("ingest failed: " + ingest.failure().map(Throwable::getMessage).orElse("unknown reason"));
        }
        if (!closed && streamJob != null && streamJob.exitCode().isPresent()) {
            return Optional.of("the stream job exited with code " + streamJob.exitCode().getAsInt()
                    + "; last lines of " + streamJob.logFile() + ":\n  " + String.join("\n  ", streamJob.logTail(25)));
        }
        return Optional.empty();
    }

    /** Why ingest failed when a server refused the credentials or Sluice its certificate (exit code 4 or 5). */
    public Optional<io.sluice.config.ConnectionRefusedException> refusal() {
        if (ingest == null || ingest.state() != IngestPipeline.State.FAILED) {
            return Optional.empty();
        }
        return ingest.failure().map(io.sluice.config.ConnectionRefusedException::findIn);
    }

    public Progress progress() {
        IngestMetrics.Snapshot produced = ingest == null ? null : ingest.metrics();
        List<StreamProgress> batches = streamJob == null ? List.of()
                : streamJob.readProgress().stream().filter(StreamProgress::isBatch).toList();
        long inKafka = TopicOffsets.total(offsets.endOffsets(config.kafkaTopic()));
        return new Progress(elapsed(), produced, inKafka, batches, streamJob != null && streamJob.hasStarted(), streamJob != null);
    }

    /** Stops the sources, flushes the producer, and waits until everything acknowledged is still only in Kafka. */
    public void stopIngest() {
        if (ingest != null) {
            ingest.stop();
        }
    }

    /** How a drain reports: the progress line, and records written so far of those the drain must write. */
    public interface DrainReporter {
        void report(Progress progress, long done, long total);
    }

    /**
     * Waits until the stream job has consumed every record the topic holds now, reporting on the way.
     * Returns false on timeout or when the job died; true at once for a run without a stream job.
     */
    public boolean awaitDrained(Duration timeout, Duration reportEvery, DrainReporter reporter)
            throws InterruptedException {
        if (streamJob == null) {
            return true;
        }
        Map<Integer, Long> target = offsets.endOffsets(config.kafkaTopic());
        long startConsumed = consumedTowards(target);
        long total = Math.max(0, TopicOffsets.total(target) - startConsumed);
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
                reporter.report(progress(), Math.max(0, consumedTowards(target) - startConsumed), total);
                nextReport += reportEvery.toNanos();
            }
            Thread.sleep(250);
        }
        return caughtUp(target);
    }

    /** Records of the target the job has read: per partition, its read offset capped at the target. */
    private long consumedTowards(Map<Integer, Long> target) {
        Map<Integer, Long> consumed = ProgressFile.consumedOffsets(streamJob.readProgress())
                .getOrDefault(config.kafkaTopic(), Map.of());
        return target.entrySet().stream().mapToLong(e -> Math.min(e.getValue(), consumed.getOrDefault(e.getKey(), 0L))).sum();
    }

    private boolean caughtUp(Map<Integer, Long> target) {
        Map<Integer, Long> consumed = ProgressFile.consumedOffsets(streamJob.readProgress())
                .getOrDefault(config.kafkaTopic(), Map.of());
        return target.entrySet().stream().allMatch(e -> e.getValue() == 0 || consumed.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    /** {@link #stop} without reporting. */
    @Override
    public void close() {
        stop(line -> { });
    }

    /**
     * The orderly stop, one step after the other, each bounded: the sources stop and the producer sends what is queued
     * and flushes (IngestPipeline bounds both), the positions Kafka acknowledged are saved, then the stream job finishes
     * its current micro-batch and exits ({@link #STREAM_STOP_TIMEOUT}, then SIGTERM and SIGKILL: no child JVM is left).
     * Reports each step as a line. Safe to call twice; the second call returns at once.
     */
    public synchronized void stop(Consumer<String> report) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (ingest != null) {
                ingest.close();
                IngestMetrics.Snapshot m = ingest.metrics();
                report.accept(String.format("Sources stopped, producer flushed: %,d records acknowledged by Kafka%s.",
                        m.recordsSent(), m.lastCommittedPosition() == null ? ""
                                : "; source position saved after the last acknowledged record"));
            }
        } finally {
            try {
                stopStreamJob(report);
            } finally {
                if (live != null) {
                    live.close();
                }
                offsets.close();
            }
        }
    }

    private void stopStreamJob(Consumer<String> report) {
        if (streamJob == null || !streamJob.isAlive()) {
            return;
        }
        report.accept("Stream job: finishing its current micro-batch, then stopping (pid " + streamJob.pid() + ") ...");
        try {
            int code = streamJob.stopGracefully(STREAM_STOP_TIMEOUT);
            report.accept("Stream job stopped (exit code " + code + "); what it has not written stays in Kafka, and its"
                    + " checkpoint resumes there.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A snapshot of both sides, as printed every few seconds. {@code produced} is null for a run without ingest; {@code hasStream} is false for a run without the job.
     */
    public record Progress(Duration elapsed, IngestMetrics.Snapshot produced, long inKafka, List<StreamProgress> batches,
                           boolean streamStarted, boolean hasStream) {
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
            StringBuilder line = new StringBuilder(String.format("[%4ds]", elapsed.toSeconds()));
            if (produced != null) {
                line.append(String.format(" produced %,d |", produced.recordsSent()));
            }
            line.append(String.format(" in Kafka %,d", inKafka));
            if (hasStream) {
                String stream = lastBatch().map(b -> String.format("last batch %,d rows in %,d ms", b.numInputRows(), b.durationMs()))
                        .orElse(streamStarted ? "waiting for the first batch" : "starting Spark");
                line.append(String.format(" | written to Cassandra %,d | quarantined %,d | %s", rowsWritten(), quarantined(), stream));
            }
            if (produced != null) {
                line.append(String.format(" | queue %,d", Math.max(0, produced.queueDepth())));
            }
            return line.toString();
        }
    }
}
