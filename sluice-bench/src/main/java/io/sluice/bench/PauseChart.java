package io.sluice.bench;

import io.sluice.bench.PauseStage.Result;
import io.sluice.bench.PauseStage.Sample;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The pause run as a PNG (Java2D, like {@link FloodChart}): Cassandra's write rate per second above, the adaptive
 * limit below, the SIGSTOP shaded in both, and the 80 % recovery line.
 */
final class PauseChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int PLOT_WIDTH = WIDTH - LEFT - 30;
    private static final Color WRITES = new Color(0x2ca02c);
    private static final Color LIMIT = new Color(0x9467bd);
    private static final Color RECOVERED = new Color(0xd62728);

    private PauseChart() {
    }

    static void write(Result run, Path file) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(String.format(Locale.ROOT, "Pause: Cassandra stopped %.0f s mid-drain - %d rows lost, %d failed"
                            + " queries, back to 80%% of %.0f rows/s in %.0f s", run.pauseEndT() - run.pauseStartT(),
                    run.rowsLost(), run.failedQueries(), run.prePauseRowsPerSecond(), run.recoverySeconds()), LEFT, 24);
            List<Sample> samples = run.samples();
            double maxT = Math.max(1, samples.stream().mapToDouble(Sample::t).max().orElse(1));
            double maxRate = FloodChart.niceMax(Math.max(1, samples.stream().mapToDouble(Sample::writesPerSecond).max().orElse(1)));
            double maxLimit = FloodChart.niceMax(Math.max(1, samples.stream().mapToDouble(Sample::limit).max().orElse(1)));
            plot(g, samples, Sample::writesPerSecond, 60, 300, maxT, maxRate, "Cassandra writes / s", WRITES, run);
            horizontal(g, 60, 300, maxRate, 0.8 * run.prePauseRowsPerSecond(), RECOVERED);
            plot(g, samples, Sample::limit, 410, 140, maxT, maxLimit, "adaptive limit (requests in flight)", LIMIT, run);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("seconds since the drain started; grey = Cassandra stopped (SIGSTOP); red dashes = 80 % of the"
                    + " pre-pause rate", LEFT, HEIGHT - 12);
        } finally {
            g.dispose();
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void plot(Graphics2D g, List<Sample> samples, ToDoubleFunction<Sample> value, int y, int h,
                             double maxT, double maxY, String label, Color color, Result run) {
        g.setColor(new Color(0xdddddd));
        int from = x(run.pauseStartT(), maxT);
        g.fillRect(from, y, Math.max(1, x(run.pauseEndT(), maxT) - from), h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            int py = y + h - (int) Math.round(v / maxY * h);
            g.setColor(Color.DARK_GRAY);
            String text = String.format(Locale.ROOT, "%,.0f", v);
            g.drawString(text, LEFT - 8 - g.getFontMetrics().stringWidth(text), py + 4);
        }
        double step = FloodChart.niceStep(maxT / 10);
        for (double t = 0; t <= maxT + 1e-9; t += step) {
            g.drawString(String.format(Locale.ROOT, "%.0f", t), x(t, maxT) - 6, y + h + 15);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, y, PLOT_WIDTH, h);
        g.drawString(label, LEFT + 4, y - 4);
        if (samples.isEmpty()) {
            return;
        }
        Path2D path = new Path2D.Double();
        path.moveTo(x(samples.get(0).t(), maxT), y + h - value.applyAsDouble(samples.get(0)) / maxY * h);
        samples.forEach(s -> path.lineTo(x(s.t(), maxT), y + h - Math.min(value.applyAsDouble(s), maxY) / maxY * h));
        g.setColor(color);
        g.setStroke(new BasicStroke(2.5f));
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
    }

    private static void horizontal(Graphics2D g, int y, int h, double maxY, double v, Color color) {
        int py = y + h - (int) Math.round(Math.min(v, maxY) / maxY * h);
        g.setColor(color);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        g.drawLine(LEFT, py, LEFT + PLOT_WIDTH, py);
        g.setStroke(new BasicStroke(1f));
    }

    private static int x(double t, double maxT) {
        return LEFT + (int) Math.round(Math.max(0, t) / maxT * PLOT_WIDTH);
    }
}
