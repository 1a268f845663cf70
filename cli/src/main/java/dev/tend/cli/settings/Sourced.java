package dev.tend.cli.settings;

/**
 * A setting's effective value and where it came from.
 *
 * @param value  the value; null when the setting is unset and has no default (no listener, no facts file)
 * @param source where it came from
 * @param <T>    the value's type
 */
public record Sourced<T>(T value, Source source) {
}
