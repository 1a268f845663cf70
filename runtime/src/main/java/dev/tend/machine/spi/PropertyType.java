package dev.tend.machine.spi;

/**
 * How a property's YAML value is decoded. Conversions are loose as in the reference: {@code "true"}/{@code 1} are booleans,
 * numbers are strings, numeric strings are numbers, a single scalar is a one-element list.
 */
public enum PropertyType {
    /** A string (numbers and booleans are taken as their text). Decoded to {@link String}. */
    STRING,
    /** Decoded to {@link Boolean}. */
    BOOLEAN,
    /** Decoded to {@link Long}. */
    INTEGER,
    /** Go duration syntax ({@code 300ms}, {@code 1.5s}, {@code 2h45m}); decoded to {@link java.time.Duration}. */
    DURATION,
    /** A list of strings; decoded to an unmodifiable {@code List<String>}. */
    STRING_LIST,
    /** A mapping of strings to JSON-like values; decoded to an unmodifiable {@code Map<String, Object>}. */
    MAP,
    /** Any JSON-like value, kept as parsed. */
    ANY
}
