package dev.tend.kv.spi;

import dev.tend.kv.KvStore;

/**
 * A backend, found with {@link java.util.ServiceLoader}: it serves the store URLs of one scheme.
 * Not for applications: they call {@link KvStore#open(String)}.
 */
public interface KvBackendProvider {

    /** The URL scheme served, e.g. {@code file} or {@code nats}. */
    String scheme();

    /** Opens a store. Errors are {@link dev.tend.kv.KvException}s with one-line messages. */
    KvStore open(KvStoreOptions options);
}
