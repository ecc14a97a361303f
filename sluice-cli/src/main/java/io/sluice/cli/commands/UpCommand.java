package io.sluice.cli.commands;

import io.sluice.stack.LaunchMode;
import io.sluice.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the local Kafka and Cassandra in the background and wait until both answer a real query.",
                "Data is kept across restarts. Stop them with `sluice down`."})
public final class UpCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        LocalStack stack = options.stack(LaunchMode.DETACHED);
        boolean allReady = stack.status().stream().allMatch(s -> s.running() && s.ready());
        if (allReady) {
            System.out.println("The stack under " + options.dataDir() + " is already up:");
        } else {
            System.out.println("Starting Kafka and Cassandra under " + options.dataDir() + " ...");
            long started = System.nanoTime();
            // Interrupted before both are ready: stop what was launched instead of leaving half a stack behind.
            Thread abort = new Thread(() -> {
                System.out.println("Interrupted: stopping the servers that were starting ...");
                stack.down();
            }, "sluice-up-abort");
            Runtime.getRuntime().addShutdownHook(abort);
            stack.start();
            Runtime.getRuntime().removeShutdownHook(abort);
            System.out.printf("Ready in %.1f s:%n", (System.nanoTime() - started) / 1e9);
        }
        stack.status().forEach(s -> System.out.println("  " + s));
        System.out.println("Logs: " + stack.kafka().logFile() + ", " + stack.cassandra().logFile());
        if (stack.secured()) {
            SecureStackNotice.print(stack);
        }
        return 0;
    }
}
