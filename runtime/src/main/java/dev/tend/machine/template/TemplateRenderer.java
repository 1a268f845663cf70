package dev.tend.machine.template;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.Templates;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Renders watcher property templates: the subset of Go's text/template the reference uses — text, actions in double
 * braces with <code>{{- </code> and <code> -}}</code> trim markers and comments, pipes, string (Go escapes or backticks), number,
 * boolean and {@code nil} literals, parenthesised pipelines — and its functions {@code lookup "data.x" default} (a gjson
 * path over {@code {"facts": ..., "data": ...}}), {@code Title}, {@code Capitalize}, {@code ToLower}, {@code ToUpper},
 * {@code StringsJoin} (also {@code StringJoin}), {@code Base64Encode}, {@code Base64Decode}, and Choria Scout's
 * {@code o "path" default} (a gjson path over the machine's overrides, rendered as text). Anything else
 * ({@code if}, {@code range}, variables, fields, other functions) is a {@link TemplateException} naming the column.
 *
 * <p>Values print as Go prints them except that maps and lists are compact JSON. Parsed templates are cached (a
 * bounded number), since watchers render the same properties on every run. Thread-safe.
 */
public final class TemplateRenderer implements Templates {

    private static final int CACHE_SIZE = 256;

    private final Supplier<Map<String, Object>> data;
    private final Supplier<Map<String, Object>> facts;
    private final Supplier<Map<String, Object>> overrides;
    /** Least recently used first; guarded by itself. */
    private final Map<String, ParsedTemplate> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParsedTemplate> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * @param data  the machine's data, asked for at most once per rendering and only when a {@code lookup "data..."}
     *              needs it
     * @param facts the node's facts, likewise
     */
    public TemplateRenderer(Supplier<Map<String, Object>> data, Supplier<Map<String, Object>> facts) {
        this(data, facts, Map::of);
    }

    /**
     * @param data      the machine's data, asked for at most once per rendering and only when a {@code lookup "data..."}
     *                  needs it
     * @param facts     the node's facts, likewise
     * @param overrides the machine's overrides (its own entry in the agent's overrides file), likewise for {@code o}
     */
    public TemplateRenderer(Supplier<Map<String, Object>> data, Supplier<Map<String, Object>> facts,
                            Supplier<Map<String, Object>> overrides) {
        this.data = Objects.requireNonNull(data, "data");
        this.facts = Objects.requireNonNull(facts, "facts");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
    }

    /**
     * Checks a template's syntax and functions without rendering it (a lookup's path is only checked when rendered):
     * lets a loader report a bad templated property when the machine loads rather than when it first runs.
     */
    public static void check(String template) throws TemplateException {
        if (template.contains("{{")) {
            TemplateParser.parse(template);
        }
    }

    @Override
    public String render(String template) throws TemplateException {
        if (!template.contains("{{")) {
            return template;
        }
        return Evaluator.render(parsed(template), new RenderScope(data, facts, overrides));
    }

    private ParsedTemplate parsed(String template) throws TemplateException {
        synchronized (cache) {
            ParsedTemplate cached = cache.get(template);
            if (cached != null) {
                return cached;
            }
        }
        ParsedTemplate parsed = TemplateParser.parse(template);
        synchronized (cache) {
            cache.put(template, parsed);
        }
        return parsed;
    }

    /** How many parsed templates are cached (for tests). */
    int cachedTemplates() {
        synchronized (cache) {
            return cache.size();
        }
    }
}
