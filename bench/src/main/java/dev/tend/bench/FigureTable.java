package dev.tend.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** An ASCII table with a header row, as the CLI prints them. */
final class FigureTable {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    FigureTable(String... header) {
        this.header = header;
    }

    String header(int column) {
        return header[column];
    }

    void add(String... row) {
        if (row.length != header.length) {
            throw new IllegalArgumentException("a row needs " + header.length + " cells");
        }
        rows.add(row);
    }

    void print(PrintStream out) {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : width) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        out.println(rule);
        out.println(line(header, width));
        out.println(rule);
        for (String[] r : rows) {
            out.println(line(r, width));
        }
        out.println(rule);
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder("|");
        for (int c = 0; c < cells.length; c++) {
            b.append(' ').append(cells[c]).append(" ".repeat(width[c] - cells[c].length())).append(" |");
        }
        return b.toString();
    }
}
