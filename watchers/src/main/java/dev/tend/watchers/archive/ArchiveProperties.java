package dev.tend.watchers.archive;

import dev.tend.machine.spi.WatcherProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An archive watcher's decoded properties, as written (templates not rendered).
 *
 * @param source          the archive's URL (a template): {@code http://}, {@code https://}, {@code file:///PATH} or
 *                        {@code kv://BUCKET/KEY}
 * @param checksum        the archive's SHA-256 (a template)
 * @param creates         the one directory the archive holds, kept as {@code target/creates}
 * @param target          where {@code creates} goes, absolute (a relative one was resolved against the machine's
 *                        directory)
 * @param verify          the {@code sha256sum} file inside {@code creates}; empty: none
 * @param verifyChecksum  that file's SHA-256 (a template); empty without {@code verify}
 * @param username        basic authentication's user (a template); empty: none
 * @param password        basic authentication's password (a template)
 * @param timeout         how long fetching may take (at least {@link #MIN_TIMEOUT})
 * @param insecure        whether TLS certificates and host names go unchecked
 * @param governor        the governor (a template) whose slot a deployment holds; empty: none
 * @param governorTimeout how long a deployment waits for the governor's slot
 */
record ArchiveProperties(String source, String checksum, String creates, Path target, String verify,
                         String verifyChecksum, String username, String password, Duration timeout, boolean insecure,
                         String governor, Duration governorTimeout) {

    static final String SOURCE = "source";
    static final String CHECKSUM = "checksum";
    static final String CREATES = "creates";
    static final String TARGET = "target";
    static final String VERIFY = "verify";
    static final String VERIFY_CHECKSUM = "verify_checksum";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String TIMEOUT = "timeout";
    static final String INSECURE = "insecure";
    static final String GOVERNOR = "governor";
    static final String GOVERNOR_TIMEOUT = "governor_timeout";

    /** The reference's shortest fetch timeout, also its default: a shorter one is raised to it. */
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(5);
    /** The reference's wait for a governor's slot when {@code governor_timeout} is unset (or 0). */
    static final Duration DEFAULT_GOVERNOR_TIMEOUT = Duration.ofMinutes(5);
    /** The reference's shortest {@code interval} (0, the default, runs only at start and on state changes). */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

    static ArchiveProperties of(WatcherProperties p, Path machineDirectory) {
        Duration timeout = p.duration(TIMEOUT);
        Duration governorTimeout = p.duration(GOVERNOR_TIMEOUT);
        return new ArchiveProperties(orEmpty(p.string(SOURCE)), orEmpty(p.string(CHECKSUM)),
                orEmpty(p.string(CREATES)).strip(), machineDirectory.resolve(orEmpty(p.string(TARGET)).strip()),
                orEmpty(p.string(VERIFY)).strip(), orEmpty(p.string(VERIFY_CHECKSUM)), orEmpty(p.string(USERNAME)),
                orEmpty(p.string(PASSWORD)), timeout.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : timeout,
                p.bool(INSECURE), orEmpty(p.string(GOVERNOR)),
                governorTimeout.isZero() || governorTimeout.isNegative() ? DEFAULT_GOVERNOR_TIMEOUT : governorTimeout);
    }

    boolean hasVerify() {
        return !verify.isEmpty();
    }

    boolean hasUsername() {
        return !username.isEmpty();
    }

    boolean hasGovernor() {
        return !governor.isBlank();
    }

    /** {@code target/creates}, what one deployment at a time may replace. */
    Path createsPath() {
        return target.resolve(creates).normalize();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return "ArchiveProperties[source=" + source + ", creates=" + creates + ", target=" + target + "]";
    }
}
