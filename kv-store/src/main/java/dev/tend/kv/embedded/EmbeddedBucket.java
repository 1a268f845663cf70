package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.Names;
import dev.tend.kv.Operation;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A handle on a bucket by name. Each call goes to the bucket's current engine, so a handle keeps working when
 * another process removes and re-creates the bucket, as a JetStream handle does.
 */
final class EmbeddedBucket implements Bucket {
    private final EmbeddedKvStore store;
    private final String name;

    EmbeddedBucket(EmbeddedKvStore store, String name) {
        this.store = store;
        this.name = name;
    }

    private BucketEngine engine() {
        return store.engine(name);
    }

    @Override
    public String name() {
        return name;
    }

    private long write(Operation op, String key, byte[] value, WriteRequest.Check check, long expected) {
        Names.checkKey(key);
        Objects.requireNonNull(value, "value");
        return engine().submit(new WriteRequest(op, key, value, check, expected));
    }

    private static long checkRevision(long expected) {
        if (expected < 0) {
            throw new InvalidInputException("an expected revision must be 0 or more, not " + expected);
        }
        return expected;
    }

    @Override
    public long put(String key, byte[] value) {
        return write(Operation.PUT, key, value, WriteRequest.Check.NONE, 0);
    }

    @Override
    public long create(String key, byte[] value) {
        return write(Operation.PUT, key, value, WriteRequest.Check.CREATE, 0);
    }

    @Override
    public long update(String key, byte[] value, long expectedRevision) {
        return write(Operation.PUT, key, value, WriteRequest.Check.REVISION, checkRevision(expectedRevision));
    }

    @Override
    public Optional<Entry> get(String key) {
        Names.checkKey(key);
        return engine().get(key, 0);
    }

    @Override
    public Optional<Entry> get(String key, long revision) {
        Names.checkKey(key);
        return revision <= 0 ? Optional.empty() : engine().get(key, revision);
    }

    @Override
    public long delete(String key) {
        return write(Operation.DEL, key, new byte[0], WriteRequest.Check.NONE, 0);
    }

    @Override
    public long delete(String key, long expectedRevision) {
        return write(Operation.DEL, key, new byte[0], WriteRequest.Check.REVISION, checkRevision(expectedRevision));
    }

    @Override
    public long purge(String key) {
        return write(Operation.PURGE, key, new byte[0], WriteRequest.Check.NONE, 0);
    }

    @Override
    public long purge(String key, long expectedRevision) {
        return write(Operation.PURGE, key, new byte[0], WriteRequest.Check.REVISION,
                checkRevision(expectedRevision));
    }

    @Override
    public List<Entry> history(String key) {
        Names.checkKey(key);
        return engine().history(key);
    }

    @Override
    public List<String> keys(List<String> filters) {
        return engine().keys(KeyFilter.of(filters));
    }

    @Override
    public Watch watch(List<String> filters, WatchOptions options, WatchListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        return engine().watch(KeyFilter.of(filters), options, listener);
    }

    @Override
    public long purgeDeletes(Duration olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        return compact(Compaction.purgeDeletes(olderThan));
    }

    @Override
    public void purgeAll() {
        compact(Compaction.clear());
    }

    private long compact(Compaction policy) {
        BucketEngine e = engine();
        try {
            return e.compact(policy);
        } catch (IOException ex) {
            throw e.ioFailure("compact", ex);
        }
    }

    @Override
    public BucketStatus status() {
        return engine().status();
    }

    @Override
    public String toString() {
        return "Bucket[" + name + " in " + store.url() + "]";
    }

    /** For tests and tools: compacts now, as the background would. */
    void compactNow() {
        compact(Compaction.trim());
    }
}
