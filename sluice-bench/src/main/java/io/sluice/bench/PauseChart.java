package io.sluice.bench;

import io.sluice.bench.PauseStage.Result;
import io.sluice.bench.PauseStage.Sample;
import io.sluice.bench.SeriesChart.Panel;
import io.sluice.bench.SeriesChart.Series;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The pause run as a PNG: Cassandra's write rate above, the adaptive limit below, the SIGSTOP shaded in both. */
final class PauseChart {
    private PauseChart() {
    }

    static void write(Result run, Path file) {
        List<Sample> s = run.samples();
        double[] t = s.stream().mapToDouble(Sample::t).toArray();
        Series writes = new Series("applied by Cassandra", new Color(0x2ca02c), t,
                s.stream().mapToDouble(Sample::writesPerSecond).toArray());
        Series limit = new Series("adaptive limit", new Color(0x9467bd), t, s.stream().mapToDouble(Sample::limit).toArray());
        SeriesChart.write(String.format(Locale.ROOT, "Pause: Cassandra stopped %.0f s mid-drain - %d rows lost, %d failed"
                                + " queries, back to 80%% of %.0f rows/s in %.0f s", run.pauseEndT() - run.pauseStartT(),
                        run.rowsLost(), run.failedQueries(), run.prePauseRowsPerSecond(), run.recoverySeconds()),
                "seconds since the drain started; grey = Cassandra stopped (SIGSTOP); red dashes = 80 % of the pre-pause rate",
                List.of(new Panel("Cassandra writes / s", 300, List.of(writes), run.pauseStartT(), run.pauseEndT(),
                                0.8 * run.prePauseRowsPerSecond()),
                        new Panel("requests in flight", 140, List.of(limit), run.pauseStartT(), run.pauseEndT(), Double.NaN)),
                file);
    }
}
