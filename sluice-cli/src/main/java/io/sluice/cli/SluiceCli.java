package io.sluice.cli;

import io.sluice.cli.commands.BenchCommand;
import io.sluice.cli.commands.ConfigDocsCommand;
import io.sluice.cli.commands.CqlCommand;
import io.sluice.cli.commands.DemoCommand;
import io.sluice.cli.commands.DownCommand;
import io.sluice.cli.commands.PollOnceCommand;
import io.sluice.cli.commands.RunCommand;
import io.sluice.cli.commands.StatusCommand;
import io.sluice.cli.commands.UpCommand;
import io.sluice.cli.commands.ValidateCommand;
import io.sluice.config.ConfigException;
import io.sluice.stack.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "sluice", mixinStandardHelpOptions = true, version = "Sluice 0.1.0",
        description = "Stream data from web APIs through Kafka and Spark into Cassandra without hammering the database.",
        subcommands = {DemoCommand.class, UpCommand.class, DownCommand.class, StatusCommand.class, RunCommand.class,
                PollOnceCommand.class, BenchCommand.class, CqlCommand.class, ValidateCommand.class, ConfigDocsCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 run failed, 2 bad usage or pipeline file, 3 local stack problem,",
                "130 stopped by Ctrl-C, 143 stopped by SIGTERM (both after an orderly stop)."})
public final class SluiceCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests drive it in-process. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new SluiceCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // `--only stream`, not `--only STREAM`
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("sluice " + commandLine.getCommandName() + ": " + e.getMessage());
            if (e instanceof ConfigException) {
                return ExitCodes.BAD_INPUT;
            }
            if (e instanceof StackException) {
                return ExitCodes.STACK;
            }
            if (Boolean.getBoolean("sluice.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return ExitCodes.FAILED;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
