package io.sluice.cli.commands;

import io.sluice.cli.ExitCodes;
import io.sluice.cli.cassandra.CassandraClient;
import io.sluice.cli.kafka.TopicOffsets;
import io.sluice.cli.run.PipelineRun;
import io.sluice.cli.run.PipelineRun.Progress;
import io.sluice.cli.run.SignalStop;
import io.sluice.config.PipelineConfig;
import io.sluice.demoapi.DemoApiServer;
import io.sluice.ingest.DropReason;
import io.sluice.stack.LaunchMode;
import io.sluice.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on the embedded stack: demo API -> throttled producer -> Kafka -> Spark -> Cassandra.",
                "Starts Kafka and Cassandra unless they are already up, prints progress every few seconds,",
                "drains what Kafka holds, prints a summary and stops everything it started. Ctrl-C is safe."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    StackOptions stackOptions;

    @Mixin
    DashboardMixin dashboard;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to produce users (default: ${DEFAULT-VALUE}); draining comes after.")
    Duration duration;

    @Option(names = "--rate", defaultValue = "200", description = "Producer throttle in users per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Demo API seed: the same seed gives the same users (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--source", defaultValue = "rest", description = "Which demo API endpoint feeds the pipeline: "
            + "rest (polled) or grpc (the server-streaming sluice.demo.v1.Users/StreamUsers, by reflection) (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--pipeline", description = "Pipeline file (default: pipelines/demo-users.yaml in the Sluice folder).")
    Path pipelineFile;

    @Option(names = "--keep-state", description = "Keep the demo's topic, checkpoint and table from earlier runs instead of starting clean.")
    boolean keepState;

    @Option(names = "--progress-every", defaultValue = "3s", converter = DurationConverter.class,
            description = "How often to print progress (default: ${DEFAULT-VALUE}).")
    Duration progressEvery;

    @Override
    public Integer call() throws Exception {
        if (!source.equals("rest") && !source.equals("grpc")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--source must be rest or grpc, got " + source);
        }
        if (rate <= 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--rate must be > 0, got " + rate);
        }
        Path pipeline = pipelineFile != null ? pipelineFile
                : Path.of(System.getProperty("sluice.home", ".")).resolve("pipelines/demo-users.yaml");
        PipelineConfig.load(pipeline, Map.of()); // reject a bad file before anything starts

        LocalStack stack = stackOptions.stack(LaunchMode.ATTACHED);
        DemoApiServer api = new DemoApiServer().withPort(0).withSeed(seed);
        PipelineRun[] run = new PipelineRun[1];
        boolean[] startedStack = new boolean[1];
        try (SignalStop stop = new SignalStop("sluice-demo-shutdown",
                () -> System.out.println("\nInterrupted: stopping the producer, the stream job and the stack. Nothing"
                        + " acknowledged is lost: Kafka keeps it and the checkpoint resumes from it."),
                () -> cleanUp(run[0], api, startedStack[0] ? stack : null))) {
            try {
                return demo(stack, api, pipeline, run, startedStack, stop);
            } catch (RuntimeException e) {
                stop.parkIfSignalled(); // a client closed under our feet by the shutdown hook is not an error
                throw e;
            } finally {
                stop.runNow();
            }
        }
    }

    private int demo(LocalStack stack, DemoApiServer api, Path pipeline, PipelineRun[] run, boolean[] startedStack,
                     SignalStop stop) throws InterruptedException {
        System.out.println("Sluice demo: data dir " + stackOptions.dataDir());
        if (stack.status().stream().allMatch(s -> s.running() && s.ready())) {
            System.out.println("Using the stack that is already up.");
        } else {
            System.out.println("Starting Kafka and Cassandra ...");
            long t0 = System.nanoTime();
            startedStack[0] = true;
            stack.start();
            System.out.printf("Kafka at %s and Cassandra at %s ready in %.1f s%n", stack.bootstrapServers(),
                    hostPort(stack), (System.nanoTime() - t0) / 1e9);
        }
        api.start();

        if (stack.secured()) {
            SecureStackNotice.print(stack);
        }
        Map<String, String> overrides = overrides(stack, api, PipelineConfig.load(pipeline, Map.of()));
        PipelineConfig config = PipelineConfig.load(pipeline, overrides);
        System.out.printf("Demo API at %s (seed %d). Pipeline %s: %s users/s max, trigger %s, max %,d offsets per trigger, TTL %s%n",
                source.equals("grpc") ? api.grpcUrl() : api.baseUrl(), seed, config.name(), trim(config.producerRecordsPerSecond()),
                io.sluice.config.Durations.format(config.streamTriggerInterval()), config.streamMaxOffsetsPerTrigger(),
                io.sluice.config.Durations.format(config.sinkTtl()));
        if (!keepState) {
            resetState(config);
        }

        run[0] = new PipelineRun(config, pipeline, overrides, stackOptions.dataDir());
        var dashboardOptions = dashboard.options();
        dashboardOptions.ifPresent(o -> System.out.println("Dashboard: " + run[0].startLiveView(o)));
        run[0].start();
        System.out.println("Streaming for " + io.sluice.config.Durations.format(duration) + " (stream job log: "
                + run[0].streamJob().orElseThrow().logFile() + ")");
        Integer failed = produceFor(run[0], stop);
        if (failed != null) {
            return failed;
        }
        run[0].stopIngest();
        System.out.println("Producer stopped; draining: waiting for the stream job to write everything Kafka holds ...");
        io.sluice.stream.launch.ProgressBar bar = io.sluice.stream.launch.ProgressBar.onStdout("draining");
        boolean drained = run[0].awaitDrained(drainTimeout(config), progressEvery, (p, done, total) -> bar.report(done, total,
                String.format("written to Cassandra %,d | quarantined %,d", p.rowsWritten(), p.quarantined())));
        bar.finish();
        stop.parkIfSignalled();
        Progress last = run[0].progress();
        run[0].close();
        long rows;
        try (CassandraClient cql = new CassandraClient(config.cassandraConnection())) {
            rows = cql.countRows(config.sinkKeyspace(), config.sinkTable());
        }
        return printSummary(config, last, rows, drained, run[0].streamJob().orElseThrow().logFile());
    }

    private Integer produceFor(PipelineRun run, SignalStop stop) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(progressEvery.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            stop.parkIfSignalled();
            var failure = run.failure();
            if (failure.isPresent()) {
                System.err.println("sluice demo: " + failure.get());
                return ExitCodes.FAILED;
            }
            System.out.println(run.progress().line());
        }
        return null;
    }

    private Map<String, String> overrides(LocalStack stack, DemoApiServer api, PipelineConfig fileConfig) {
        // Offer a little more than the throttle lets through, so the throttle (not the source) sets the pace.
        double pollsPerSecond = 1000.0 / Math.max(1, fileConfig.sourceInterval().toMillis());
        long perPoll = Math.min(5000, Math.max(1, (long) Math.ceil(rate * 1.5 / pollsPerSecond)));
        Map<String, String> overrides = new LinkedHashMap<>();
        if (source.equals("grpc")) {
            // The same users, streamed; the server paces at 1.5 x the throttle, and resumes after the last seq.
            overrides.put("source.type", "grpc");
            overrides.put("source.url", api.grpcUrl());
            overrides.put("source.grpc.method", io.sluice.demoapi.GrpcUsersProto.METHOD);
            overrides.put("source.grpc.request", "{\"since\": \"${position}\", \"rate\": " + trim(rate * 1.5) + "}");
            overrides.put("source.records_path", "results");
            overrides.put("source.position_path", "seq");
            overrides.put("source.initial_position", "0");
        } else {
            overrides.put("source.url", api.baseUrl() + "/api/?results=" + perPoll);
        }
        overrides.put("producer.records_per_second", trim(rate));
        overrides.put("kafka.bootstrap_servers", stack.bootstrapServers());
        overrides.put("cassandra.contact_points", hostPort(stack));
        if (stack.secured()) { // references into the credentials file, never the secrets themselves
            overrides.putAll(stack.security().pipelineOverrides());
        }
        return overrides;
    }

    /** Enough time for Spark to start and write the backlog at the capped rate, with a generous margin. */
    private Duration drainTimeout(PipelineConfig config) {
        double batches = Math.ceil(rate * duration.toSeconds() / (double) config.streamMaxOffsetsPerTrigger());
        return Duration.ofSeconds(120).plus(config.streamTriggerInterval().multipliedBy((long) batches + 2));
    }

    private void resetState(PipelineConfig config) {
        System.out.println("Starting clean: removing the demo's topic, checkpoint and table rows from earlier runs (--keep-state keeps them).");
        try (TopicOffsets kafka = new TopicOffsets(config)) {
            kafka.deleteTopic(config.kafkaTopic());
        }
        deleteRecursively(config.checkpointDir(stackOptions.dataDir()));
        deleteRecursively(stackOptions.dataDir().resolve("positions").resolve(config.name() + ".json"));
        try (CassandraClient cql = new CassandraClient(config.cassandraConnection())) {
            if (cql.countRows(config.sinkKeyspace(), config.sinkTable()) != -1) {
                cql.execute("TRUNCATE " + config.sinkKeyspace() + "." + config.sinkTable());
            }
        }
    }

    private int printSummary(PipelineConfig config, Progress last, long rows, boolean drained, Path streamLog) {
        var produced = last.produced();
        System.out.println();
        System.out.printf("Summary of pipeline %s after %d s%n", config.name(), last.elapsed().toSeconds());
        System.out.printf("  users produced (acked by Kafka):      %,d%n", produced.recordsSent());
        System.out.printf("  distinct users produced:              %,d%n", produced.distinctKeysAcked());
        System.out.printf("  records in Kafka topic %-14s %,d%n", config.kafkaTopic() + ":", last.inKafka());
        System.out.printf("  micro-batches:                        %,d (largest %,d rows; cap %,d)%n",
                last.batches().size(), last.largestBatch(), config.streamMaxOffsetsPerTrigger());
        System.out.printf("  rows written by the stream job:       %,d%n", last.rowsWritten());
        System.out.printf("  quarantined by data quality:          %,d (topic %s.dlq and table %s_quarantine)%n",
                last.quarantined(), config.kafkaTopic(), config.sinkTable());
        System.out.printf("  rows in %s.%s (CQL count): %,d%n", config.sinkKeyspace(), config.sinkTable(), rows);
        long notSentAtStop = produced.dropped().getOrDefault(DropReason.SHUTDOWN_DEADLINE, 0L);
        System.out.printf("  dropped / malformed / send errors:    %,d / %,d / %,d%n",
                produced.droppedTotal() - notSentAtStop, produced.malformed(), produced.sendErrors());
        System.out.printf("  fetched but not sent at stop:         %,d (never acknowledged, so the source position was not"
                + " advanced past them)%n", notSentAtStop);
        if (!drained) {
            System.out.println("FAILED: the stream job did not catch up with Kafka in time; see " + streamLog);
            return ExitCodes.FAILED;
        }
        if (rows != produced.distinctKeysAcked()) {
            System.out.printf("FAILED: the table holds %,d rows but %,d distinct users were produced.%n", rows, produced.distinctKeysAcked());
            return ExitCodes.FAILED;
        }
        System.out.println("OK: every distinct user produced is exactly one row in Cassandra.");
        return ExitCodes.OK;
    }

    private void cleanUp(PipelineRun run, DemoApiServer api, LocalStack startedStack) {
        try {
            if (run != null) {
                run.close();
            }
        } finally {
            api.close();
            if (startedStack != null) {
                System.out.println("Stopping Kafka and Cassandra (data kept under " + stackOptions.dataDir() + ") ...");
                startedStack.stop();
            }
        }
    }

    private static String hostPort(LocalStack stack) {
        return stack.contactPoint().getHostString() + ":" + stack.contactPoint().getPort();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }
}
