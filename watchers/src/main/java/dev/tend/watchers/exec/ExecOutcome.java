package dev.tend.watchers.exec;

/** The outcomes of an exec run, as the state event's {@code previous_outcome} names them (the reference's). */
enum ExecOutcome {
    /** No run yet. */
    UNKNOWN("unknown"),
    /** The watcher was not active when a run was due: nothing ran, nothing fired. */
    SKIPPED("skipped"),
    ERROR("error"),
    SUCCESS("success");

    private final String text;

    ExecOutcome(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }
}
