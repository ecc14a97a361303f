package io.sluice.cli.commands;

import io.sluice.cli.ExitCodes;
import io.sluice.stack.LaunchMode;
import io.sluice.stack.ServerStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show whether the local Kafka and Cassandra are running and answering real queries.",
                "Exit code 0 when both are ready, 1 otherwise."})
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        List<ServerStatus> statuses = options.stack(LaunchMode.DETACHED).status();
        System.out.println("Data dir: " + options.dataDir());
        statuses.forEach(s -> System.out.println("  " + s));
        return statuses.stream().allMatch(ServerStatus::ready) ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
