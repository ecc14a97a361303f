package io.sluice.stack.spark;

import io.sluice.stack.LaunchMode;
import io.sluice.stack.LocalStack;
import io.sluice.stack.ServerStatus;
import io.sluice.stack.SluiceHome;
import io.sluice.stack.StackException;
import io.sluice.stack.StopOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A Spark standalone cluster on 127.0.0.1 from the Maven-resolved Spark jars, with no Spark download: one master and
 * {@code n} workers, each a child JVM in its own directory under the data dir.
 *
 * <pre>
 * &lt;dataDir&gt;/spark-home/{jars/, conf/, bin/spark-submit}     the $SPARK_HOME executors and spark-submit start from
 * &lt;dataDir&gt;/spark-master/{master.properties, spark-master.log, spark-master.pid}
 * &lt;dataDir&gt;/spark-worker-&lt;n&gt;/{work/, worker.properties, spark-worker-&lt;n&gt;.log, spark-worker-&lt;n&gt;.pid}
 * </pre>
 *
 * <pre>
 * try (SparkStandalone spark = new SparkStandalone().withDataDir(dir).withWorkers(2).start()) {
 *     spark.masterUrl();     // spark://127.0.0.1:7077, for stream.master or spark-submit --master
 *     spark.kill(1);         // SIGKILL worker 1 (its executors exit with it)
 *     spark.restart(1);      // start it again; returns once it registered with the master
 * }
 * new SparkStandalone().withDataDir(dir).withWorkers(2).down();   // from any JVM, with only the data dir
 * </pre>
 *
 * Sizes: master and worker daemons run with 256 MB heaps; each worker offers 1 core and 1 GB to executors by default
 * ({@link #withWorkerCores}, {@link #withWorkerMemory}); an executor's own heap is the application's
 * {@code spark.executor.memory}.
 */
public final class SparkStandalone implements AutoCloseable {
    private static final Duration WORKERS_REGISTERED = Duration.ofSeconds(60);

    private final SparkMaster master = new SparkMaster();
    private final List<SparkWorker> workers = new ArrayList<>();
    private Path dataDir = LocalStack.DEFAULT_DATA_DIR;
    private LaunchMode mode = LaunchMode.ATTACHED;
    private SluiceHome home;
    private int workerCores = 1;
    private String workerMemory = "1g";
    private boolean freePorts;

    public SparkStandalone() {
        withWorkers(2);
    }

    /** The spark home of a data dir, shared by the master, the workers and {@code bin/spark-submit}. */
    public static SparkHome sparkHome(Path dataDir) {
        return new SparkHome(dataDir.resolve("spark-home"));
    }

    public SparkStandalone withDataDir(Path dataDir) {
        this.dataDir = dataDir;
        servers().forEach(server -> server.withDataDir(dataDir));
        return this;
    }

    /** How many workers ({@code spark-worker-1} ... {@code spark-worker-n}); 2 by default. */
    public SparkStandalone withWorkers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a Spark cluster needs at least 1 worker, got " + count);
        }
        workers.clear();
        for (int n = 1; n <= count; n++) {
            workers.add(configure(new SparkWorker(n)));
        }
        return this;
    }

    public SparkStandalone withWorkerCores(int cores) {
        this.workerCores = cores;
        workers.forEach(worker -> worker.withCores(cores));
        return this;
    }

    public SparkStandalone withWorkerMemory(String memory) {
        this.workerMemory = memory;
        workers.forEach(worker -> worker.withMemory(memory));
        return this;
    }

    /** Master and worker ports picked free at this call instead of 7077/8080 and up (tests, several stacks). */
    public SparkStandalone withFreePorts() {
        this.freePorts = true;
        master.withPort(io.sluice.stack.Ports.findFree()).withWebUiPort(io.sluice.stack.Ports.findFree());
        workers.forEach(this::configure);
        return this;
    }

    public SparkStandalone withMode(LaunchMode mode) {
        this.mode = mode;
        servers().forEach(server -> server.withMode(mode));
        return this;
    }

    public SparkStandalone withSluiceHome(SluiceHome home) {
        this.home = home;
        servers().forEach(server -> server.withSluiceHome(home));
        return this;
    }

    public SparkMaster master() {
        return master;
    }

    public List<SparkWorker> workers() {
        return List.copyOf(workers);
    }

    /** Worker {@code number}, counted from 1. */
    public SparkWorker worker(int number) {
        if (number < 1 || number > workers.size()) {
            throw new IllegalArgumentException("there are workers 1 to " + workers.size() + ", not " + number);
        }
        return workers.get(number - 1);
    }

    /** {@code spark://127.0.0.1:<port>}: {@code stream.master} for {@code sluice run}, {@code --master} for spark-submit. */
    public String masterUrl() {
        return master.masterUrl();
    }

    public SparkHome sparkHome() {
        return sparkHome(dataDir);
    }

    /**
     * Starts the master, then every worker, and returns once all workers registered with the master. Any failure stops
     * whatever was launched and is thrown.
     */
    public SparkStandalone start() {
        servers().forEach(server -> server.checkCanStart());
        List<io.sluice.stack.LocalServer<?>> launched = new ArrayList<>();
        try {
            master.launch();
            launched.add(master);
            master.awaitReady();
            for (SparkWorker worker : workers) {
                worker.launch();
                launched.add(worker);
            }
            for (SparkWorker worker : workers) {
                worker.awaitReady();
            }
            awaitAliveWorkers(workers.size());
            return this;
        } catch (RuntimeException e) {
            for (io.sluice.stack.LocalServer<?> server : launched) {
                try {
                    server.stop();
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
            }
            throw e;
        }
    }

    /**
     * SIGKILL for worker {@code number}: no shutdown hook runs, as when a machine dies. Its executors notice the lost
     * worker and exit; the master marks it dead after {@code spark.worker.timeout} (60 s).
     */
    public void kill(int number) {
        worker(number).kill();
    }

    /** Starts worker {@code number} again (after {@link #kill} or a stop) and waits until it registered. */
    public SparkWorker restart(int number) {
        SparkWorker worker = worker(number);
        worker.stop();
        return worker.start();
    }

    /** Stops the workers (their executors with them), then the master. */
    public List<StopOutcome> stop() {
        List<StopOutcome> outcomes = new ArrayList<>();
        for (SparkWorker worker : workers) {
            outcomes.add(worker.stop());
        }
        outcomes.add(master.stop());
        return outcomes;
    }

    /** The same as {@link #stop()}, from a fresh JVM: everything is found from the pid files under the data dir. */
    public List<StopOutcome> down() {
        return stop();
    }

    public List<ServerStatus> status() {
        return servers().stream().map(io.sluice.stack.LocalServer::status).toList();
    }

    @Override
    public void close() {
        if (mode == LaunchMode.ATTACHED) {
            stop();
        }
    }

    private List<io.sluice.stack.LocalServer<?>> servers() {
        List<io.sluice.stack.LocalServer<?>> all = new ArrayList<>();
        all.add(master);
        all.addAll(workers);
        return all;
    }

    private SparkWorker configure(SparkWorker worker) {
        worker.withDataDir(dataDir).withMode(mode).withMasterUrl(master.masterUrl())
                .withCores(workerCores).withMemory(workerMemory);
        if (home != null) {
            worker.withSluiceHome(home);
        }
        if (freePorts) {
            worker.withPort(io.sluice.stack.Ports.findFree()).withWebUiPort(io.sluice.stack.Ports.findFree());
        }
        return worker;
    }

    private void awaitAliveWorkers(int expected) {
        Instant deadline = Instant.now().plus(WORKERS_REGISTERED);
        int alive = 0;
        while (Instant.now().isBefore(deadline)) {
            alive = master.aliveWorkers();
            if (alive >= expected) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("Interrupted while waiting for the Spark workers to register", e);
            }
        }
        throw new StackException("The Spark master at " + masterUrl() + " counts " + alive + " alive workers of "
                + expected + " after " + WORKERS_REGISTERED.toSeconds() + " s; see the logs in " + dataDir.toAbsolutePath()
                + "/spark-worker-*/.");
    }
}
