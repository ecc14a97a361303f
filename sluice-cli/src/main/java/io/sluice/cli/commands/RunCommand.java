package io.sluice.cli.commands;

import io.sluice.cli.ExitCodes;
import io.sluice.cli.run.PipelineRun;
import io.sluice.cli.run.PipelineRun.Part;
import io.sluice.cli.run.SignalStop;
import io.sluice.config.PipelineConfig;
import io.sluice.stream.launch.StreamJobProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a pipeline against the addresses in the file: ingest (sources -> throttled producer -> Kafka) in this"
                + " JVM and the Spark stream job in its own, or only one of them (--only).",
                "",
                "Ctrl-C or SIGTERM stops it in order: the sources stop, the producer sends what is queued and flushes, source"
                        + " positions are saved after Kafka's acks, and the stream job finishes its current micro-batch and"
                        + " exits (it does not drain the backlog). What it has not written stays in Kafka: the next run resumes from the"
                        + " checkpoint. The stop takes seconds; each step is bounded (see README, \"Stopping sluice run\") and no"
                        + " child JVM is left behind. Exit code 130 after Ctrl-C, 143 after SIGTERM.",
                "",
                "--duration ends the run the same way, except that the stream job first writes everything Kafka holds"
                        + " (up to --drain-timeout); exit code 0, or 1 if it did not catch up in time.",
                "",
                "--only stream --available-now drains a topic: the stream job writes what the topic holds when it starts"
                        + " (in batches of at most stream.max_offsets_per_trigger), prints progress and exits 0.",
                ""},
        footer = {"", "Exit codes: 0 done, 1 run failed, 2 bad usage, pipeline file or checkpoint, 4 credentials refused"
                + " (Kafka, Cassandra or the source's API), 5 TLS certificate not trusted, 130 Ctrl-C, 143 SIGTERM."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PipelineOptions pipeline;

    @Mixin
    DashboardMixin dashboard;

    @Option(names = "--data-dir", defaultValue = ".sluice", description = "Checkpoints, source positions, logs and progress"
            + " (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--only", paramLabel = "ingest|stream", description = "Run one half: `ingest` (sources to Kafka) or"
            + " `stream` (Kafka to Cassandra). Default: both.")
    Part only;

    @Option(names = "--available-now", description = "With --only stream: write what the topic holds at start, then exit 0.")
    boolean availableNow;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long, then drain"
            + " (default: run until Ctrl-C or SIGTERM).")
    Duration duration;

    @Option(names = "--drain-timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "After --duration: how long the stream job may take to write what Kafka holds (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--progress-every", defaultValue = "5s", converter = DurationConverter.class,
            description = "How often to print progress (default: ${DEFAULT-VALUE}).")
    Duration progressEvery;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        var dashboardOptions = dashboard.options();
        PipelineConfig config = pipeline.load();
        PipelineRun run = new PipelineRun(config, pipeline.file(), pipeline.overrides(), dataDir.toAbsolutePath(), parts(),
                availableNow);
        try (SignalStop stop = new SignalStop("sluice-run-shutdown",
                () -> System.out.println(System.lineSeparator() + "Stopping pipeline " + config.name() + " (signal received) ..."),
                () -> run.stop(System.out::println))) {
            try {
                dashboardOptions.ifPresent(o -> System.out.println("Dashboard: " + run.startLiveView(o)
                        + "  (Prometheus scrape: " + run.liveView().orElseThrow().metricsUrl() + ")"));
                return runUntilDone(run, config, stop);
            } catch (RuntimeException e) {
                stop.parkIfSignalled(); // a client the hook closed under our feet is not an error
                throw e;
            } finally {
                stop.runNow();
            }
        }
    }

    private void checkOptions() {
        if (availableNow && only != Part.STREAM) {
            throw new ParameterException(spec.commandLine(), "--available-now drains a topic with the stream job alone: add --only stream");
        }
        if (availableNow && duration != null) {
            throw new ParameterException(spec.commandLine(), "--available-now ends by itself once the topic is drained: drop --duration");
        }
    }

    private Set<Part> parts() {
        return only == null ? EnumSet.allOf(Part.class) : EnumSet.of(only);
    }

    private int runUntilDone(PipelineRun run, PipelineConfig config, SignalStop stop) throws InterruptedException {
        run.start();
        System.out.println("Running pipeline " + config.name() + ": " + describe(config)
                + run.streamJob().map(job -> "; stream job log: " + job.logFile()).orElse("")
                + ". Ctrl-C or SIGTERM stops it in order.");
        if (availableNow) {
            return awaitAvailableNow(run, run.streamJob().orElseThrow(), config, stop);
        }
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(progressEvery.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            stop.parkIfSignalled();
            var failure = run.failure();
            if (failure.isPresent()) {
                var refused = run.refusal();
                if (refused.isPresent()) { // one sentence naming server, user and key: nothing else helps
                    System.err.println("sluice run: " + refused.get().getMessage());
                    return refused.get().exitCode();
                }
                System.err.println("sluice run: " + failure.get());
                return ExitCodes.FAILED;
            }
            System.out.println(run.progress().line());
        }
        return drainAfterDuration(run, config, stop);
    }

    private int drainAfterDuration(PipelineRun run, PipelineConfig config, SignalStop stop) throws InterruptedException {
        run.stopIngest();
        io.sluice.stream.launch.ProgressBar bar = io.sluice.stream.launch.ProgressBar.onStdout("draining");
        boolean drained = run.awaitDrained(drainTimeout, progressEvery, (p, done, total) -> bar.report(done, total,
                String.format("written to Cassandra %,d | quarantined %,d", p.rowsWritten(), p.quarantined())));
        bar.finish();
        stop.parkIfSignalled();
        PipelineRun.Progress last = run.progress();
        System.out.println(last.line());
        stop.runNow();
        if (!drained) {
            System.err.println("sluice run: the stream job did not catch up with Kafka within "
                    + io.sluice.config.Durations.format(drainTimeout) + "; see "
                    + run.streamJob().map(StreamJobProcess::logFile).orElseThrow());
            return ExitCodes.FAILED;
        }
        if (only == Part.INGEST) {
            System.out.printf("Kafka topic %s holds %,d records; `sluice run PIPELINE --only stream --available-now` writes them.%n",
                    config.kafkaTopic(), last.inKafka());
        }
        return ExitCodes.OK;
    }

    /** The job ends by itself once it has written what the topic held at its start; progress until then. */
    private int awaitAvailableNow(PipelineRun run, StreamJobProcess job, PipelineConfig config, SignalStop stop)
            throws InterruptedException {
        while (true) {
            OptionalInt exit = job.waitFor(progressEvery);
            stop.parkIfSignalled();
            if (exit.isEmpty()) {
                System.out.println(run.progress().line());
                continue;
            }
            PipelineRun.Progress last = run.progress();
            System.out.println(last.line());
            if (exit.getAsInt() == 0) {
                System.out.printf("Drained: the stream job wrote what topic %s held at its start (%,d rows in %,d micro-batches)"
                        + " and exited.%n", config.kafkaTopic(), last.rowsWritten(), last.batches().size());
                return ExitCodes.OK;
            }
            System.err.println("sluice run: " + run.failure().orElse("the stream job exited with code " + exit.getAsInt()));
            // The job's 2 means what ours does (bad pipeline file, or a checkpoint of another topic); 3 (halted by the
            // data-quality threshold) is a failed run.
            return exit.getAsInt() == ExitCodes.BAD_INPUT ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
        }
    }

    private String describe(PipelineConfig config) {
        if (only == Part.INGEST) {
            return "only ingest, " + config.sourceType() + " -> Kafka topic " + config.kafkaTopic();
        }
        String target = config.sinkKeyspace() + "." + config.sinkTable();
        if (only == Part.STREAM) {
            return "only the stream job, Kafka topic " + config.kafkaTopic() + " -> " + target
                    + (availableNow ? ", draining what the topic holds now" : "");
        }
        return config.sourceType() + " -> Kafka topic " + config.kafkaTopic() + " -> " + target;
    }
}
