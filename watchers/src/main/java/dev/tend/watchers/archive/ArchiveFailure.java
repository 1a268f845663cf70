package dev.tend.watchers.archive;

/** Why an archive could not be fetched, verified, extracted or swapped in: a one-line message for events and logs. */
final class ArchiveFailure extends Exception {

    private static final long serialVersionUID = 1L;

    ArchiveFailure(String message) {
        super(message);
    }

    ArchiveFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
