package dev.tend.machine.expression.jexl;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** expr's {@code string(v)}: values as Go's {@code fmt} prints them ({@code <nil>}, {@code [1 2]}, {@code map[a:1]}). */
final class ExprText {

    private ExprText() {
    }

    static String of(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof Double d) {
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
                return String.valueOf(d.longValue());
            }
            return d.toString().replace("Infinity", "Inf");
        }
        if (v instanceof List<?> l) {
            StringJoiner out = new StringJoiner(" ", "[", "]");
            l.forEach(e -> out.add(of(e)));
            return out.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringJoiner out = new StringJoiner(" ", "map[", "]");
            new java.util.TreeMap<>(m).forEach((k, e) -> out.add(k + ":" + of(e)));
            return out.toString();
        }
        return v.toString();
    }
}
