package dev.tend.kv;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A bucket of keys with per-key history. Every write takes the bucket's next revision. A handle is safe to use
 * from many threads; it stays valid while its store is open and the bucket exists.
 */
public interface Bucket {

    /** The bucket's name. */
    String name();

    /** Stores a value and returns its revision. */
    long put(String key, byte[] value);

    /** Stores a UTF-8 string value. */
    default long put(String key, String value) {
        return put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stores a value only if the key has no entries or its latest is a delete or purge marker.
     *
     * @throws KeyExistsException when the key holds a value
     */
    long create(String key, byte[] value);

    /**
     * Stores a value only if the key's latest revision, of any operation, is {@code expectedRevision}
     * (0: the key has no entries).
     *
     * @throws WrongRevisionException when it is not
     */
    long update(String key, byte[] value, long expectedRevision);

    /** The key's latest entry, or empty when it has none or the latest is a marker (or has expired). */
    Optional<Entry> get(String key);

    /** The entry at {@code revision} if it is a retained value of this key; empty otherwise. */
    Optional<Entry> get(String key, long revision);

    /**
     * The key's latest entry.
     *
     * @throws UnknownKeyException when there is none
     */
    default Entry getExisting(String key) {
        Optional<Entry> e = get(key);
        if (e.isEmpty()) {
            throw new UnknownKeyException(name(), key);
        }
        return e.get();
    }

    /** Writes a delete marker; the key reads as unknown and its history is kept. Returns the marker's revision. */
    long delete(String key);

    /** A delete that only succeeds if the key's latest revision is {@code expectedRevision}. */
    long delete(String key, long expectedRevision);

    /** Writes a purge marker and drops every earlier entry of the key. Returns the marker's revision. */
    long purge(String key);

    /** A purge that only succeeds if the key's latest revision is {@code expectedRevision}. */
    long purge(String key, long expectedRevision);

    /** Every retained entry of the key, oldest first, markers included; empty when there are none. */
    List<Entry> history(String key);

    /** The keys whose latest entry is a value, sorted. */
    default List<String> keys() {
        return keys(List.of());
    }

    /** The keys matching any of the filters whose latest entry is a value, sorted; no filters means all keys. */
    List<String> keys(List<String> filters);

    /**
     * Watches the keys matching any of the filters (none: every key). Entries are delivered to the listener as
     * {@link WatchListener} says; the returned handle stops the watch.
     */
    Watch watch(List<String> filters, WatchOptions options, WatchListener listener);

    /** Watches one key or filter with default options. */
    default Watch watch(String filter, WatchListener listener) {
        return watch(List.of(filter), WatchOptions.defaults(), listener);
    }

    /**
     * Removes delete and purge markers: a key whose latest entry is a marker older than {@code olderThan} loses
     * every entry; one whose marker is newer keeps only the marker (JetStream's PurgeDeletes). A negative
     * duration removes every marker whatever its age. Returns how many keys lost entries.
     */
    long purgeDeletes(java.time.Duration olderThan);

    /** Drops every entry of every key; the bucket, its config and its revision sequence stay. */
    void purgeAll();

    /** The configuration and what the bucket holds now. */
    BucketStatus status();
}
