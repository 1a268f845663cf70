package dev.tend.cli.settings;

import java.nio.file.Path;

/**
 * Where a setting's value came from: a command-line flag, an environment variable, a line of a config file, or the
 * built-in default. {@link #toString()} is how {@code tend config} shows it.
 *
 * @param kind what gave the value
 * @param name the flag ({@code --socket}) or the variable ({@code TEND_SOCKET}); null for a file or the default
 * @param file the config file, for {@link Kind#FILE}; else null
 * @param line the value's 1-based line in {@code file}, for {@link Kind#FILE}; else 0
 */
public record Source(Kind kind, String name, Path file, int line) {

    /** What gave a value, strongest first: the order the settings are looked for in. */
    public enum Kind {
        FLAG, ENV, FILE, DEFAULT
    }

    public static Source flag(String option) {
        return new Source(Kind.FLAG, option, null, 0);
    }

    public static Source env(String variable) {
        return new Source(Kind.ENV, variable, null, 0);
    }

    public static Source file(Path file, int line) {
        return new Source(Kind.FILE, null, file, line);
    }

    public static Source defaults() {
        return new Source(Kind.DEFAULT, null, null, 0);
    }

    /** {@code flag --socket}, {@code env TEND_SOCKET}, {@code /etc/tend/tend.yaml:3} or {@code default}. */
    @Override
    public String toString() {
        return switch (kind) {
            case FLAG -> "flag " + name;
            case ENV -> "env " + name;
            case FILE -> file + ":" + line;
            case DEFAULT -> "default";
        };
    }
}
