package dev.tend.machine.template;

import dev.tend.machine.template.TemplateFunction.FunctionException;

import java.util.Optional;

/**
 * The gjson path subset that templates' {@code lookup} uses, for watchers that query JSON-like values themselves (the kv
 * watcher's {@code query}): {@code .}-separated keys, {@code \} escapes, numeric array indexes, {@code #} for an array's
 * length (and {@code list.#.key}), {@code *}/{@code ?} wildcards in a key. gjson queries ({@code #(...)}), modifiers
 * ({@code @reverse}) and pipes are refused, so one syntax is accepted everywhere in a machine.
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    /**
     * The value at {@code path} in {@code root} (a JSON-like value: Map, List, String, Number, Boolean, null).
     *
     * @param otherwise returned when nothing is at the path (a JSON {@code null} that is there is returned as null)
     * @throws IllegalArgumentException when the path uses syntax Tend does not support; the message says which, in one line
     */
    public static Object find(Object root, String path, Object otherwise) {
        try {
            Object found = JsonQuery.find(root, path);
            return found == JsonQuery.MISSING ? otherwise : found;
        } catch (FunctionException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** What is wrong with the path's syntax, in one line, or empty when it is usable (for checks at load time). */
    public static Optional<String> problem(String path) {
        try {
            JsonQuery.find(null, path);
            return Optional.empty();
        } catch (FunctionException e) {
            return Optional.of(e.getMessage());
        }
    }
}
