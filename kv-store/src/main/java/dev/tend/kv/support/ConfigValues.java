package dev.tend.kv.support;

import dev.tend.kv.BucketConfig;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A bucket config as read from JSON, before it is checked: the shape's version and each field's JSON value.
 *
 * @param version the shape's version as read, 0 when missing or when the shape has none
 * @param json    by {@link ConfigField} ordinal: a String, a Long or null (missing, JSON null, or left out by the
 *                shape); a {@link JsonForm#INT} is in range
 */
public record ConfigValues(int version, List<Object> json) {

    /** Values from an array by field ordinal, which this keeps. */
    public static ConfigValues of(int version, Object[] json) {
        return new ConfigValues(version, Collections.unmodifiableList(Arrays.asList(json)));
    }

    /**
     * The config these values spell in {@code shape}: each JSON value turned back into its field's value, a
     * missing one left to the builder's default.
     *
     * @throws dev.tend.kv.InvalidInputException when a value is not one of its form (a TTL that is not a duration)
     *                                           or the config breaks a limit of {@link BucketConfig}
     */
    public BucketConfig toConfig(ConfigShape shape) {
        Object[] values = new Object[ConfigField.ALL.length];
        for (ConfigField f : ConfigField.ALL) {
            ConfigField.Column c = f.column(shape);
            Object j = json.get(f.ordinal());
            if (c != null && j != null) {
                values[f.ordinal()] = c.form().fromJson(j, c.key());
            }
        }
        return ConfigField.toConfig(values);
    }
}
