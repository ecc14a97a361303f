package io.sluice.stream.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final AtomicLong nanos = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void onATerminalTheBarIsRedrawnInPlaceWithAnEtaFromTheRateSoFar() {
        ProgressBar bar = new ProgressBar(out, true, "draining", nanos::get);
        bar.report(0, 1000, "");
        nanos.set(10_000_000_000L); // 250 records in 10 s: 750 left take 30 s
        bar.report(250, 1000, "written 250");
        bar.finish();

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).as("each report redraws the line").startsWith("\r\033[2K").contains("\r\033[2Kdraining [");
        assertThat(text).as("the bar at a quarter with its ETA").contains(" 25% 250 / 1,000  ETA 0:30  written 250");
        assertThat(text).as("finish ends the line").endsWith(System.lineSeparator());
    }

    @Test
    void withoutATerminalEachReportIsAPlainLine() {
        ProgressBar bar = new ProgressBar(out, false, "draining", nanos::get);
        bar.report(0, 400, null);
        nanos.set(2_000_000_000L);
        bar.report(400, 400, null);

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertThat(lines).as("one plain line per report, no carriage returns").hasSize(2).noneMatch(l -> l.contains("\r"));
        assertThat(lines[0]).as("the first report cannot know the rate yet").contains("0% 0 / 400  ETA --:--");
        assertThat(lines[1]).as("done").contains("100% 400 / 400  ETA 0:00");
    }
}
