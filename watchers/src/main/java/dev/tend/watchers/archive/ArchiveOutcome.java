package dev.tend.watchers.archive;

/**
 * The outcomes of an archive run, as the state event's {@code previous_outcome} names them (the reference's). Its
 * internal reasons to deploy again ({@code no_creates}, {@code no_checksums}, {@code verify_failed}) are never
 * outcomes: they lead to a deployment, whose outcome is {@code downloaded} or {@code error}.
 */
enum ArchiveOutcome {
    /** No run yet. */
    UNKNOWN("unknown"),
    /** The watcher was not active when a run was due: nothing ran, fired or was published. */
    SKIPPED("skipped"),
    /** The run failed: nothing in the target changed. */
    ERROR("error"),
    /** {@code target/creates} was in place and matched its checksums. */
    VERIFIED("verified"),
    /** A new copy was fetched, verified, extracted and swapped in. */
    DOWNLOADED("downloaded");

    private final String text;

    ArchiveOutcome(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }
}
