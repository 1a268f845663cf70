package dev.tend.watchers.file;

import java.util.Locale;

/** What a check of the file found; the text is the state event's {@code previous_outcome}. */
enum FileOutcome {
    UNKNOWN, ERROR, SKIPPED, UNCHANGED, CHANGED;

    String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
