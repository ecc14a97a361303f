package io.sluice.bench;

import io.sluice.stack.SluiceHome;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code sluice bench}: measures the embedded stack and writes BENCHMARKS.md, bench-results/bench.json and
 * bench-results/flood.png. {@link #run(BenchOptions)} is the in-process entry point for the CLI.
 *
 * <p>Exit codes: 0 every stage measured, 1 a stage could not be measured (the report says which), 2 bad options.
 */
public final class BenchMain {
    public static final int OK = 0;
    public static final int STAGE_FAILED = 1;
    public static final int BAD_OPTIONS = 2;

    public static final String REPORT_FILE = "BENCHMARKS.md";
    public static final String JSON_FILE = "bench.json";
    public static final String CHART_FILE = "flood.png";
    public static final String PAUSE_CHART_FILE = "pause.png";
    public static final String NEIGHBOUR_CHART_FILE = "neighbour.png";

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(main(args, System.out, System.err));
    }

    /** Parses the command line (the checkout is found as {@link SluiceHome#detect()} does) and runs. */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(SluiceHome.detect().root(), args);
        } catch (IllegalArgumentException e) {
            err.println("sluice bench: " + e.getMessage());
            return BAD_OPTIONS;
        }
        return run(options, out, err);
    }

    public static int run(BenchOptions options) {
        return run(options, System.out, System.err);
    }

    public static int run(BenchOptions options, PrintStream out, PrintStream err) {
        // The chart is drawn off-screen; without this a JVM on a machine with no display may try to open one.
        System.setProperty("java.awt.headless", "true");
        Console console = new Console(out);
        try {
            BenchResults results = new Bench(options, console).run();
            Path report = options.outDir().resolve(REPORT_FILE);
            Path json = options.resultsDir().resolve(JSON_FILE);
            Path chart = options.resultsDir().resolve(CHART_FILE);
            JsonReport.write(results, json);
            if (results.flood() != null) {
                FloodChart.write(results.flood(), chart);
            }
            if (results.pause() != null) {
                PauseChart.write(results.pause(), options.resultsDir().resolve(PAUSE_CHART_FILE));
            }
            if (results.neighbour() != null) {
                NeighbourChart.write(results.neighbour(), options.resultsDir().resolve(NEIGHBOUR_CHART_FILE));
            }
            MarkdownReport.write(results, report, chart, json);
            out.println();
            out.print(MarkdownReport.table(results));
            out.println("Written: " + report.toAbsolutePath() + ", " + json.toAbsolutePath()
                    + (results.flood() != null ? ", " + chart.toAbsolutePath() : ""));
            if (!results.failures().isEmpty()) {
                err.println("sluice bench: " + results.failures().size() + " stage(s) could not be measured: "
                        + String.join(", ", results.failures().keySet()) + " (reasons in " + report + ")");
                return STAGE_FAILED;
            }
            return OK;
        } catch (BenchException | io.sluice.config.ConfigException e) {
            err.println("sluice bench: " + e.getMessage());
            return STAGE_FAILED;
        } catch (Exception e) {
            err.println("sluice bench failed: " + e);
            e.printStackTrace(err);
            return STAGE_FAILED;
        }
    }
}
