package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bench.PauseStage.Result;
import io.sluice.bench.PauseStage.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseStageTest {
    /** 1,000 writes/s for 20 s, nothing during the pause from 20 to 30 s, 500/s for 2 s, then 900/s. */
    private static List<Sample> run() {
        List<Sample> samples = new ArrayList<>();
        for (int t = 0; t <= 45; t++) {
            double rate = t <= 20 ? 1_000 : t <= 30 ? 0 : t <= 32 ? 500 : 900;
            samples.add(new Sample(t, rate, t <= 20 ? 64 : t <= 30 ? 4 : 32));
        }
        return samples;
    }

    @Test
    void recoveryIsTheFirstSecondAfterTheResumeAtEightyPercentOfThePrePauseRate() {
        double before = PauseStage.meanRate(run(), 10, 20);
        assertThat(before).isEqualTo(1_000);
        assertThat(PauseStage.recoverySeconds(run(), 30, 0.8 * before)).as("900/s from second 33").isEqualTo(3);
        assertThat(PauseStage.recoverySeconds(run(), 30, 950)).as("never back to 950/s").isNaN();
    }

    @Test
    void theChartIsAPng(@TempDir Path dir) throws Exception {
        Result result = new Result(30_000, 30_000, 0, 0, 1, 0, 20, 30, 1_000, 3, run());
        PauseChart.write(result, dir.resolve("pause.png"));
        byte[] png = Files.readAllBytes(dir.resolve("pause.png"));
        assertThat(png).as("PNG signature").startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(result.failedQueries()).isZero();
    }

    @Test
    void theNeighbourChartIsAPng(@TempDir Path dir) throws Exception {
        List<NeighbourStage.Second> seconds = new ArrayList<>();
        for (int t = 1; t <= 20; t++) {
            seconds.add(new NeighbourStage.Second(t, 2 + t % 3, 10_000, 8L * t));
        }
        NeighbourStage.Run run = new NeighbourStage.Run("run", 3, 10_000, 20, seconds);
        NeighbourChart.write(new NeighbourStage.Result(200, 20_000, 60_000, run, run, run, run, run), dir.resolve("neighbour.png"));
        assertThat(Files.readAllBytes(dir.resolve("neighbour.png"))).startsWith((byte) 0x89, (byte) 'P');
    }
}
