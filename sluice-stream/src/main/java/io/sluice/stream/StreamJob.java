package io.sluice.stream;

import io.sluice.config.ConfigException;
import io.sluice.config.ConnectionFailures;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sluice stream job: Kafka topic -> parse and key -> Cassandra table, one bounded micro-batch per trigger.
 *
 * <pre>
 * spark-submit --class io.sluice.stream.StreamJob sluice-stream-VERSION-spark.jar --pipeline p.yaml
 * </pre>
 *
 * Exit codes: 0 stopped or drained, 2 bad command line, pipeline file or checkpoint (one that belongs to another
 * topic or pipeline), 3 halted by the data-quality threshold, 4 Kafka or Cassandra refused the credentials, 5 a
 * server's TLS certificate is not trusted, 1 anything else (reason on stderr).
 */
public final class StreamJob {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_CONFIG = 2;
    /** The quarantined share stayed above {@code dq.halt.max_failure_ratio}; see {@link DataQualityHaltException}. */
    public static final int HALTED = 3;

    /** Set by the launcher: stop when stdin closes, so the job dies with its parent. */
    public static final String WATCH_PARENT_PROPERTY = "sluice.watchParent";
    /** Quiet logging for embedded runs: Spark at WARN, Sluice at INFO. Not used under spark-submit. */
    public static final String EMBEDDED_LOG_CONFIG = "sluice-stream-log4j2.properties";

