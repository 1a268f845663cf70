package dev.tend.watchers.perfdata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One item of a plugin's performance data, as the reference reports it: thresholds, minimum and maximum are not kept.
 *
 * @param label the label, its blanks replaced by {@code _}
 * @param value the value
 * @param unit  the unit of measure ({@code us}, {@code ms}, {@code s}, {@code %}, {@code B}, {@code KB}, {@code MB},
 *              {@code TB}, {@code c}), or empty
 */
public record PerfData(String label, double value, String unit) {

    /** The event's form: {@code {"unit": ..., "label": ..., "value": ...}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", unit);
        m.put("label", label);
        m.put("value", value);
        return m;
    }
}
