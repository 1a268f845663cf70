package dev.tend.machine.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The watchers' state fields that hold a duration as integer nanoseconds, as Choria's events write a Go
 * {@code time.Duration} ({@code previous_run_time} of exec, archive, plugins and machines watchers, {@code timer} of
 * timer watchers). Events' JSON keeps them so; what a person reads ({@code tend machine info}, the log and
 * {@code tend machine events} lines) shows them as Go durations ({@code 10m0s}) through {@link #readable}.
 */
public final class DurationFields {

    /** The field names whose integer values are nanoseconds. */
    public static final Set<String> NANOSECONDS = Set.of("previous_run_time", "timer");

    private DurationFields() {
    }

    /**
     * {@code fields} with each value of a {@link #NANOSECONDS} field that is a whole number replaced by its
     * {@link Duration}; the others as they are, in the same order.
     */
    public static Map<String, Object> readable(Map<String, Object> fields) {
        Map<String, Object> out = null;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (NANOSECONDS.contains(e.getKey())) {
                Duration d = nanos(e.getValue());
                if (d != null) {
                    if (out == null) {
                        out = new LinkedHashMap<>(fields);
                    }
                    out.put(e.getKey(), d);
                }
            }
        }
        return out == null ? fields : out;
    }

    private static Duration nanos(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Duration.ofNanos(((Number) value).longValue());
        }
        if (value instanceof BigInteger b && b.bitLength() < 64) {
            return Duration.ofNanos(b.longValue());
        }
        if (value instanceof BigDecimal b && b.stripTrailingZeros().scale() <= 0 && b.abs().compareTo(
                BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return Duration.ofNanos(b.longValue());
        }
        return null;
    }
}
