package relay.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the dashboard's panels ({@link DashboardPanels}) as a PNG grid of line charts, two
 * panels a row, with Grafana's dark colours: titled as in the dashboard, axes and last values
 * labelled, and the bench's phases (allocation, warm-up, window) marked on every panel.
 */
final class DashboardPng {

    /** A moment of the run to mark on every panel: seconds since the first scrape and a label. */
    record Marker(double seconds, String label) {
    }

    private static final int COLUMNS = 2;
    private static final int PANEL_W = 640;
    private static final int PANEL_H = 300;
    private static final int GAP = 8;
    private static final int HEADER_H = 84;
    private static final Color BACKGROUND = new Color(0x11, 0x12, 0x17);
    private static final Color PANEL = new Color(0x18, 0x1b, 0x1f);
    private static final Color BORDER = new Color(0x2c, 0x30, 0x35);
    private static final Color GRID = new Color(0x2c, 0x30, 0x35);
    private static final Color TEXT = new Color(0xcc, 0xcc, 0xdc);
    private static final Color DIM = new Color(0x8e, 0x8e, 0x9e);
    private static final Color MARK = new Color(0x8e, 0x8e, 0x9e, 160);
    private static final Color[] PALETTE = {
        new Color(0x73, 0xbf, 0x69), new Color(0xf2, 0xcc, 0x0c), new Color(0x57, 0x94, 0xf2),
        new Color(0xff, 0x78, 0x0a), new Color(0xf2, 0x49, 0x5c), new Color(0xb8, 0x77, 0xd9),
        new Color(0x8a, 0xb8, 0xff), new Color(0xfa, 0xde, 0x2a)};

    private DashboardPng() {
    }

    static void write(Path file, String title, String subtitle, List<DashboardPanels.Panel> panels,
            List<Marker> markers) throws IOException {
        int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        int width = COLUMNS * PANEL_W + (COLUMNS + 1) * GAP;
        int height = HEADER_H + rows * (PANEL_H + GAP) + GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, GAP + 4, 26);
            g.setColor(DIM);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int line = 0;
            for (String s : subtitle.split("\n")) {
                g.drawString(s, GAP + 4, 50 + 18 * line++);
            }
            for (int i = 0; i < panels.size(); i++) {
                int x = GAP + (i % COLUMNS) * (PANEL_W + GAP);
                int y = HEADER_H + (i / COLUMNS) * (PANEL_H + GAP);
                panel(g, panels.get(i), markers, x, y);
            }
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    private static void panel(Graphics2D g, DashboardPanels.Panel p, List<Marker> markers, int x, int y) {
        g.setColor(PANEL);
        g.fillRect(x, y, PANEL_W, PANEL_H);
        g.setColor(BORDER);
        g.drawRect(x, y, PANEL_W - 1, PANEL_H - 1);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(p.title(), x + 10, y + 20);

        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        int columns = Math.max(1, Math.min(3, p.series().size()));
        int legendRows = (p.series().size() + columns - 1) / columns;
        int left = x + 74;
        int right = x + PANEL_W - 14;
        int top = y + 34;
        int bottom = y + PANEL_H - 34 - legendRows * 16;
        double[] t = p.seconds();
        double tMin = t.length == 0 ? 0 : t[0];
        double tMax = t.length < 2 ? tMin + 1 : t[t.length - 1];

        double max = 0;
        double min = 0;
        for (DashboardPanels.Series s : p.series()) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        if (p.unit() == DashboardPanels.Unit.RATIO) {
            max = Math.max(max, 0.01);
        }
        double step = niceStep((max - min) / 4);
        double yMax = step * Math.ceil(max / step);
        double yMin = step * Math.floor(min / step);
        if (yMax <= yMin) {
            yMax = yMin + step;
        }

        // horizontal grid and values
        for (double v = yMin; v <= yMax + step / 2; v += step) {
            int py = py(v, yMin, yMax, top, bottom);
            g.setColor(GRID);
            g.drawLine(left, py, right, py);
            g.setColor(DIM);
            String label = format(v, p.unit(), step);
            g.drawString(label, left - 6 - fm.stringWidth(label), py + 4);
        }
        // time axis: seconds since the first scrape
        double tStep = niceStep((tMax - tMin) / 8);
        for (double s = Math.ceil(tMin / tStep) * tStep; s <= tMax + 1e-9; s += tStep) {
            int px = px(s, tMin, tMax, left, right);
            g.setColor(GRID);
            g.drawLine(px, top, px, bottom);
            g.setColor(DIM);
            String label = trim(s) + " s";
            g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 14);
        }
        // the bench's phases
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        int labelEnd = Integer.MIN_VALUE;
        int labelLine = 0;
        for (Marker m : markers) {
            int px = px(m.seconds(), tMin, tMax, left, right);
            g.setColor(MARK);
            g.drawLine(px, top, px, bottom);
            g.setColor(DIM);
            labelLine = px + 3 < labelEnd ? labelLine + 1 : 0;   // close phases: labels one under the other
            g.drawString(m.label(), px + 3, top + 11 + 13 * labelLine);
            labelEnd = Math.max(labelEnd, px + 3 + fm.stringWidth(m.label()) + 4);
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(BORDER);
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);

