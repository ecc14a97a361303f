package io.sluice.cli.commands;

import io.sluice.cli.ExitCodes;
import io.sluice.cli.run.PipelineRun;
import io.sluice.config.PipelineConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a pipeline (ingest in this JVM, the Spark job in its own) against the addresses in the file.",
                "Runs until Ctrl-C or --duration, then drains what Kafka holds and stops."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--data-dir", defaultValue = ".sluice", description = "Checkpoints, logs and progress (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path dataDir;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long (default: run until Ctrl-C).")
    Duration duration;

    @Option(names = "--progress-every", defaultValue = "5s", converter = DurationConverter.class,
            description = "How often to print progress (default: ${DEFAULT-VALUE}).")
    Duration progressEvery;

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = pipeline.load();
        PipelineRun run = new PipelineRun(config, pipeline.file(), pipeline.overrides(), dataDir.toAbsolutePath());
        Thread hook = new Thread(run::close, "sluice-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        run.start();
        System.out.println("Running pipeline " + config.name() + "; stream job log: " + run.streamJob().logFile());
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(progressEvery.toMillis());
            var failure = run.failure();
            if (failure.isPresent()) {
                System.err.println("sluice run: " + failure.get());
                run.close();
                return ExitCodes.FAILED;
            }
            System.out.println(run.progress().line());
        }
        run.stopIngest();
        boolean drained = run.awaitDrained(Duration.ofMinutes(5), progressEvery, p -> System.out.println(p.line()));
        System.out.println(run.progress().line());
        run.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        if (!drained) {
            System.err.println("sluice run: the stream job did not catch up with Kafka in time; see " + run.streamJob().logFile());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
