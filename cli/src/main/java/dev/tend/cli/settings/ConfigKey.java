package dev.tend.cli.settings;

/**
 * One setting that a flag, an environment variable and the config file can all give.
 *
 * @param key      its name in {@code tend.yaml}; {@code section.field} for a field of a mapping ({@code log.level})
 * @param option   the command-line flag, e.g. {@code --socket}
 * @param env      the environment variable, e.g. {@code TEND_SOCKET}
 * @param expected what a value must be, for errors: {@code a path}
 */
public record ConfigKey(String key, String option, String env, String expected) {

    /** Whether the key is a field of a mapping ({@code log.level}), not a top-level key. */
    public boolean nested() {
        return key.indexOf('.') > 0 && !key.startsWith("plugin.");
    }

    /** The top-level key of the file that holds it: {@code log} for {@code log.level}. */
    public String topLevel() {
        return nested() ? key.substring(0, key.indexOf('.')) : key;
    }
}
