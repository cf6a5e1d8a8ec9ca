package dev.switchboard.loadgen.report;

import dev.switchboard.loadgen.metrics.LatencySummary;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A PNG of a scenario's latencies: p50, p99 and max per operation, as horizontal bars on one scale. */
final class Chart {

    private static final int WIDTH = 960;
    private static final int ROW = 64;
    private static final int TOP = 56;
    /** Bars start here; each row's label is written above its bars, at full width. */
    private static final int LEFT = 16;
    private static final int RIGHT_MARGIN = 130;
    private static final Color P50 = new Color(0x4C78A8);
    private static final Color P99 = new Color(0xF58518);
    private static final Color MAX = new Color(0xBAB0AC);

    private Chart() {
    }

    static void write(ScenarioResult result, Path file) {
        Map<String, LatencySummary> latencies = result.latencies();
        int height = TOP + ROW * latencies.size() + 30;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(result.id() + ": " + result.title(), 12, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            legend(g);
            double scale = (WIDTH - LEFT - RIGHT_MARGIN)
                    / Math.max(1.0, latencies.values().stream().mapToDouble(LatencySummary::max).max().orElse(1));
            int y = TOP;
            for (Map.Entry<String, LatencySummary> row : latencies.entrySet()) {
                LatencySummary summary = row.getValue();
                g.setColor(Color.BLACK);
                g.drawString(row.getKey() + " (n=" + summary.count() + ")", LEFT, y + 12);
                bar(g, y + 18, summary.max(), scale, MAX, "max");
                bar(g, y + 32, summary.p99(), scale, P99, "p99");
                bar(g, y + 46, summary.p50(), scale, P50, "p50");
                y += ROW;
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawLine(LEFT, TOP + 16, LEFT, y);
            g.drawString("milliseconds", LEFT, y + 18);
        } finally {
            g.dispose();
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void legend(Graphics2D g) {
        int x = WIDTH - 3 * 70;
        for (Object[] item : new Object[][]{{P50, "p50"}, {P99, "p99"}, {MAX, "max"}}) {
            g.setColor((Color) item[0]);
            g.fillRect(x, 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString((String) item[1], x + 16, 21);
            x += 70;
        }
    }

    private static void bar(Graphics2D g, int y, double millis, double scale, Color color, String name) {
        int length = (int) Math.max(1, Math.round(millis * scale));
        g.setColor(color);
        g.fillRect(LEFT, y, length, 12);
        g.setColor(Color.DARK_GRAY);
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(name + " " + TargetCheck.format(millis), LEFT + length + 6, y + metrics.getAscent() - 1);
    }
}
