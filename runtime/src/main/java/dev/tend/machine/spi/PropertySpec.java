package dev.tend.machine.spi;

import java.util.List;

/**
 * One property a watcher type understands. Build with {@link #of} and the {@code with}-style methods:
 * {@code PropertySpec.of("timeout", PropertyType.DURATION).withDefault(Duration.ofSeconds(10)).describedAs("...")}.
 *
 * @param name          the canonical key (matched case-insensitively)
 * @param type          how the value is decoded
 * @param isRequired    a missing value is a load error
 * @param defaultValue  the decoded value used when absent, or {@code null}
 * @param aliases       other accepted keys (e.g. file's {@code content} for {@code contents})
 * @param allowedValues for strings: the only accepted values (case-sensitive); empty for any
 * @param isTemplated   rendered with {@link Templates} at run time, so not checked beyond its type at load
 * @param description   one line for the JSON Schema and the docs
 */
public record PropertySpec(String name, PropertyType type, boolean isRequired, Object defaultValue, List<String> aliases,
                           List<String> allowedValues, boolean isTemplated, String description) {

    public PropertySpec {
        aliases = List.copyOf(aliases);
        allowedValues = List.copyOf(allowedValues);
        description = description == null ? "" : description;
    }

    public static PropertySpec of(String name, PropertyType type) {
        return new PropertySpec(name, type, false, null, List.of(), List.of(), false, "");
    }

    public PropertySpec required() {
        return new PropertySpec(name, type, true, defaultValue, aliases, allowedValues, isTemplated, description);
    }

    public PropertySpec withDefault(Object value) {
        return new PropertySpec(name, type, isRequired, value, aliases, allowedValues, isTemplated, description);
    }

    public PropertySpec withAliases(String... more) {
        return new PropertySpec(name, type, isRequired, defaultValue, List.of(more), allowedValues, isTemplated, description);
    }

    public PropertySpec allowing(String... values) {
        return new PropertySpec(name, type, isRequired, defaultValue, aliases, List.of(values), isTemplated, description);
    }

    public PropertySpec templated() {
        return new PropertySpec(name, type, isRequired, defaultValue, aliases, allowedValues, true, description);
    }

    public PropertySpec describedAs(String text) {
        return new PropertySpec(name, type, isRequired, defaultValue, aliases, allowedValues, isTemplated, text);
    }
}
