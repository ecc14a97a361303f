package io.sluice.bench;

import io.sluice.bench.BenchResults.Flood;
import io.sluice.bench.BenchResults.FloodSample;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
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
 * The flood run as a PNG, drawn with Java2D (no charting library, no network): the upper panel shows each stage's
 * rate per second (produced into Kafka, written by the Spark job, applied by Cassandra) against the write cap, the
 * lower panel Kafka lag.
 */
final class FloodChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 680;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final Color PRODUCED = new Color(0x1f77b4);
    private static final Color CONSUMED = new Color(0xff7f0e);
    private static final Color WRITTEN = new Color(0x2ca02c);
    private static final Color CAP = new Color(0xd62728);
    private static final Color LAG = new Color(0x9467bd);

    private FloodChart() {
    }

    static void write(Flood flood, Path file) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(String.format(Locale.ROOT, "Flood: %.0f records/s for %.0f s against a write cap of %.0f rows/s"
                    + " - drained in %.0f s, %d rows lost", flood.burstRecordsPerSecond(), flood.burstSeconds(),
                    flood.writeCapRowsPerSecond(), flood.drainSeconds(), flood.rowsLost()), LEFT, 24);
            List<FloodSample> samples = flood.samples();
            double maxT = Math.max(1, samples.stream().mapToDouble(FloodSample::t).max().orElse(1));
            Panel rates = new Panel(LEFT, 50, WIDTH - LEFT - RIGHT, 330, maxT,
                    niceMax(Math.max(flood.writeCapRowsPerSecond() * 1.2, samples.stream()
                            .mapToDouble(s -> Math.max(s.producedPerSecond(), Math.max(s.consumedPerSecond(),
                                    s.cassandraWritesPerSecond()))).max().orElse(1))), "records / s");
            rates.axes(g);
            rates.line(g, samples, FloodSample::producedPerSecond, PRODUCED, solid(2f));
            rates.line(g, samples, FloodSample::consumedPerSecond, CONSUMED, solid(2f));
            rates.line(g, samples, FloodSample::cassandraWritesPerSecond, WRITTEN, solid(2.5f));
            rates.horizontal(g, flood.writeCapRowsPerSecond(), CAP, dashed());
            // Top right: the burst (left) and the drain (along the bottom) stay visible.
            legend(g, WIDTH - RIGHT - 210, 70, new String[] {"produced to Kafka", "written by the Spark job",
                    "applied by Cassandra", "write cap"}, new Color[] {PRODUCED, CONSUMED, WRITTEN, CAP});

            Panel lag = new Panel(LEFT, 430, WIDTH - LEFT - RIGHT, 200, maxT,
                    niceMax(Math.max(1, flood.maxKafkaLag())), "Kafka lag (records)");
            lag.axes(g);
            lag.line(g, samples, s -> s.kafkaLag(), LAG, solid(2.5f));
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("seconds since the burst started", WIDTH / 2 - 90, HEIGHT - 12);
        } finally {
            g.dispose();
        }
        writePng(image, file);
    }

    /** One plotting area with linear axes from 0. */
    private record Panel(int x, int y, int w, int h, double maxX, double maxY, String yLabel) {
        int px(double t) {
            return x + (int) Math.round(Math.max(0, t) / maxX * w);
        }

        int py(double v) {
            return y + h - (int) Math.round(Math.min(v, maxY) / maxY * h);
        }

        void axes(Graphics2D g) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i <= 5; i++) {
                double v = maxY * i / 5;
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(x, py(v), x + w, py(v));
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%,.0f", v), x - 8 - g.getFontMetrics()
                        .stringWidth(String.format(Locale.ROOT, "%,.0f", v)), py(v) + 4);
            }
            double step = niceStep(maxX / 10);
            for (double t = 0; t <= maxX + 1e-9; t += step) {
                g.setColor(Color.DARK_GRAY);
                g.drawLine(px(t), y + h, px(t), y + h + 4);
                g.drawString(String.format(Locale.ROOT, "%.0f", t), px(t) - 6, y + h + 17);
            }
            g.setColor(Color.BLACK);
            g.drawRect(x, y, w, h);
            g.drawString(yLabel, x + 4, y - 4);
        }

        void line(Graphics2D g, List<FloodSample> samples, ToDoubleFunction<FloodSample> value, Color color, Stroke stroke) {
            if (samples.isEmpty()) {
                return;
            }
            Path2D path = new Path2D.Double();
            path.moveTo(px(samples.get(0).t()), py(value.applyAsDouble(samples.get(0))));
            for (FloodSample s : samples) {
                path.lineTo(px(s.t()), py(value.applyAsDouble(s)));
            }
            g.setColor(color);
            g.setStroke(stroke);
            g.draw(path);
            g.setStroke(new BasicStroke(1f));
        }

        void horizontal(Graphics2D g, double v, Color color, Stroke stroke) {
            g.setColor(color);
            g.setStroke(stroke);
            g.drawLine(x, py(v), x + w, py(v));
            g.setStroke(new BasicStroke(1f));
        }
    }

    private static void legend(Graphics2D g, int x, int y, String[] labels, Color[] colors) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int boxWidth = 0;
        for (String label : labels) {
            boxWidth = Math.max(boxWidth, g.getFontMetrics().stringWidth(label));
        }
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(x - 5, y - 14, boxWidth + 40, labels.length * 17 + 6);
        for (int i = 0; i < labels.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, y + i * 17 - 8, 22, 4);
            g.setColor(Color.BLACK);
            g.drawString(labels[i], x + 28, y + i * 17);
        }
    }

    private static Stroke solid(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static Stroke dashed() {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);
    }

    /** Writes {@code image} as a PNG, creating the directory; the charts' one way to disk. */
    static void writePng(BufferedImage image, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** The smallest round number (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten) at least {@code value}. */
    static double niceMax(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1e-9))));
        for (double m : new double[] {1, 1.5, 2, 3, 4, 5, 6, 8, 10}) {
            if (m * power >= value) {
                return m * power;
            }
        }
        return 10 * power;
    }
}
