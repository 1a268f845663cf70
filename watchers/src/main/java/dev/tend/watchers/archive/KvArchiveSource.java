package dev.tend.watchers.archive;

import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads an archive stored as the value of a key in the agent's store: {@code kv://BUCKET/KEY} (the key may hold
 * {@code /}). The whole value is read (a store's values are bounded: see docs/watchers.md), then refused when it is
 * over the cap, with its size, before anything is written.
 */
final class KvArchiveSource {

    static final String SCHEME = "kv";
    private static final String PREFIX = SCHEME + "://";

    /** A {@code kv://} source's parts. */
    record Location(String bucket, String key) {
        @Override
        public String toString() {
            return PREFIX + bucket + "/" + key;
        }
    }

    private final Supplier<KvStore> store;

    /** @param store the agent's store, opened on first use; it throws a {@link KvException} while unavailable */
    KvArchiveSource(Supplier<KvStore> store) {
        this.store = store;
    }

    /** Whether {@code source} names a {@code kv://} source (its case as written). */
    static boolean isKv(String source) {
        return source.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** {@code kv://BUCKET/KEY}'s parts, both checked as the store checks names. */
    static Location parse(String source) throws ArchiveFailure {
        String rest = source.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new ArchiveFailure("source " + source + " is not kv://BUCKET/KEY");
        }
        String bucket = rest.substring(0, slash);
        String key = rest.substring(slash + 1);
        try {
            Names.checkBucketName(bucket);
            Names.checkKey(key);
        } catch (KvException e) {
            throw new ArchiveFailure("source " + source + ": " + e.getMessage());
        }
        return new Location(bucket, key);
    }

    /** Writes the value of {@code source}'s key into {@code into} (created or replaced), at most {@code maxBytes}. */
    void fetch(String source, Path into, long maxBytes) throws ArchiveFailure {
        Location at = parse(source);
        Optional<Entry> entry;
        try {
            entry = store.get().bucket(at.bucket()).get(at.key());
        } catch (KvException e) {
            throw new ArchiveFailure("cannot read " + at + ": " + oneLine(e.getMessage()), e);
        }
        if (entry.isEmpty()) {
            throw new ArchiveFailure("cannot read " + at + ": bucket " + at.bucket() + " has no key " + at.key());
        }
        byte[] value = entry.get().value();
        if (value.length > maxBytes) {
            throw new ArchiveFailure("source " + at + " is " + value.length + " bytes, over the limit of " + maxBytes);
        }
        try {
            Files.write(into, value, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new ArchiveFailure("cannot write the archive from " + at + ": " + IoText.of(e), e);
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("[\\r\\n]+", " ");
    }
}
