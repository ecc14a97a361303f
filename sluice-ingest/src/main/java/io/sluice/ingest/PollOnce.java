package io.sluice.ingest;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.source.rest.PollCycle;
import io.sluice.ingest.source.rest.RestPollSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one poll cycle of a {@code rest_poll} pipeline through the whole ingest path (queue → throttle → Kafka),
 * then waits for Kafka's acknowledgements and saves the cursor: what an outside scheduler (Airflow, cron) calls
 * instead of running its own HTTP-to-Kafka code. The next call resumes from the saved cursor.
 *
 * <pre>{@code
 * PollOnce.Result result = new PollOnce(config, dataDir).run();
 * if (!result.succeeded()) { System.err.println(result.failure()); System.exit(1); }
 * }</pre>
 */
public final class PollOnce {
    private static final Logger LOG = LoggerFactory.getLogger(PollOnce.class);

    /**
     * How the cycle went. {@code failure} is null on success, otherwise a sentence for the scheduler's log; a run
     * that sent records and still failed has its position saved up to the last record Kafka acknowledged.
     */
    public record Result(long recordsSent, int pagesFetched, int duplicatesSkipped, boolean notModified,
                         String committedPosition, String failure) {
        public boolean succeeded() {
            return failure == null;
        }

        public Optional<String> failureReason() {
            return Optional.ofNullable(failure);
        }
    }

    private final PipelineConfig config;
    private final Path dataDir;
    private Duration timeout = Duration.ofMinutes(10);

    public PollOnce(PipelineConfig config, Path dataDir) {
        this.config = Objects.requireNonNull(config, "config");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    /** Bound on the whole run: polling, sending the throttled records and waiting for acknowledgements. Default 10 min. */
    public PollOnce withTimeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public Result run() throws InterruptedException {
        if (!config.sourceType().equals(RestPollSource.TYPE)) {
            return failed("poll-once runs polling sources only; `source.type` is " + config.sourceType()
                    + " (stream it with `sluice run` instead)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        AtomicReference<PollCycle> cycle = new AtomicReference<>();
        CountDownLatch cycleEnded = new CountDownLatch(1);
        IngestPipeline pipeline = IngestPipeline.builder(config)
                .source(RestPollSource.singleCycle(c -> {
                    cycle.set(c);
                    cycleEnded.countDown();
                }))
                .dataDir(dataDir)
                .drainTimeout(timeout) // everything polled must reach Kafka; the overall deadline still bounds it
                .build();
        try {
            pipeline.start();
        } catch (IngestException e) {
            throwIfRefused(e);
            return failed(e.getMessage());
        }
        try {
            while (!cycleEnded.await(200, TimeUnit.MILLISECONDS)) {
                if (pipeline.failure().isPresent()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
        } finally {
            pipeline.stop(); // sends what is queued, waits for acks, saves the position
        }
        return result(pipeline, cycle.get());
    }

    /**
     * Refused credentials or an untrusted certificate: not a failed cycle to retry on the next schedule but a key to
     * fix, so the caller gets the sentence and its own exit code (4 or 5).
     */
    private static void throwIfRefused(Throwable failure) {
        ConnectionRefusedException refused = ConnectionRefusedException.findIn(failure);
        if (refused != null) {
            throw refused;
        }
    }

    private Result result(IngestPipeline pipeline, PollCycle cycle) {
        pipeline.failure().ifPresent(PollOnce::throwIfRefused);
        IngestMetrics.Snapshot m = pipeline.metrics();
        String failure = null;
        if (pipeline.failure().isPresent()) {
            failure = pipeline.failure().get().getMessage();
        } else if (cycle == null) {
            failure = "the poll cycle did not finish within " + timeout.toSeconds() + "s";
        } else if (!cycle.succeeded()) {
            failure = cycle.failure();
        } else if (m.recordsSent() < m.recordsPolled()) {
            failure = (m.recordsPolled() - m.recordsSent()) + " of " + m.recordsPolled() + " polled records were not "
                    + "acknowledged by Kafka within " + timeout.toSeconds() + "s; the saved position stays before them";
        }
        Result result = new Result(m.recordsSent(), cycle == null ? 0 : cycle.pages(),
                cycle == null ? 0 : cycle.duplicates(), cycle != null && cycle.notModified(), m.lastCommittedPosition(),
                failure);
        LOG.info("poll-once {}: {} records sent from {} pages ({} repeats skipped{}){}", config.name(), result.recordsSent(),
                result.pagesFetched(), result.duplicatesSkipped(), result.notModified() ? ", 304 not modified" : "",
                failure == null ? "" : "; FAILED: " + failure);
        return result;
    }

    private static Result failed(String reason) {
        return new Result(0, 0, 0, false, null, reason);
    }
}
