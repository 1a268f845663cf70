package dev.tend.kv.nats;

import dev.tend.kv.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A nats-server release number ({@code 2.9.10}, {@code v2.11.0-RC.1}) as the server reports it in its INFO, for
 * refusing servers that lack what Tend uses. A pre-release counts as its release.
 */
record NatsServerVersion(int major, int minor, int patch) implements Comparable<NatsServerVersion> {

    /** Direct gets (allow_direct, also on mirrors), which every read uses, arrived in 2.9.0. */
    static final NatsServerVersion MINIMUM = new NatsServerVersion(2, 9, 0);
    /** Consumers with several filter subjects. */
    static final NatsServerVersion MULTI_FILTER_CONSUMERS = new NatsServerVersion(2, 10, 0);
    /**
     * A purge of some subjects (a KV purge's {@code Nats-Rollup: sub}, a filtered stream purge) moves on only the
     * consumers whose filter lies within them; before, every consumer whose filter matched them skipped to the first
     * message kept, passing over the other subjects' messages it had not sent yet ({@link SkippedEntries}).
     */
    static final NatsServerVersion PURGE_SPARES_OTHER_SUBJECTS = new NatsServerVersion(2, 9, 12);
    /** Per-message TTL (the Nats-TTL header). */
    static final NatsServerVersion PER_MESSAGE_TTL = new NatsServerVersion(2, 11, 0);

    private static final Logger LOG = LoggerFactory.getLogger(NatsServerVersion.class);
    private static final Pattern VERSION = Pattern.compile("v?(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})([-+].*)?");

    /** The version in {@code text}, or empty when it is not {@code major.minor.patch}. */
    static Optional<NatsServerVersion> parse(String text) {
        Matcher m = text == null ? null : VERSION.matcher(text.strip());
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new NatsServerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    /**
     * The version a server reports, checked against {@link #MINIMUM}; empty when it cannot be read (a custom build),
     * which is let through.
     *
     * @throws StoreException when the server is older than Tend supports
     */
    static Optional<NatsServerVersion> require(String reported, String where) {
        Optional<NatsServerVersion> version = parse(reported);
        if (version.isEmpty()) {
            LOG.warn("cannot read the version of the NATS server at {} (\"{}\"): assuming {} or newer", where,
                    reported, MINIMUM);
        } else if (!version.get().atLeast(MINIMUM)) {
            throw new StoreException("the NATS server at " + where + " is version " + version.get() + "; Tend needs "
                    + MINIMUM + " or newer (it reads with direct get)");
        }
        return version;
    }

    boolean atLeast(NatsServerVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(NatsServerVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
