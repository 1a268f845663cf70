package dev.tend.watchers.archive;

/**
 * What a check of {@code target/creates} found: {@code VERIFIED}, or why it must be deployed again (the reference's
 * internal {@code no_creates}, {@code no_checksums}, {@code verify_failed}, which it never reports as outcomes).
 * {@code detail} is a one-line reason, empty when verified.
 */
record InstalledState(Kind kind, String detail) {

    enum Kind { VERIFIED, NO_CREATES, NO_CHECKSUMS, VERIFY_FAILED }

    static final InstalledState VERIFIED = new InstalledState(Kind.VERIFIED, "");

    boolean verified() {
        return kind == Kind.VERIFIED;
    }
}
