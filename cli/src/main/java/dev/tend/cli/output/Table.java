package dev.tend.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An ASCII table: {@code +-----+} borders, upper-case headers, cells left-aligned with one space of padding. */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        // A loop rather than a stream and a lambda: the first lambda of a short command costs milliseconds.
        List<String> upper = new ArrayList<>(headers.length);
        for (String h : headers) {
            upper.add(h.toUpperCase(Locale.ROOT));
        }
        this.headers = List.copyOf(upper);
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + headers.size() + " cells expected");
        }
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "" : c.toString());
        }
        rows.add(row);
        return this;
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width(headers.get(i));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], width(row.get(i)));
            }
        }
        StringBuilder sb = new StringBuilder();
        String rule = rule(widths);
        sb.append(rule);
        line(sb, headers, widths);
        sb.append(rule);
        for (List<String> row : rows) {
            line(sb, row, widths);
        }
        sb.append(rule);
        return sb.toString();
    }

    public void print(PrintWriter out) {
        out.print(render());
        out.flush();
    }

    private static String rule(int[] widths) {
        StringBuilder sb = new StringBuilder("+");
        for (int w : widths) {
            sb.append("-".repeat(w + 2)).append('+');
        }
        return sb.append('\n').toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        sb.append('|');
        for (int i = 0; i < widths.length; i++) {
            String c = cells.get(i);
            sb.append(' ').append(c).append(" ".repeat(widths[i] - width(c))).append(" |");
        }
        sb.append('\n');
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
