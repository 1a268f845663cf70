package dev.tend.watchers.prometheus;

import java.util.Locale;

/**
 * Pieces of Prometheus's text exposition format: names made valid, label values quoted, sample values written.
 */
public final class Exposition {

    private Exposition() {
    }

    /**
     * A metric name: every character other than ASCII letters, digits, {@code _} and {@code :} becomes {@code _}, and a
     * name starting with a digit gets a leading {@code _}. A valid name is returned as it is.
     */
    public static String metricName(String name) {
        return valid(name, true);
    }

    /** A label name: as {@link #metricName}, without {@code :}. */
    public static String labelName(String name) {
        return valid(name, false);
    }

    /** A label value in the exposition format: quoted, with {@code \}, {@code "} and new lines escaped. */
    public static String labelValue(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    /**
     * A sample value with six decimals ({@code 1.500000}, as Go's {@code %f}), or {@code NaN}, {@code +Inf},
     * {@code -Inf}.
     */
    public static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return String.format(Locale.ROOT, "%f", v);
    }

    private static String valid(String name, boolean colon) {
        StringBuilder s = new StringBuilder(name.length() + 1);
        if (name.isEmpty() || name.charAt(0) >= '0' && name.charAt(0) <= '9') {
            s.append('_');
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || colon && c == ':';
            s.append(ok ? c : '_');
        }
        return s.toString();
    }
}
