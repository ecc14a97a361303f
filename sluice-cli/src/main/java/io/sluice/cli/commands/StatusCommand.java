package io.sluice.cli.commands;

import io.sluice.cli.ExitCodes;
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
                "Exit code 0 when both servers are ready, 1 otherwise."})
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        List<ServerStatus> statuses = options.stack(LaunchMode.DETACHED).status();
        System.out.println("Data dir: " + options.dataDir());
        statuses.forEach(s -> System.out.println("  " + s));
        List<String> pipelines = io.sluice.cli.live.StatusReport.lines(options.dataDir());
        System.out.println(pipelines.isEmpty() ? "No pipeline running with this data dir." : "Running pipelines:");
        pipelines.forEach(System.out::println);
        return statuses.stream().allMatch(ServerStatus::ready) ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
