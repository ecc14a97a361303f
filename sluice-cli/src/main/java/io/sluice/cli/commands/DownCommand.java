package io.sluice.cli.commands;

import io.sluice.stack.LaunchMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the local Kafka and Cassandra started by `sluice up` (SIGTERM, then SIGKILL after a timeout). Data is kept.")
public final class DownCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        options.stack(LaunchMode.DETACHED).down().forEach(outcome -> System.out.println(outcome));
        return 0;
    }
}
