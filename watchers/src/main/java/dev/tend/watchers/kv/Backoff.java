package dev.tend.watchers.kv;

import java.time.Duration;

/**
 * Growing delays between retries: 1 s, 2 s, 4 s ... up to {@link #CAP}; for a bucket that does not exist yet a quicker
 * sequence of its own, 100 ms, 200 ms, 400 ms ... up to a cap ({@link #nextMissingBucket}); {@link #reset()} after a
 * success restarts both.
 */
final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(30);
    /** The first wait for a bucket that does not exist yet: one created just after the watcher started is seen soon. */
    static final Duration MISSING_BUCKET_FIRST = Duration.ofMillis(100);
    /** The longest wait for a bucket that does not exist yet. */
    static final Duration MISSING_BUCKET = Duration.ofSeconds(2);

    private Duration next = FIRST;
    private Duration nextMissing = MISSING_BUCKET_FIRST;

    Duration next() {
        Duration now = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(CAP) > 0 ? CAP : doubled;
        return now;
    }

    /** The next wait before looking again for a missing bucket: doubling from {@link #MISSING_BUCKET_FIRST} to {@code cap}. */
    Duration nextMissingBucket(Duration cap) {
        Duration now = nextMissing.compareTo(cap) > 0 ? cap : nextMissing;
        Duration doubled = nextMissing.multipliedBy(2);
        nextMissing = doubled.compareTo(MISSING_BUCKET) > 0 ? MISSING_BUCKET : doubled;
        return now;
    }

    void reset() {
        next = FIRST;
        nextMissing = MISSING_BUCKET_FIRST;
    }
}
