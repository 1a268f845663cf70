package dev.tend.kv.embedded;

import dev.tend.kv.KvException;
import dev.tend.kv.Operation;

/**
 * One write waiting for the group commit. The committing thread fills in the outcome and then sets the volatile
 * {@code done}, which publishes it to the submitting thread.
 */
final class WriteRequest {
    /** The write's precondition. */
    enum Check {
        NONE,
        /** Only if the key has no entries or its latest is a marker. */
        CREATE,
        /** Only if the key's latest revision equals {@link #expected}. */
        REVISION
    }

    final Operation op;
    final String key;
    final byte[] value;
    final Check check;
    final long expected;
    /** The submitting thread, woken when the outcome is in. */
    final Thread waiter = Thread.currentThread();

    private volatile boolean done;
    private long revision;
    private KvException error;

    WriteRequest(Operation op, String key, byte[] value, Check check, long expected) {
        this.op = op;
        this.key = key;
        this.value = value;
        this.check = check;
        this.expected = expected;
    }

    /** The same write, not yet made, for the submitting thread to submit again (after loading the index). */
    WriteRequest again() {
        return new WriteRequest(op, key, value, check, expected);
    }

    void succeed(long rev) {
        this.revision = rev;
        this.done = true;
    }

    void fail(KvException e) {
        this.error = e;
        this.done = true;
    }

    boolean isDone() {
        return done;
    }

    /** The refusal, once done; null when it succeeded. */
    KvException error() {
        return error;
    }

    long revision() {
        return revision;
    }

    /** The revision, or the error thrown in the caller's thread. */
    long outcome() {
        if (error != null) {
            // Re-create the stack in the caller's thread would hide where it failed; the message is what matters.
            throw error;
        }
        return revision;
    }
}
