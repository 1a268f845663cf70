package dev.tend.machine.hiera;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an override is merged into the data. Both merges return a new map and leave their arguments alone.
 */
final class DataMerge {

    private DataMerge() {
    }

    /**
     * The {@code deep} strategy: a key in both whose values are maps is merged recursively, lists are concatenated (the
     * data's items first), anything else is replaced by the override's value.
     */
    static Map<String, Object> deep(Map<String, Object> data, Map<String, Object> override) {
        Map<String, Object> result = copy(data);
        override.forEach((key, value) -> {
            Object existing = result.get(key);
            if (existing instanceof Map<?, ?> a && value instanceof Map<?, ?> b) {
                result.put(key, deep(cast(a), cast(b)));
            } else if (existing instanceof List<?> a && value instanceof List<?> b) {
                List<Object> joined = new ArrayList<>(copy(a));
                joined.addAll(copy(b));
                result.put(key, joined);
            } else {
                result.put(key, copyOf(value));
            }
        });
        return result;
    }

    /** The {@code first} strategy's merge: each top-level key of the override replaces the data's. */
    static Map<String, Object> shallow(Map<String, Object> data, Map<String, Object> override) {
        Map<String, Object> result = copy(data);
        override.forEach((key, value) -> result.put(key, copyOf(value)));
        return result;
    }

    static Map<String, Object> copy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, copyOf(v)));
        return copy;
    }

    private static List<Object> copy(List<?> list) {
        List<Object> copy = new ArrayList<>(list.size());
        list.forEach(v -> copy.add(copyOf(v)));
        return copy;
    }

    private static Object copyOf(Object value) {
        if (value instanceof Map<?, ?> m) {
            return copy(cast(m));
        }
        if (value instanceof List<?> l) {
            return copy(l);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map; // the document was normalized: string keys throughout
    }
}
