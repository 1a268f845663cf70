package dev.tend.watchers.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One gathered result, as the reference shapes it in the machine data, the state event and its HTTP answer.
 *
 * @param labels  by name, sorted
 * @param metrics values by name, sorted
 * @param time    when it was gathered, unix seconds (0: never)
 */
record Metric(Map<String, String> labels, Map<String, Double> metrics, long time) {

    static final Metric NONE = new Metric(Map.of(), Map.of(), 0);

    Metric {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /** {@code {labels, metrics, time}}, as the reference writes it to the machine data. */
    Map<String, Object> toMap() {
        return toMap(metrics);
    }

    /** The state event's form: the metrics with {@code choria_runtime_seconds}, the last run's duration. */
    Map<String, Object> toMap(double runtimeSeconds) {
        Map<String, Double> withRuntime = new TreeMap<>(metrics);
        withRuntime.put("choria_runtime_seconds", runtimeSeconds);
        return toMap(withRuntime);
    }

    private Map<String, Object> toMap(Map<String, Double> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", labels);
        m.put("metrics", values);
        m.put("time", time);
        return m;
    }
}
