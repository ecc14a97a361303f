package io.sluice.bench;

import io.sluice.bench.NeighbourStage.Result;
import io.sluice.bench.NeighbourStage.Run;
import io.sluice.bench.NeighbourStage.Second;
import io.sluice.bench.SeriesChart.Panel;
import io.sluice.bench.SeriesChart.Series;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The neighbour runs as a PNG, each run from its own start: the neighbour's p99 per second (alone, beside the static
 * cap, beside the adaptive writer) against 2x its idle p99; Sluice's write rate; the adaptive limit.
 */
final class NeighbourChart {
    private static final Color ALONE = new Color(0x7f7f7f);
    private static final Color STATIC = new Color(0xd62728);
    private static final Color ADAPTIVE = new Color(0x1f77b4);

    private NeighbourChart() {
    }

    static void write(Result r, Path file) {
        String title = String.format(java.util.Locale.ROOT, "Neighbour at %.0f ops/s: p99 alone %.1f ms, beside the static"
                        + " cap %.1f ms (%.1fx), beside adaptive %.1f ms (%.1fx)", r.opsPerSecond(),
                r.alone().neighbourP99Ms(), r.staticCap().neighbourP99Ms(), r.staticP99Ratio(),
                r.adaptive().neighbourP99Ms(), r.adaptiveP99Ratio());
        SeriesChart.write(title, "seconds since each run started; red dashes = 2x the neighbour's idle p99",
                List.of(new Panel("neighbour p99 (ms)", 240, List.of(series(r.alone(), ALONE, Second::neighbourP99Ms),
                                series(r.staticCap(), STATIC, Second::neighbourP99Ms),
                                series(r.adaptive(), ADAPTIVE, Second::neighbourP99Ms)), Double.NaN, Double.NaN,
                                2 * r.alone().neighbourP99Ms()),
                        new Panel("Sluice rows / s", 180, List.of(series(r.staticCap(), STATIC, Second::sluiceRowsPerSecond),
                                series(r.adaptive(), ADAPTIVE, Second::sluiceRowsPerSecond)), Double.NaN, Double.NaN,
                                Double.NaN),
                        new Panel("adaptive limit (requests in flight)", 120,
                                List.of(series(r.adaptive(), ADAPTIVE, Second::limit)), Double.NaN, Double.NaN, Double.NaN)),
                file);
    }

    private static Series series(Run run, Color color, ToDoubleFunction<Second> value) {
        return new Series(run.name(), color, run.seconds().stream().mapToDouble(Second::t).toArray(),
                run.seconds().stream().mapToDouble(value).toArray());
    }
}
