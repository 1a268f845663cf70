package dev.tend.watchers.archive;

import java.util.Objects;

/**
 * What the archive watchers of one factory share: the size limits and the {@code User-Agent} of HTTP requests. Tests
 * make their own; the agent uses {@link #defaults()}.
 *
 * @param limits    how large an archive and what it holds may be
 * @param userAgent the {@code User-Agent} header of HTTP requests
 */
record ArchiveSettings(ArchiveLimits limits, String userAgent) {

    ArchiveSettings {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(userAgent, "userAgent");
    }

    /** {@link ArchiveLimits#DEFAULT}, and {@code Tend Archive Watcher VERSION}. */
    static ArchiveSettings defaults() {
        String version = ArchiveSettings.class.getPackage().getImplementationVersion();
        return new ArchiveSettings(ArchiveLimits.DEFAULT,
                "Tend Archive Watcher " + (version == null ? "development" : version));
    }
}
