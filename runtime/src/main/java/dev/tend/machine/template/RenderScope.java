package dev.tend.machine.template;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What one rendering reads: the machine's data and the node's facts, each fetched at most once and only when a
 * {@code lookup} needs it, so every lookup in a template sees the same values. Not thread-safe: one per rendering.
 */
final class RenderScope {

    private final Supplier<Map<String, Object>> dataSource;
    private final Supplier<Map<String, Object>> factsSource;
    private Map<String, Object> data;
    private Map<String, Object> facts;

    RenderScope(Supplier<Map<String, Object>> data, Supplier<Map<String, Object>> facts) {
        this.dataSource = data;
        this.factsSource = facts;
    }

    Map<String, Object> data() {
        if (data == null) {
            data = orEmpty(dataSource.get());
        }
        return data;
    }

    Map<String, Object> facts() {
        if (facts == null) {
            facts = orEmpty(factsSource.get());
        }
        return facts;
    }

    private static Map<String, Object> orEmpty(Map<String, Object> map) {
        return map == null ? Map.of() : map;
    }
}
