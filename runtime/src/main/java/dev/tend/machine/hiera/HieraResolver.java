package dev.tend.machine.hiera;

import dev.tend.machine.expression.ExpressionCompiler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves a Tiny Hiera document (Choria's hierarchical data, as its kv watcher's {@code hiera_config} uses it) against
 * the node's facts into one data map. Thread-safe; it keeps the expressions it compiled ({@code CompiledExpressions}),
 * so one resolver per document source (a kv watcher's) resolves the same document again cheaply.
 *
 * <p>The document is already parsed (JSON or YAML) and has three sections:
 * <ul>
 *   <li>{@code hierarchy}: {@code order}, a list of override names with placeholders such as
 *       {@code env:{{ lookup('facts.env') }}}, and {@code merge}, {@code first} (the default) or {@code deep}. Without
 *       the section the order is {@code [default]}.
 *   <li>{@code data}: the base data, the result when no override matches.
 *   <li>{@code overrides}: maps named by the resolved hierarchy entries.
 * </ul>
 * Each entry of the order, in turn, is resolved; an entry that has placeholders, none of which gives a value (the fact
 * is missing), is skipped, as is one that names no override (or names {@code data}). With {@code first}, the first
 * override found replaces the data's top-level keys and resolution ends; with {@code deep}, every override found is
 * merged in order: maps recursively, lists concatenated, other values replaced. Placeholders in the data's and the
 * overrides' string values are expanded too, a value that is one placeholder alone keeping the expression's type.
 */
public final class HieraResolver {

    private static final String HIERARCHY = "hierarchy";
    private static final String DATA = "data";
    private static final String OVERRIDES = "overrides";

    private final CompiledExpressions expressions;

    public HieraResolver(ExpressionCompiler compiler) {
        this.expressions = new CompiledExpressions(Objects.requireNonNull(compiler, "compiler"));
    }

    /** A resolver on the runtime's expression language ({@link ExpressionCompiler#standard()}). */
    public static HieraResolver standard() {
        return new HieraResolver(ExpressionCompiler.standard());
    }

    /**
     * A new resolver on this one's expression compiler, with compiled expressions of its own: for another document
     * source, without looking the compiler up again.
     */
    public HieraResolver onSameCompiler() {
        return new HieraResolver(expressions.compiler());
    }

    /**
     * @param document the parsed document (JSON-like: maps, lists, strings, numbers, booleans, null); not changed
     * @param facts    the node's facts, what {@code lookup('facts. ...')} reads
     * @return a new map: the data with the matching overrides merged in; whole numbers are {@link Long}s
     * @throws HieraException when the document cannot be resolved; the message is one line
     */
    public Map<String, Object> resolve(Map<String, ?> document, Map<String, Object> facts) throws HieraException {
        Map<String, Object> root = DataMerge.cast((Map<?, ?>) NumericValues.normalize(document));
        Map<String, Object> overrides = overrides(root.get(OVERRIDES));
        Hierarchy hierarchy = root.containsKey(HIERARCHY) ? Hierarchy.of(root.get(HIERARCHY)) : Hierarchy.DEFAULT;
        Interpolator interpolator = new Interpolator(expressions, facts == null ? Map.of() : facts);

        boolean hasData = root.get(DATA) instanceof Map<?, ?>;
        Map<String, Object> data = new LinkedHashMap<>();
        if (hasData) {
            data = DataMerge.cast((Map<?, ?>) interpolator.expand(root.get(DATA), DATA));
        }
        String strategy = hierarchy.strategy();
        for (int i = 0; i < hierarchy.order().size(); i++) {
            Interpolator.Entry entry = interpolator.entry(hierarchy.order().get(i), "hierarchy.order[" + i + "]");
            if (!entry.matched() || (hasData && entry.text().equals(DATA))
                    || !(overrides.get(entry.text()) instanceof Map<?, ?> found)) {
                continue;
            }
            String where = OVERRIDES + "." + entry.text();
            Map<String, Object> override = DataMerge.cast((Map<?, ?>) interpolator.expand(found, where));
            switch (strategy) {
                case Hierarchy.DEEP -> data = DataMerge.deep(data, override);
                case Hierarchy.FIRST -> {
                    return DataMerge.shallow(data, override);
                }
                default -> throw new HieraException("hierarchy.merge \"" + strategy
                        + "\" is not a merge strategy: use first or deep");
            }
        }
        return data;
    }

    private static Map<String, Object> overrides(Object section) throws HieraException {
        if (section == null) {
            return Map.of();
        }
        if (section instanceof Map<?, ?> map) {
            return DataMerge.cast(map);
        }
        throw new HieraException("overrides must be a map of override name to data, not "
                + dev.tend.machine.expression.ValueTypes.name(section));
    }
}
