package dev.tend.kv;

/** A running watch. Closing it stops delivery; the listener's {@link WatchListener#onEnd()} is then called. */
public interface Watch extends AutoCloseable {

    /** True until the watch has ended (closed, failed, or its bucket was removed). */
    boolean isActive();

    @Override
    void close();
}
