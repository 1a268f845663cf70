package dev.tend.machine;

import java.nio.file.Path;

/**
 * One thing wrong with a machine file, located for a person to fix: {@code machine.yaml:14: watcher "check": unknown
 * transition "fire_9"}.
 *
 * @param file    the file (printed as given)
 * @param line    1-based line, 0 when the problem concerns the whole file
 * @param where   what it concerns, e.g. {@code watcher "check"} or {@code watcher "check" property "timeout"}; may be empty
 * @param message what is wrong, and where possible what would be right
 */
public record Problem(Path file, int line, String where, String message) {
    public Problem {
        where = where == null ? "" : where;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(file);
        if (line > 0) {
            s.append(':').append(line);
        }
        s.append(": ");
        if (!where.isEmpty()) {
            s.append(where).append(": ");
        }
        return s.append(message).toString();
    }
}
