package dev.tend.machine.template;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What one rendering reads: the machine's data, the node's facts and the machine's overrides, each fetched at most once
 * and only when a {@code lookup} (or {@code o}) needs it, so every lookup in a template sees the same values. Not
 * thread-safe: one per rendering.
 */
final class RenderScope {

    private final Supplier<Map<String, Object>> dataSource;
    private final Supplier<Map<String, Object>> factsSource;
    private final Supplier<Map<String, Object>> overridesSource;
    private Map<String, Object> data;
    private Map<String, Object> facts;
    private Map<String, Object> overrides;

    RenderScope(Supplier<Map<String, Object>> data, Supplier<Map<String, Object>> facts,
                Supplier<Map<String, Object>> overrides) {
        this.dataSource = data;
        this.factsSource = facts;
        this.overridesSource = overrides;
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

    /** This machine's overrides (its entry in the agent's overrides file), for {@code o}. */
    Map<String, Object> overrides() {
        if (overrides == null) {
            overrides = orEmpty(overridesSource.get());
        }
        return overrides;
    }

    private static Map<String, Object> orEmpty(Map<String, Object> map) {
        return map == null ? Map.of() : map;
    }
}
