package io.sluice.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Time series as a PNG (Java2D, no charting library, like {@link FloodChart}): panels stacked top to bottom, each with
 * its lines, an optional shaded span (a pause) and an optional dashed level (a threshold). Used by the pause and
 * neighbour stages.
 */
final class SeriesChart {
    private static final int WIDTH = 1000;
    private static final int LEFT = 80;
    private static final int PLOT_WIDTH = WIDTH - LEFT - 30;
    private static final int GAP = 50;

    /** One line: its points (seconds, value). */
    record Series(String label, Color color, double[] t, double[] v) {
    }

    /**
     * @param shadeFrom the shaded span's start in seconds, or NaN for none
     * @param level     a dashed horizontal level, or NaN for none
     */
    record Panel(String yLabel, int height, List<Series> series, double shadeFrom, double shadeTo, double level) {
    }

    private SeriesChart() {
    }

    static void write(String title, String footer, List<Panel> panels, Path file) {
        int height = 60 + panels.stream().mapToInt(p -> p.height() + GAP).sum() + 10;
        double maxT = Math.max(1, panels.stream().flatMap(p -> p.series().stream())
                .flatMapToDouble(s -> java.util.Arrays.stream(s.t())).max().orElse(1));
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, LEFT, 24);
            int y = 60;
            for (Panel panel : panels) {
                draw(g, panel, y, maxT);
                y += panel.height() + GAP;
            }
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(footer, LEFT, height - 12);
        } finally {
            g.dispose();
        }
        FloodChart.writePng(image, file);
    }

    private static void draw(Graphics2D g, Panel panel, int y, double maxT) {
        int h = panel.height();
        double maxY = FloodChart.niceMax(Math.max(1, Math.max(Double.isNaN(panel.level()) ? 0 : panel.level(),
                panel.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.v())).max().orElse(1))));
        if (!Double.isNaN(panel.shadeFrom())) {
            g.setColor(new Color(0xdddddd));
            int from = x(panel.shadeFrom(), maxT);
            g.fillRect(from, y, Math.max(1, x(panel.shadeTo(), maxT) - from), h);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            String text = String.format(Locale.ROOT, "%,.0f", v);
            g.drawString(text, LEFT - 8 - g.getFontMetrics().stringWidth(text), py(v, maxY, y, h) + 4);
        }
        double step = FloodChart.niceStep(maxT / 10);
        for (double t = 0; t <= maxT + 1e-9; t += step) {
            g.drawString(String.format(Locale.ROOT, "%.0f", t), x(t, maxT) - 6, y + h + 15);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, y, PLOT_WIDTH, h);
        g.drawString(panel.yLabel(), LEFT + 4, y - 4);
        int legendX = LEFT + PLOT_WIDTH - 220;
        int legendY = y + 16;
        for (Series s : panel.series()) {
            if (s.t().length > 0) {
                Path2D path = new Path2D.Double();
                path.moveTo(x(s.t()[0], maxT), py(s.v()[0], maxY, y, h));
                for (int i = 1; i < s.t().length; i++) {
                    path.lineTo(x(s.t()[i], maxT), py(s.v()[i], maxY, y, h));
                }
                g.setColor(s.color());
                g.setStroke(new BasicStroke(2.5f));
                g.draw(path);
                g.setStroke(new BasicStroke(1f));
            }
            g.setColor(s.color());
            g.fillRect(legendX, legendY - 8, 22, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), legendX + 28, legendY);
            legendY += 16;
        }
        if (!Double.isNaN(panel.level())) {
            g.setColor(new Color(0xd62728));
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            g.drawLine(LEFT, py(panel.level(), maxY, y, h), LEFT + PLOT_WIDTH, py(panel.level(), maxY, y, h));
            g.setStroke(new BasicStroke(1f));
        }
    }

    private static int x(double t, double maxT) {
        return LEFT + (int) Math.round(Math.max(0, t) / maxT * PLOT_WIDTH);
    }

    private static int py(double v, double maxY, int y, int h) {
        return y + h - (int) Math.round(Math.max(0, Math.min(v, maxY)) / maxY * h);
    }
}
