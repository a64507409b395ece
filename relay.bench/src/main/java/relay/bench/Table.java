package relay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain text table with right-aligned columns, for people reading the bench's output. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("row of " + cells.length + " cells in a table of " + columns + " columns");
        }
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = format(cells[i]);
        }
        rows.add(r);
        return this;
    }

    private static final String[] MEASUREMENT_HEADERS = {"target pps", "offered", "received", "loss %", "p50 us",
        "p99 us", "p99.9 us", "max us", "relay us/pkt", "relay util", "RSS MB", "gen util", "q drops relay/gen",
        "noisy"};

    /** The standard row of a measurement: rates, loss, latency, relay CPU and memory. */
    static Table measurements() {
        return new Table(MEASUREMENT_HEADERS);
    }

    /** The standard columns after a first column that names each row. */
    static Table measurements(String label) {
        String[] headers = new String[MEASUREMENT_HEADERS.length + 1];
        headers[0] = label;
        System.arraycopy(MEASUREMENT_HEADERS, 0, headers, 1, MEASUREMENT_HEADERS.length);
        return new Table(headers);
    }

    Table row(Measurement m) {
        return row(cells(m));
    }

    Table row(String label, Measurement m) {
        Object[] cells = cells(m);
        Object[] all = new Object[cells.length + 1];
        all[0] = label;
        System.arraycopy(cells, 0, all, 1, cells.length);
        return row(all);
    }

    private static Object[] cells(Measurement m) {
        Window w = m.window();
        return new Object[] {Math.round(w.targetRate), Math.round(w.offeredPps()), Math.round(w.receivedPps()),
            String.format(Locale.ROOT, "%.3f", w.lossPct()), w.latencyUs(0.5), w.latencyUs(0.99),
            w.latencyUs(0.999), w.latency.max() / 1000.0, m.cpuMicrosPerPacket(), m.relayCpuUtil(),
            m.relayRssKb() < 0 ? "-" : m.relayRssKb() / 1024.0, m.generatorCpuUtil(),
            count(m.relayQueueDrops()) + "/" + count(m.generatorQueueDrops()),
            Double.isNaN(m.cpuStallMs()) ? "-" : m.noisy() ? "yes" : "no"};
    }

    private static String count(long n) {
        return n < 0 ? "-" : Long.toString(n);
    }

    static String format(Object cell) {
        if (cell == null) {
            return "-";
        }
        if (cell instanceof Double d) {
            if (!Double.isFinite(d)) {
                return "-";
            }
            double a = Math.abs(d);
            return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", d);
        }
        return String.valueOf(cell);
    }

    @Override
    public String toString() {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                sb.append("  ").append(" ".repeat(width[i] - r[i].length())).append(r[i]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
