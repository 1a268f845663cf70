package dev.tend.kv;

/**
 * Receives a watch's entries. Calls for one watch are made one at a time, in revision order, on a thread of the
 * store's watch executor (embedded) or on the watch's own thread (NATS); a slow listener delays only its own watch.
 */
public interface WatchListener {

    /** An entry: first the initial ones, then live writes. */
    void onEntry(Entry entry);

    /** Every initial entry has been delivered. Called exactly once per watch, also when nothing matched. */
    void onCaughtUp();

    /**
     * The watch ended because of an error, e.g. {@link FellBehindException}, or {@link BucketReplacedException} when
     * its bucket was removed or replaced other than through the store; nothing more is delivered. The default does
     * nothing.
     */
    default void onError(KvException error) {
    }

    /** The watch ended without error: it was closed, its bucket was removed or the store closed. */
    default void onEnd() {
    }
}
