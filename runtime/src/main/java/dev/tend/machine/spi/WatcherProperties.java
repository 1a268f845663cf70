package dev.tend.machine.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A watcher's properties after decoding: values by canonical property name, with declared defaults applied, and the
 * {@code machine.yaml} line of each key that was written (for messages). Immutable.
 */
public final class WatcherProperties {

    public static final WatcherProperties EMPTY = new WatcherProperties(Map.of(), Map.of(), java.util.Set.of());

    private final Map<String, Object> values;
    private final Map<String, Integer> lines;
    private final java.util.Set<String> written;

    /**
     * @param values  decoded values by canonical name, defaults included
     * @param lines   line of each written key
     * @param written canonical names of the keys the file set (so a default can be told from a written value)
     */
    public WatcherProperties(Map<String, Object> values, Map<String, Integer> lines, java.util.Set<String> written) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.lines = Map.copyOf(lines);
        this.written = java.util.Set.copyOf(written);
    }

    /** Whether the file set this property (a default does not count). */
    public boolean isSet(String name) {
        return written.contains(name);
    }

    /** The line the property was written on, 0 when it was not written. */
    public int line(String name) {
        return lines.getOrDefault(name, 0);
    }

    public Optional<Object> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String string(String name) {
        Object v = values.get(name);
        return v == null ? null : v.toString();
    }

    public boolean bool(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    public long integer(String name, long otherwise) {
        Object v = values.get(name);
        return v instanceof Number n ? n.longValue() : otherwise;
    }

    public Duration duration(String name) {
        Object v = values.get(name);
        return v instanceof Duration d ? d : Duration.ZERO;
    }

    @SuppressWarnings("unchecked")
    public List<String> stringList(String name) {
        Object v = values.get(name);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object v = values.get(name);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Every value by canonical name, defaults included. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** Equal when the values, the lines and the written keys are (so equal files give equal definitions). */
    @Override
    public boolean equals(Object o) {
        return o instanceof WatcherProperties other && values.equals(other.values) && lines.equals(other.lines)
                && written.equals(other.written);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(values, lines, written);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
