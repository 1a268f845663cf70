package dev.tend.kv.embedded;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much log a process's point reads and writes ({@link PointRead}, {@link PointWrite}) have decoded after the
 * snapshot, against {@link #BUDGET_BYTES}. Each of them decodes the whole tail after the snapshot again, so without
 * a bound a process starting on a bucket with a long tail decoded it once per read or write until it loaded the index
 * ({@link BucketEngine#POINT_READS_BEFORE_INDEX} times), and then once more: a writer process's start-up grew with the
 * tail. With it a process decodes at most the budget that way, then loads the index, which replays the tail once and
 * afterwards reads only new records. Thread-safe.
 */
final class PointTail {
    /** The most log all point reads and writes of one process decode together: one tail at its longest. */
    static final long BUDGET_BYTES = PointRead.MAX_TAIL_BYTES;

    private final AtomicLong decoded = new AtomicLong();

    /** True while point reads and writes may still decode log. */
    boolean open() {
        return decoded.get() < BUDGET_BYTES;
    }

    /** The most log the next point read or write may decode: beyond it, it leaves the work to the index. */
    long allowed() {
        return Math.min(PointRead.MAX_TAIL_BYTES, BUDGET_BYTES - decoded.get());
    }

    /** A point read or write decoded {@code bytes} of log. */
    void decoded(long bytes) {
        decoded.addAndGet(bytes);
    }

    /** Bytes decoded so far (tests). */
    long decoded() {
        return decoded.get();
    }
}
