package dev.tend.watchers.plugins;

/** What one run found, named as in the reference's events ({@code previous_outcome}). */
enum ManagerOutcome {
    UNKNOWN("unknown"),
    SKIPPED("skipped"),
    ERROR("error"),
    UPDATED("updated"),
    UNCHANGED("unchanged");

    private final String text;

    ManagerOutcome(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }
}
