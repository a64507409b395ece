package relay.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text columns for a terminal: each column as wide as its widest cell, two spaces
 * between columns, numbers right-aligned, no trailing blanks. A table whose headers are all
 * empty has no header line (a key/value listing).
 */
final class Table {

    /** How a column's cells sit in its width. */
    enum Align {
        LEFT, RIGHT
    }

    private static final String GAP = "  ";

    private final String[] headers;
    private final Align[] aligns;
    private final List<String[]> rows = new ArrayList<>();

    private Table(String[] headers, Align[] aligns) {
        this.headers = headers;
        this.aligns = aligns;
    }

    /**
     * @param columns header names; a name starting with {@code >} is right-aligned (the
     *        {@code >} is not shown)
     * @return an empty table
     */
    static Table of(String... columns) {
        String[] headers = new String[columns.length];
        Align[] aligns = new Align[columns.length];
        for (int i = 0; i < columns.length; i++) {
            boolean right = columns[i].startsWith(">");
            headers[i] = right ? columns[i].substring(1) : columns[i];
            aligns[i] = right ? Align.RIGHT : Align.LEFT;
        }
        return new Table(headers, aligns);
    }

    /** A two-column key/value listing without header line. */
    static Table keyValue() {
        return of("", "");
    }

    /**
     * @param cells one value per column, printed with {@code String.valueOf}
     * @return this table
     * @throws IllegalArgumentException if the number of cells is not the number of columns
     */
    Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(
                    "a row of this table has " + headers.length + " cells, not " + cells.length);
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
        return this;
    }

    /** @return how many rows were added (the header not counted) */
    int size() {
        return rows.size();
    }

    /** @return the lines, each ending in a line break */
    @Override
    public String toString() {
        int[] widths = new int[headers.length];
        boolean header = false;
        for (int i = 0; i < headers.length; i++) {
            widths[i] = width(headers[i]);
            header |= !headers[i].isEmpty();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], width(row[i]));
            }
        }
        StringBuilder out = new StringBuilder();
        if (header) {
            line(out, headers, widths);
        }
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        int start = out.length();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(GAP);
            }
            int pad = widths[i] - width(cells[i]);
            if (aligns[i] == Align.RIGHT) {
                out.append(" ".repeat(pad)).append(cells[i]);
            } else {
                out.append(cells[i]).append(" ".repeat(pad));
            }
        }
        int end = out.length();
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }

    /** Width in code points, so a localpart outside the BMP does not shift the columns. */
    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
