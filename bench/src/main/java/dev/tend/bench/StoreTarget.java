package dev.tend.bench;

import java.util.function.LongConsumer;

/**
 * One way of reaching a bucket, for the embedded-vs-NATS comparison: a Tend {@link dev.tend.kv.Bucket} (embedded or
 * on NATS) or a raw jnats {@link io.nats.client.KeyValue}. Each call does what a caller of that API would do with the
 * result and nothing more, so that the comparison measures the layers, not the harness.
 */
interface StoreTarget {

    /** The column this target is reported under. */
    String name();

    /** Puts the value; returns the write's revision. */
    long put(String key, byte[] value) throws Exception;

    /** Reads the key's latest value; returns its revision. Fails when the key has no value. */
    long get(String key) throws Exception;

    /** Reads the key's history; returns how many entries it has. */
    int history(String key) throws Exception;

    /** Watches every key for new writes only, calling {@code onRevision} with each delivered entry's revision. */
    AutoCloseable watchUpdates(LongConsumer onRevision) throws Exception;
}
