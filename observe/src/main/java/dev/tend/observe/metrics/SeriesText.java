package dev.tend.observe.metrics;

import io.prometheus.metrics.model.snapshots.Labels;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The bytes of Prometheus's text format (0.0.4) that do not change between scrapes, as the client's
 * {@code PrometheusTextFormatWriter} writes them: a family's {@code # HELP} and {@code # TYPE} lines, and a series'
 * {@code name{label="value",...} } (its labels in {@link Labels}' order, each value with {@code \}, {@code "} and the
 * line feed escaped), which {@link TextOut} follows with the value. Names must be legacy Prometheus names (letters,
 * digits, {@code _}, and {@code :} in metric names), which the client writes unquoted.
 */
final class SeriesText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private SeriesText() {
    }

    /**
     * The family's {@code # HELP} line (left out when {@code help} is empty) and {@code # TYPE} line.
     *
     * @param name the name as exposed (a counter's with {@code _total})
     * @param type {@code counter}, {@code gauge}, ...
     */
    static byte[] header(String name, String help, String type) {
        checkMetricName(name);
        StringBuilder b = new StringBuilder(name.length() * 2 + help.length() + 32);
        if (!help.isEmpty()) {
            b.append("# HELP ").append(name).append(' ');
            for (int i = 0; i < help.length(); i++) {
                char c = help.charAt(i);
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c);
                }
            }
            b.append('\n');
        }
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A series' name and labels and the space before its value: {@code name{a="x",b="y"} }. */
    static byte[] prefix(String name, Labels labels) {
        StringBuilder b = new StringBuilder(name.length() + 16 * labels.size() + 8).append(name);
        if (labels.size() > 0) {
            b.append('{');
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(labels.getName(i)).append("=\"");
                escapeValue(b, labels.getValue(i));
                b.append('"');
            }
            b.append('}');
        }
        return b.append(' ').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException unless {@code name} is a legacy metric name */
    static void checkMetricName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
    }

    /** @throws IllegalArgumentException unless every name is a legacy label name */
    static void checkLabelNames(String... names) {
        for (String n : names) {
            if (!LABEL_NAME.matcher(n).matches() || n.startsWith("__")) {
                throw new IllegalArgumentException("not a Prometheus label name: " + n);
            }
        }
    }

    private static void escapeValue(StringBuilder b, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
    }
}
