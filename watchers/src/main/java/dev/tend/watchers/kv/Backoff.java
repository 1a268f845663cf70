package dev.tend.watchers.kv;

import java.time.Duration;

/** Growing delays between retries: 1 s, 2 s, 4 s ... up to {@link #CAP}; {@link #reset()} after a success. */
final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(30);
    /** The longest wait for a bucket that does not exist yet. */
    static final Duration MISSING_BUCKET = Duration.ofSeconds(2);

    private Duration next = FIRST;

    Duration next() {
        Duration now = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(CAP) > 0 ? CAP : doubled;
        return now;
    }

    void reset() {
        next = FIRST;
    }
}
