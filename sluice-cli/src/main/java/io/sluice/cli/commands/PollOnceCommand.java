package io.sluice.cli.commands;

import io.sluice.cli.ExitCodes;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.PollOnce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "poll-once", mixinStandardHelpOptions = true,
        description = {"Run exactly one polling cycle of a rest_poll pipeline: fetch (following pagination), throttle, "
                + "send to Kafka, wait for acknowledgements, save the cursor; then exit.",
                "For teams whose Airflow or cron keeps the schedule (see examples/airflow and examples/cron).",
                "Exit 0 when the cycle completed, 1 with a reason when it did not, 2 for a bad pipeline file, 4 when the API"
                        + " (or its OAuth2 token endpoint) refused the credentials, 5 when its TLS certificate is not trusted."})
public final class PollOnceCommand implements Callable<Integer> {
    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--data-dir", defaultValue = ".sluice", description = "Where the cursor is kept between runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class,
            description = "Bound on the whole cycle (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        PipelineConfig config = pipeline.load();
        PollOnce.Result result = new PollOnce(config, dataDir.toAbsolutePath()).withTimeout(timeout).run();
        System.out.printf("poll-once %s: %d records sent to %s, %d pages, %d duplicates skipped%s%n", config.name(),
                result.recordsSent(), config.kafkaTopic(), result.pagesFetched(), result.duplicatesSkipped(),
                result.notModified() ? ", not modified since the last cycle (304)" : "");
        if (!result.succeeded()) {
            System.err.println("sluice poll-once: " + result.failureReason().orElse("failed"));
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
