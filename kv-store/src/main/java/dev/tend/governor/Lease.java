package dev.tend.governor;

import java.time.Instant;

/** A slot held in a governor. Closing it releases the slot; closing it again does nothing. Safe from any thread. */
public interface Lease extends AutoCloseable {

    /** The governor's name. */
    String governor();

    /** The slot's number, from 1. */
    int slot();

    /** When the slot was claimed, in the store's time. */
    Instant since();

    /**
     * Releases the slot if this lease still holds it.
     *
     * @return false when it no longer did (taken over after the hold time, evicted, the governor removed) or was
     *         already released
     */
    boolean release();

    /** {@link #release()}, ignoring its answer; store errors are logged, not thrown. */
    @Override
    void close();
}
