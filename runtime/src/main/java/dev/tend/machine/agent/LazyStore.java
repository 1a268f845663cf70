package dev.tend.machine.agent;

import dev.tend.kv.KvStore;

import java.util.function.Supplier;

/**
 * The agent's KV store, opened on first use and then shared: most machines never touch the store, and an agent must
 * start when the store is not there yet. A failed open throws to the caller (a watcher retries) and is tried again by
 * the next caller. Thread-safe; {@link #close()} closes the store if it was opened.
 */
public final class LazyStore implements Supplier<KvStore>, AutoCloseable {

    private final Supplier<KvStore> opener;
    private KvStore store;
    private boolean closed;

    /** @param opener opens the store, e.g. {@code () -> KvStore.open(url)}; may throw a {@code KvException} */
    public LazyStore(Supplier<KvStore> opener) {
        this.opener = opener;
    }

    @Override
    public synchronized KvStore get() {
        if (closed) {
            throw new IllegalStateException("the agent's store was closed");
        }
        if (store == null) {
            store = opener.get();
        }
        return store;
    }

    /** Whether the store was opened (for tests and status). */
    public synchronized boolean isOpen() {
        return store != null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