        // lines, broken where a value is missing
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int k = 0; k < p.series().size(); k++) {
            DashboardPanels.Series s = p.series().get(k);
            g.setColor(PALETTE[k % PALETTE.length]);
            double[] v = s.values();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    continue;
                }
                int x1 = px(t[i], tMin, tMax, left, right);
                int y1 = py(v[i], yMin, yMax, top, bottom);
                boolean prev = i > 0 && Double.isFinite(v[i - 1]);
                boolean next = i + 1 < v.length && Double.isFinite(v[i + 1]);
                if (prev) {
                    g.drawLine(px(t[i - 1], tMin, tMax, left, right), py(v[i - 1], yMin, yMax, top, bottom), x1, y1);
                } else if (!next) {
                    g.fillOval(x1 - 3, y1 - 3, 6, 6);       // a lone point would not show as a line
                }
            }
        }
        g.setStroke(new BasicStroke(1f));

        // legend: name, last value, highest value
        int ly = bottom + 32;
        int colW = (PANEL_W - 20) / columns;
        if (p.series().isEmpty()) {
            g.setColor(DIM);
            g.drawString("no series in the scrapes", left, ly);
        }
        for (int k = 0; k < p.series().size(); k++) {
            DashboardPanels.Series s = p.series().get(k);
            int lx = x + 10 + (k % columns) * colW;
            int row = ly + (k / columns) * 16;
            g.setColor(PALETTE[k % PALETTE.length]);
            g.fillRect(lx, row - 8, 12, 4);
            g.setColor(TEXT);
            String text = s.name() + "  last " + format(last(s.values()), p.unit(), 0)
                    + (columns < 3 || p.series().size() <= 3 ? "  max " + format(highest(s.values()), p.unit(), 0) : "");
            while (fm.stringWidth(text) > colW - 20 && text.length() > 4) {
                text = text.substring(0, text.length() - 2);
            }
            g.drawString(text, lx + 16, row - 2);
        }
    }

    private static int px(double s, double tMin, double tMax, int left, int right) {
        return left + (int) Math.round((s - tMin) / (tMax - tMin) * (right - left));
    }

    private static int py(double v, double yMin, double yMax, int top, int bottom) {
        return bottom - (int) Math.round((v - yMin) / (yMax - yMin) * (bottom - top));
    }

    private static double last(double[] v) {
        for (int i = v.length - 1; i >= 0; i--) {
            if (Double.isFinite(v[i])) {
                return v[i];
            }
        }
        return Double.NaN;
    }

    private static double highest(double[] v) {
        double m = Double.NaN;
        for (double x : v) {
            if (Double.isFinite(x) && !(x <= m)) {
                m = x;
            }
        }
        return m;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    /** A value as the panel's unit writes it: 12.5k/s, 34.4 Mb/s, 42 %, 1.2 ms. */
    static String format(double v, DashboardPanels.Unit unit, double step) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        return switch (unit) {
            case COUNT -> si(v, "");
            case PER_SECOND -> si(v, "/s");
            case BITS_PER_SECOND -> si(v, "b/s");
            case RATIO -> trim(v * 100, step > 0 && step < 0.01 ? 1 : 0) + " %";
            case SECONDS -> v == 0 ? "0" : v < 1e-3 ? trim(v * 1e6, 0) + " µs"
                    : v < 1 ? trim(v * 1e3, 1) + " ms" : trim(v, 2) + " s";
        };
    }

    private static String si(double v, String unit) {
        double a = Math.abs(v);
        String sep = unit.isEmpty() || unit.startsWith("/") ? "" : " ";
        if (a >= 1e9) {
            return trim(v / 1e9, 2) + sep + "G" + unit;
        }
        if (a >= 1e6) {
            return trim(v / 1e6, 2) + sep + "M" + unit;
        }
        if (a >= 1e3) {
            return trim(v / 1e3, 1) + sep + "k" + unit;
        }
        return trim(v, a < 10 && a != Math.rint(a) ? 2 : 0) + (unit.isEmpty() ? "" : " " + unit).replace(" /", "/");
    }

    private static String trim(double v) {
        return trim(v, 1);
    }

    private static String trim(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
