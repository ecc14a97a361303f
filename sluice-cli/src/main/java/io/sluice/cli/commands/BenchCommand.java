package io.sluice.cli.commands;

import io.sluice.bench.BenchMain;
import io.sluice.bench.BenchOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "bench",
        description = {"Measure, in one run on its own embedded stack: the Cassandra write ceiling, the Kafka produce ceiling,",
                "the naive tutorial baseline, Sluice at full speed, event-to-row latency at half load, a flood at 10x the",
                "write cap, and every JVM's peak RSS. Writes BENCHMARKS.md, bench-results/bench.json and flood.png.",
                "Exit 0 when every stage measured, 1 when a stage failed (reported, the run goes on), 2 for bad options."},
        footer = {"", BenchOptions.USAGE})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Unmatched
    List<String> benchArgs = new ArrayList<>();

    @Override
    public Integer call() {
        return BenchMain.main(benchArgs.toArray(String[]::new), System.out, System.err);
    }
}
