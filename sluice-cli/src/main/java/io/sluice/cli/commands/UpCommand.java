package io.sluice.cli.commands;

import io.sluice.stack.ClusterStack;
import io.sluice.stack.LaunchMode;
import io.sluice.stack.LocalStack;
import io.sluice.stack.ServerStatus;
import io.sluice.stack.StackException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the local Kafka and Cassandra in the background and wait until every node answers a real query.",
                "Data is kept across restarts. Stop them with `sluice down`."})
public final class UpCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Option(names = "--nodes", defaultValue = "1", paramLabel = "N",
            description = {"1 (default): one Kafka broker and one Cassandra node.",
                    "3: three Kafka brokers (KRaft, one cluster) on ports 9092/9192/9292 and three Cassandra nodes on "
                            + "127.0.0.1, .2 and .3 (JMX 7100/7200/7300), started one after another, then a Spark standalone master"
                            + " (spark://127.0.0.1:7077) and two workers; heaps in docs/clusters-local-stack.md."})
    int nodes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (nodes != 1 && nodes != ClusterStack.NODES) {
            throw new ParameterException(spec.commandLine(), "--nodes must be 1 (one broker, one Cassandra node) or "
                    + ClusterStack.NODES + " (three of each), got " + nodes + ".");
        }
        if (nodes == 1) {
            refuseIfRunning("A three-node stack", () -> options.cluster(LaunchMode.DETACHED).status(), "--nodes 1");
            return upSingle(options.stack(LaunchMode.DETACHED));
        }
        if (options.secure) {
            throw new ParameterException(spec.commandLine(), "--secure is not available with --nodes 3; the three-node "
                    + "stack runs PLAINTEXT Kafka and Cassandra without passwords, on loopback only.");
        }
        refuseIfRunning("The one-node stack", () -> options.stack(LaunchMode.DETACHED).status(), "--nodes 3");
        return upCluster(options.cluster(LaunchMode.DETACHED));
    }

    private int upSingle(LocalStack stack) {
        start("Kafka and Cassandra", stack.status(), stack::start, stack::down);
        stack.status().forEach(s -> System.out.println("  " + s));
        System.out.println("Logs: " + stack.kafka().logFile() + ", " + stack.cassandra().logFile());
        if (stack.secured()) {
            SecureStackNotice.print(stack);
        }
        return 0;
    }

    private int upCluster(ClusterStack cluster) {
        start("3 Kafka brokers, 3 Cassandra nodes (one after another), a Spark master and 2 workers", cluster.status(),
                cluster::start, cluster::down);
        cluster.status().forEach(s -> System.out.println("  " + s));
        System.out.println("kafka.bootstrap_servers:  " + cluster.kafkaBootstrap());
        System.out.println("cassandra.contact_points: " + cluster.cassandraContactPoints());
        cluster.spark().ifPresent(spark -> System.out.println("stream.master:            " + spark.masterUrl()));
        System.out.println("Logs: " + options.dataDir() + "/{kafka,cassandra}-{1,2,3}/*.log, "
                + options.dataDir() + "/spark-{master,worker-1,worker-2}/*.log");
        return 0;
    }

    private void start(String what, List<ServerStatus> before, Runnable start, Runnable down) {
        if (before.stream().allMatch(s -> s.running() && s.ready())) {
            System.out.println("The stack under " + options.dataDir() + " is already up:");
            return;
        }
        System.out.println("Starting " + what + " under " + options.dataDir() + " ...");
        long started = System.nanoTime();
        // Interrupted before all are ready: stop what was launched instead of leaving half a stack behind.
        Thread abort = new Thread(() -> {
            System.out.println("Interrupted: stopping the servers that were starting ...");
            down.run();
        }, "sluice-up-abort");
        Runtime.getRuntime().addShutdownHook(abort);
        start.run();
        Runtime.getRuntime().removeShutdownHook(abort);
        System.out.printf("Ready in %.1f s:%n", (System.nanoTime() - started) / 1e9);
    }

    /** The two stacks share ports (9092, 9042): one at a time per data dir, with a sentence rather than a port clash. */
    private void refuseIfRunning(String which, Supplier<List<ServerStatus>> statuses, String requested) {
        if (statuses.get().stream().anyMatch(ServerStatus::running)) {
            throw new StackException(which + " is running under " + options.dataDir() + "; stop it with `sluice down` "
                    + "before `sluice up " + requested + "`.");
        }
    }
}
