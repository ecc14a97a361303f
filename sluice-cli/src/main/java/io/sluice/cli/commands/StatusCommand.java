package io.sluice.cli.commands;

import io.sluice.cli.ExitCodes;
import io.sluice.stack.ClusterStack;
import io.sluice.stack.LaunchMode;
import io.sluice.stack.ServerStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show whether the local Kafka and Cassandra are running and answering real queries, and the current"
                + " figures of every pipeline `sluice run` or `sluice demo` runs with this data dir (rate and limit per stage,"
                + " lag, queue, write latency, quarantine, the stage holding the flow back).",
                "Every node of a `sluice up --nodes 3` stack is listed. Exit code 0 when every server (every node) is ready, 1 otherwise."})
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        System.out.println("Data dir: " + options.dataDir());
        List<ServerStatus> single = options.stack(LaunchMode.DETACHED).status();
        boolean ready = allReady(single);
        if (ClusterStack.existsIn(options.dataDir())) {
            List<ServerStatus> cluster = options.cluster(LaunchMode.DETACHED).status();
            // A data dir used for both shows the one that runs; a stopped cluster's nodes are still listed.
            if (single.stream().noneMatch(ServerStatus::running)) {
                single = List.of();
            }
            ready = ready || allReady(cluster);
            cluster.forEach(s -> System.out.println("  " + s));
        }
        single.forEach(s -> System.out.println("  " + s));
        List<String> pipelines = io.sluice.cli.live.StatusReport.lines(options.dataDir());
        System.out.println(pipelines.isEmpty() ? "No pipeline running with this data dir." : "Running pipelines:");
        pipelines.forEach(System.out::println);
        return ready ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static boolean allReady(List<ServerStatus> statuses) {
        return !statuses.isEmpty() && statuses.stream().allMatch(ServerStatus::ready);
    }
}
