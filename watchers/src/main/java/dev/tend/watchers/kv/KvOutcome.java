package dev.tend.watchers.kv;

import java.util.Locale;

/** What a kv watcher's last read or sync found; its lower-case name is the {@code state} field of its state. */
enum KvOutcome {
    /** Nothing read yet. */
    UNKNOWN,
    /** The store, the bucket, the key's template or the machine data failed: {@code fail_transition}. */
    ERROR,
    /** The value (or the map) changed, or a change is forced by on_successful_get / on_matching_update: success. */
    CHANGED,
    /** Read, and equal to what the machine data holds. */
    UNCHANGED,
    /** The watcher is not active. */
    SKIPPED;

    String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
