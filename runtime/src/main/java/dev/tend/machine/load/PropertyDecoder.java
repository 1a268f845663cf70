package dev.tend.machine.load;

import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.WatcherProperties;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes a watcher's {@code properties} by its type's {@link PropertySpec}s: keys match case-insensitively (and by
 * alias), values convert loosely, defaults apply, missing or ill-typed properties are errors and unknown ones warnings
 * (the reference ignores them).
 */
final class PropertyDecoder {

    private final List<PropertySpec> specs;
    private final String type;
    private final String where;
    private final Problems problems;

    /**
     * @param type  the watcher type, for messages
     * @param where the watcher, e.g. {@code watcher "check"}
     */
    PropertyDecoder(List<PropertySpec> specs, String type, String where, Problems problems) {
        this.specs = specs;
        this.type = type;
        this.where = where;
        this.problems = problems;
    }

    /**
     * @param properties  the {@code properties} value, or {@code null} when absent
     * @param watcherLine where missing required properties are reported
     * @return the decoded properties, or empty when there was any problem (reported)
     */
    Optional<WatcherProperties> decode(YamlNode properties, int watcherLine) {
        int before = problems.errorCount();
        List<YamlNode.Entry> entries = List.of();
        if (properties instanceof YamlNode.Mapping m) {
            entries = m.entries();
        } else if (properties != null && !(properties instanceof YamlNode.Scalar s && s.isNull())) {
            problems.error(properties.line(), where, "properties must be a mapping, not " + properties.describe());
            return Optional.empty();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        Set<String> written = new HashSet<>();
        for (YamlNode.Entry entry : entries) {
            Optional<PropertySpec> spec = specFor(entry.key());
            if (spec.isEmpty()) {
                problems.warning(entry.keyLine(), where, unknown(entry.key()));
                continue;
            }
            String name = spec.get().name();
            if (lines.containsKey(name)) {
                problems.error(entry.keyLine(), where, "property " + MessageText.quote(name) + " is set twice (also on line "
                        + lines.get(name) + ")");
                continue;
            }
            lines.put(name, entry.keyLine());
            YamlNode value = entry.value();
            if (value instanceof YamlNode.Scalar s && s.isNull()) {
                if (spec.get().isRequired()) {
                    problems.error(entry.keyLine(), propertyWhere(name), "must not be empty");
                }
                continue; // an empty value is an absent one: the default applies
            }
            try {
                values.put(name, convert(spec.get(), value));
                written.add(name);
            } catch (ValueException e) {
                problems.error(entry.keyLine(), propertyWhere(name), e.getMessage());
            }
        }
        for (PropertySpec spec : specs) {
            if (!lines.containsKey(spec.name())) {
                if (spec.isRequired()) {
                    problems.error(watcherLine, where, "property " + MessageText.quote(spec.name()) + " is required");
                } else if (spec.defaultValue() != null) {
                    values.put(spec.name(), spec.defaultValue());
                }
            } else if (!values.containsKey(spec.name()) && spec.defaultValue() != null) {
                values.put(spec.name(), spec.defaultValue());
            }
        }
        if (problems.errorCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new WatcherProperties(values, lines, written));
    }

    private String propertyWhere(String name) {
        return where + " property " + MessageText.quote(name);
    }

    private Optional<PropertySpec> specFor(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (PropertySpec spec : specs) {
            if (spec.name().toLowerCase(Locale.ROOT).equals(k)
                    || spec.aliases().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(k))) {
                return Optional.of(spec);
            }
        }
        return Optional.empty();
    }

    private String unknown(String key) {
        if (specs.isEmpty()) {
            return "unknown property " + MessageText.quote(key) + ": the " + type + " watcher has no properties";
        }
        List<String> names = specs.stream().map(PropertySpec::name).toList();
        List<String> candidates = new ArrayList<>(names);
        specs.forEach(s -> candidates.addAll(s.aliases()));
        return "unknown property " + MessageText.quote(key) + Suggestions.closest(key, candidates)
                .map(Suggestions::hint)
                .orElse("; known properties: " + MessageText.list(names));
    }

    private static Object convert(PropertySpec spec, YamlNode value) throws ValueException {
        switch (spec.type()) {
            case STRING:
                return allowed(spec, LooseValues.text(value), value);
            case BOOLEAN:
                return LooseValues.bool(value);
            case INTEGER:
                return LooseValues.integer(value);
            case DURATION:
                if (!(value instanceof YamlNode.Scalar s)) {
                    throw new ValueException("must be a duration such as 10s, not " + value.describe());
                }
                return MachineDurations.property(s.text());
            case STRING_LIST:
                return stringList(value);
            case MAP:
                if (!(value instanceof YamlNode.Mapping)) {
                    throw new ValueException("must be a mapping, not " + value.describe());
                }
                return YamlJson.plain(value);
            case ANY:
            default:
                return YamlJson.plain(value);
        }
    }

    private static String allowed(PropertySpec spec, String text, YamlNode value) throws ValueException {
        if (spec.isRequired() && text.isBlank()) {
            throw new ValueException("must not be empty");
        }
        if (spec.allowedValues().isEmpty() || spec.allowedValues().contains(text)
                || spec.isTemplated() && text.contains("{{")) {
            return text;
        }
        throw new ValueException("must be one of " + MessageText.list(spec.allowedValues()) + ", not " + value.describe()
                + Suggestions.didYouMean(text, spec.allowedValues()));
    }

    private static List<String> stringList(YamlNode value) throws ValueException {
        if (value instanceof YamlNode.Scalar s) {
            return List.of(s.text());
        }
        if (!(value instanceof YamlNode.Sequence seq)) {
            throw new ValueException("must be a list of text values, not " + value.describe());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            if (!(item instanceof YamlNode.Scalar s) || s.isNull()) {
                throw new ValueException("item " + (i + 1) + " must be text, not " + item.describe());
            }
            out.add(s.text());
        }
        return Collections.unmodifiableList(out);
    }
}
