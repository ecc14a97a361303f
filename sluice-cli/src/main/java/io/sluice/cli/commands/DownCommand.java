package io.sluice.cli.commands;

import io.sluice.stack.ClusterStack;
import io.sluice.stack.LaunchMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the local Kafka and Cassandra started by `sluice up` (every node of `--nodes 3` too; SIGTERM, then "
                + "SIGKILL after a timeout). Data is kept.")
public final class DownCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        if (ClusterStack.existsIn(options.dataDir())) {
            options.cluster(LaunchMode.DETACHED).down().forEach(System.out::println);
        }
        options.stack(LaunchMode.DETACHED).down().forEach(System.out::println);
        return 0;
    }
}
