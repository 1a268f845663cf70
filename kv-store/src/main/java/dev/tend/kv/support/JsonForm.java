package dev.tend.kv.support;

import dev.tend.kv.InvalidConfigException;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.StorageType;
import dev.tend.units.Durations;

import java.time.Duration;
import java.util.Locale;

/**
 * How a setting's value is written in JSON: a field's {@link ConfigField#get value} becomes a JSON string (a
 * {@code String}), a JSON whole number (a {@code Long}) or null, and back.
 */
public enum JsonForm {
    /** A string as it is. */
    TEXT,
    /** A whole number from {@link Integer#MIN_VALUE} to {@link Integer#MAX_VALUE}. */
    INT,
    /** A whole number. */
    LONG,
    /** A duration as a whole number of nanoseconds. */
    NANOS,
    /** A duration as Go writes it, e.g. {@code 1h0m0s} ({@link Durations}). */
    GO_DURATION,
    /** A {@link StorageType} as its name in lower case: {@code file} or {@code memory}. */
    STORAGE_NAME;

    /** True when the value is a JSON number (else a string). */
    public boolean isNumber() {
        return this == INT || this == LONG || this == NANOS;
    }

    /** The JSON value of {@code value}: a String, a Long or null. */
    public Object toJson(Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case TEXT -> value;
            case INT -> ((Integer) value).longValue();
            case LONG -> value;
            case NANOS -> ((Duration) value).toNanos();
            case GO_DURATION -> Durations.format((Duration) value);
            case STORAGE_NAME -> ((StorageType) value).name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * The value of a JSON value, a String or a Long as {@link #isNumber} says ({@link #INT}'s already in range).
     *
     * @param key the field's key, for the message
     * @throws InvalidConfigException when the text is not a value of this form
     */
    public Object fromJson(Object json, String key) {
        return switch (this) {
            case TEXT, LONG -> json;
            case INT -> ((Long) json).intValue();
            case NANOS -> Duration.ofNanos((Long) json);
            case GO_DURATION -> duration((String) json, key);
            case STORAGE_NAME -> storage((String) json);
        };
    }

    private static Duration duration(String text, String key) {
        try {
            return Durations.parse(text);
        } catch (InvalidInputException e) {
            throw new InvalidConfigException(key + ": " + e.getMessage(), e);
        }
    }

    private static StorageType storage(String text) {
        for (StorageType t : StorageType.values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new InvalidConfigException("storage \"" + text + "\" is not file or memory");
    }
}