    static {
        // Must run before the first logger exists, hence a static block above the LOG field.
        if (SparkSessions.embedded() && System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", EMBEDDED_LOG_CONFIG);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamJob.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final AtomicReference<String> stopReason = new AtomicReference<>();
    /** Released when {@link #run} has written its last progress line; a SIGTERM hook waits for it. */
    private final CountDownLatch finished = new CountDownLatch(1);

    public static void main(String[] args) {
        int code = new StreamJob().run(args);
        // During a SIGTERM shutdown System.exit would block forever; the JVM is exiting anyway.
        if (!StopSignals.jvmShuttingDown()) {
            System.exit(code);
        }
    }

    int run(String[] args) {
        StreamJobArgs cli;
        PipelineConfig config;
        RecordParser parser;
        SinkProjection projection;
        DataQuality quality;
        try {
            cli = StreamJobArgs.parse(args);
            config = PipelineConfig.load(cli.pipeline(), cli.overrides());
            parser = RecordParser.fromConfig(config);
            projection = SinkProjection.fromConfig(config);
            quality = DataQuality.fromConfig(config);
        } catch (StreamJobArgs.UsageException e) {
            System.err.println("sluice-stream: " + e.getMessage());
            System.err.println(StreamJobArgs.USAGE);
            return BAD_CONFIG;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return BAD_CONFIG;
        }
        if (!Files.isRegularFile(cli.pipeline())) {
            System.err.println("sluice-stream: pipeline file " + cli.pipeline().toAbsolutePath() + " does not exist");
            return BAD_CONFIG;
        }
        Path checkpointDir = config.checkpointDir(cli.dataDir());
        String stage = "starting Spark";
        SparkSession spark = null;
        QualityMetricsStore metrics = null;
        try {
            // Before Spark starts: a checkpoint of another topic is a plain sentence, not Spark's stack trace.
            CheckpointGuard.check(checkpointDir, config);
            spark = SparkSessions.create(config);
            if ("cluster".equals(spark.sparkContext().getConf().get("spark.submit.deployMode", "client"))) {
                // The driver runs on whichever worker the cluster picked, and may run on another after a restart.
                LOG.warn("cluster deploy mode: the checkpoint {} must be on storage every node that may run the driver "
                        + "mounts at that path (NFS); a local disk loses the job's position when the driver moves",
                        checkpointDir);
            }
            validate(spark, config, parser, projection, quality);

            stage = "creating table " + config.sinkKeyspace() + "." + config.sinkTable() + " in Cassandra at "
                    + config.cassandraContactPoints() + " (`cassandra.contact_points`, local DC " + config.cassandraLocalDc() + ")";
            CassandraSchema.ensure(spark.sparkContext().getConf(), config);
            metrics = new QualityMetricsStore(spark.sparkContext().getConf(), config);

            stage = "creating the dead-letter topic " + config.quarantineTopic() + " in Kafka at "
                    + config.kafkaBootstrapServers() + " (`quarantine.topic`)";
            DeadLetterTopic.ensure(config);

            stage = "streaming topic " + config.kafkaTopic() + " from Kafka at " + config.kafkaBootstrapServers()
                    + " into " + config.sinkKeyspace() + "." + config.sinkTable() + " with checkpoint " + checkpointDir;
            MicroBatchWriter writer = PipelineQuery.writer(spark.sparkContext().getConf(), config, parser, quality, projection, metrics, cli.progressFile(),
                    checkpointDir);
            StopSignals.BatchGate gate = new StopSignals.BatchGate();
            StreamingQuery query = PipelineQuery.start(spark, config, gate.guard(writer), checkpointDir, cli.availableNow());
            installStopSignals(query, gate);
            LOG.info("pipeline {} running: {} -> {}.{}, trigger {}, at most {} records per batch, checkpoint {}",
                    config.name(), config.kafkaTopic(), config.sinkKeyspace(), config.sinkTable(),
                    cli.availableNow() ? "available-now" : config.streamTriggerInterval(),
                    config.streamMaxOffsetsPerTrigger(), checkpointDir);
            progress(cli, StreamProgress.started(Instant.now(), config.name()));

            query.awaitTermination();
            String reason = stopReason.get() != null ? stopReason.get() : "backlog drained (available-now)";
            LOG.info("pipeline {} stopped: {}", config.name(), reason);
            progress(cli, StreamProgress.stopped(Instant.now(), reason));
            return OK;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            progress(cli, StreamProgress.stopped(Instant.now(), "refused: " + e.getMessage()));
            return BAD_CONFIG;
        } catch (Exception e) {
            ConnectionRefusedException refused = ConnectionFailures.any(e, config);
            if (refused != null) { // the sentence first, then the trace for whoever digs deeper
                System.err.println("sluice-stream: " + refused.getMessage());
                progress(cli, StreamProgress.stopped(Instant.now(), "refused: " + refused.getMessage()));
                LOG.error("pipeline {} could not connect while {}", config.name(), stage, e);
                return refused.exitCode();
            }
            DataQualityHaltException halt = DataQualityHaltException.findIn(e);
            if (halt != null) {
                LOG.error("pipeline {} halted: {}", config.name(), halt.getMessage());
                progress(cli, StreamProgress.stopped(Instant.now(), "halted: " + halt.getMessage()));
                System.err.println("sluice-stream: pipeline " + config.name() + " stopped by a " + halt.getMessage());
                return HALTED;
            }
            LOG.error("pipeline {} failed while {}", config.name(), stage, e);
            String reason = Messages.rootCause(e);
            progress(cli, StreamProgress.stopped(Instant.now(), "failed: " + reason));
            System.err.println("sluice-stream: pipeline " + config.name() + " failed while " + stage + ": " + reason
                    + ". Batches already committed stay written; rerun the same command to resume from the checkpoint."
                    + " The full stack trace is above.");
            return FAILED;
        } finally {
            finished.countDown();
            if (metrics != null) {
                metrics.close();
            }
            if (spark != null && !StopSignals.jvmShuttingDown()) {
                spark.stop(); // on SIGTERM Spark's own shutdown hook does this, after ours
            }
        }
    }

    /** Every expression of the pipeline file against the record schema, all problems in one report. */
    private static void validate(SparkSession spark, PipelineConfig config, RecordParser parser, SinkProjection projection,
                                 DataQuality quality) {
        java.util.List<io.sluice.config.ConfigProblem> problems = new java.util.ArrayList<>();
        for (Runnable check : java.util.List.<Runnable>of(
                () -> projection.validate(spark, parser.schema(), config.origin()),
                () -> quality.validate(spark, parser.schema(), config.origin()))) {
            try {
                check.run();
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(config.origin(), problems);
        }
    }

    private void installStopSignals(StreamingQuery query, StopSignals.BatchGate gate) {
        if (Boolean.getBoolean(WATCH_PARENT_PROPERTY)) {
            StopSignals.onStdinClosed(System.in, () -> {
                stopReason.compareAndSet(null, "parent closed stdin");
                StopSignals.stopGracefully(query, gate, STOP_WAIT);
            });
        }
        StopSignals.onShutdown(() -> {
            stopReason.compareAndSet(null, "JVM shutdown (SIGTERM)");
            StopSignals.stopGracefully(query, gate, STOP_WAIT);
            awaitFinished(); // let run() log and record the stop before the JVM halts
        }, STOP_WAIT.plusSeconds(10));
    }

    private void awaitFinished() {
        try {
            finished.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void progress(StreamJobArgs cli, StreamProgress line) {
        if (cli.progressFile() != null) {
            try {
                ProgressFile.append(cli.progressFile(), line);
            } catch (RuntimeException e) {
                LOG.warn("cannot write progress file: {}", e.getMessage());
            }
        }
    }
}
