package dev.tend.machine.template;

import dev.tend.machine.template.TemplateFunction.FunctionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The functions templates may call, by name: those Choria registers for machine templates (docs/machines.md,
 * Templates).
 */
final class TemplateFunctions {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateRenderer.class);

    private static final Map<String, TemplateFunction> FUNCTIONS = byName(List.of(
            new TemplateFunction("lookup", 2, TemplateFunctions::lookup),
            text("Title", TitleCase::of),
            text("Capitalize", TitleCase::of),
            text("ToLower", s -> s.toLowerCase(Locale.ROOT)),
            text("ToUpper", s -> s.toUpperCase(Locale.ROOT)),
            new TemplateFunction("StringsJoin", 1, TemplateFunctions::join),
            // The reference's documentation spells it StringJoin; accept both.
            new TemplateFunction("StringJoin", 1, TemplateFunctions::join),
            text("Base64Encode", s -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))),
            new TemplateFunction("Base64Decode", 1, TemplateFunctions::base64Decode),
            new TemplateFunction("o", 2, TemplateFunctions::override)));

    private TemplateFunctions() {
    }

    static Optional<TemplateFunction> named(String name) {
        return Optional.ofNullable(FUNCTIONS.get(name));
    }

    /** The known name closest to a mistyped one (at most two edits away), for a hint. */
    static Optional<String> closestTo(String name) {
        String best = null;
        int bestDistance = 3;
        for (String known : FUNCTIONS.keySet()) {
            int d = distance(name.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Object lookup(List<Object> args, RenderScope scope) throws FunctionException {
        if (!(args.get(0) instanceof String path)) {
            throw new FunctionException("the path must be a string, not " + kind(args.get(0)));
        }
        Map<String, Object> root;
        if (path.startsWith("facts.")) {
            root = Map.of("facts", scope.facts());
        } else if (path.startsWith("data.")) {
            root = Map.of("data", scope.data());
        } else {
            throw new FunctionException("path \"" + path + "\" must start with \"facts.\" or \"data.\"");
        }
        Object found = JsonQuery.find(root, path);
        if (found == JsonQuery.MISSING) {
            LOG.debug("lookup \"{}\": not found, using the default", path);
            return args.get(1);
        }
        return found;
    }

    /**
     * Choria Scout's {@code o "path" default}: the value at a gjson path in the machine's overrides, as text (a string as
     * it is, {@code null} as nothing, anything else as a template prints it), or the default as text when the path
     * is not there.
     */
    private static Object override(List<Object> args, RenderScope scope) throws FunctionException {
        if (!(args.get(0) instanceof String path)) {
            throw new FunctionException("the path must be a string, not " + kind(args.get(0)));
        }
        Object found = scope.overrides().isEmpty() ? JsonQuery.MISSING
                : JsonQuery.find(Map.of("o", scope.overrides()), "o." + path);
        if (found == JsonQuery.MISSING) {
            return ValueText.TEMPLATE.of(args.get(1));
        }
        return found == null ? "" : ValueText.TEMPLATE.of(found);
    }

    private static Object join(List<Object> args, RenderScope scope) throws FunctionException {
        if (!(args.get(0) instanceof List<?> list)) {
            throw new FunctionException("expected a list, got " + kind(args.get(0)));
        }
        return list.stream().map(ValueText.TEMPLATE::of).collect(Collectors.joining(", "));
    }

    private static Object base64Decode(List<Object> args, RenderScope scope) throws FunctionException {
        String encoded = string(args.get(0));
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FunctionException("illegal base64 data: " + e.getMessage());
        }
    }

    /** A function of one string; numbers and booleans are taken as their text, as templates print them. */
    private static TemplateFunction text(String name, UnaryOperator<String> body) {
        return new TemplateFunction(name, 1, (args, scope) -> body.apply(string(args.get(0))));
    }

    private static String string(Object value) throws FunctionException {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return ValueText.TEMPLATE.of(value);
        }
        throw new FunctionException("expected a string, got " + kind(value));
    }

    private static String kind(Object value) {
        if (value == null) {
            return "no value";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value instanceof Boolean ? "a boolean" : "a number";
    }

    private static Map<String, TemplateFunction> byName(List<TemplateFunction> functions) {
        Map<String, TemplateFunction> map = new TreeMap<>();
        functions.forEach(f -> map.put(f.name(), f));
        return java.util.Collections.unmodifiableMap(map);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
