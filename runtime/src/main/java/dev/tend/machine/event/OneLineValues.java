package dev.tend.machine.event;

import dev.tend.machine.json.GoFloat;
import dev.tend.units.Durations;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * A watcher's state fields as its event's one-line form shows them ({@link WatcherStateEvent#toString}): maps as
 * {@code {key=value, ...}} and lists as {@code [a, b]}, as Java writes them, but numbers as the events' JSON has them
 * ({@link GoFloat}: {@code 22194048}, not {@code 2.2194048E7}); NaN and the infinities, which have no JSON form, as
 * Java writes them; durations as Go writes them ({@code 1m30s}).
 */
final class OneLineValues {

    private OneLineValues() {
    }

    static String format(Object value) {
        StringBuilder b = new StringBuilder();
        append(b, value);
        return b.toString();
    }

    private static void append(StringBuilder b, Object value) {
        if (value instanceof Double d && GoFloat.isWritable(d)) {
            b.append(GoFloat.format(d.doubleValue()));
        } else if (value instanceof Float f && GoFloat.isWritable(f)) {
            b.append(GoFloat.format(f.floatValue()));
        } else if (value instanceof Duration d) {
            b.append(Durations.format(d));
        } else if (value instanceof Map<?, ?> m) {
            b.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                append(b, e.getKey());
                b.append('=');
                append(b, e.getValue());
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            b.append('}');
        } else if (value instanceof Iterable<?> list) {
            b.append('[');
            Iterator<?> it = list.iterator();
            while (it.hasNext()) {
                append(b, it.next());
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            b.append(']');
        } else {
            b.append(value);
        }
    }
}
