package dev.tend.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A key-value store: a set of buckets on one backend. Open one with {@link #open(String)} or, to inject a clock,
 * executors or a durability setting, {@link #builder()}. Closing the store ends its watches.
 *
 * <p>Store URLs: {@code file:///var/lib/tend/kv} (or a plain path) for the embedded backend;
 * {@code nats://host:4222[,host:4222...]} for NATS JetStream.
 */
public interface KvStore extends AutoCloseable {

    /** Opens a store with default options. */
    static KvStore open(String url) {
        return builder().url(url).build();
    }

    /** The one entry point for options. */
    static KvStoreBuilder builder() {
        return new KvStoreBuilder();
    }

    /**
     * Creates a bucket. Creating one that exists with an equal config returns it (a no-op).
     *
     * @throws BucketExistsException when it exists with another config
     */
    Bucket create(BucketConfig config);

    /**
     * Changes an existing bucket's config where the backend allows it.
     *
     * @throws UnknownBucketException when it does not exist
     */
    Bucket update(BucketConfig config);

    /**
     * A handle on an existing bucket.
     *
     * @throws UnknownBucketException when it does not exist
     */
    Bucket bucket(String name);

    /** True when the bucket exists. */
    boolean exists(String name);

    /** The names of every bucket, sorted. */
    List<String> bucketNames();

    /** The status of every bucket, sorted by name. */
    default List<BucketStatus> list() {
        // A loop rather than a stream and a lambda, which cost a short command milliseconds to set up.
        List<BucketStatus> statuses = new ArrayList<>();
        for (String name : bucketNames()) {
            statuses.add(bucket(name).status());
        }
        return Collections.unmodifiableList(statuses);
    }

    /**
     * Removes a bucket and everything in it; its watches end.
     *
     * @throws UnknownBucketException when it does not exist
     */
    void delete(String name);

    /**
     * Creates a bucket from a backup: its config and its retained entries in revision order, markers included.
     * A backend that {@linkplain BackendGuarantees#preservesRevisions() preserves revisions} writes each entry
     * with its own revision and time; another writes them in order and gives them new revisions.
     *
     * @throws BucketExistsException when the bucket exists
     * @throws InvalidInputException when the entries are not in increasing revision order or name other buckets
     */
    Bucket restore(BucketConfig config, Iterable<Entry> entries);

    /**
     * Calls {@code listener} soon after the bucket {@code name} is created, until the returned handle is closed; on a
     * thread of the store's, which the listener must not block. A hint only: the backend may miss a creation or not
     * offer this at all (the default never calls the listener), so whoever waits for a bucket keeps looking for it
     * too, and looks again when told.
     */
    default CreationNotice whenCreated(String name, Runnable listener) {
        Names.checkBucketName(name);
        return () -> {
        };
    }

    /** Stops the calls of a {@link #whenCreated} listener; closing it again does nothing. */
    interface CreationNotice extends AutoCloseable {
        @Override
        void close();
    }

    /** What this backend guarantees. */
    BackendGuarantees guarantees();

    /** The backend's name: {@code embedded} or {@code nats}. */
    String backend();

    /** Where the store is, as a URL without secrets. */
    String url();

    /** Ends watches and releases files and connections. */
    @Override
    void close();
}
