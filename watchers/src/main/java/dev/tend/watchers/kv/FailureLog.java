package dev.tend.watchers.kv;

import org.slf4j.Logger;

/**
 * Logs a failure once per kind, not on every retry: a store that is down for an hour, or a bucket nobody created yet,
 * makes one warning, and one line when it works again. Not thread-safe: used only on its watcher's lane.
 */
final class FailureLog {

    private final Logger log;
    private String kind;

    FailureLog(Logger log) {
        this.log = log;
    }

    /** @param kind what failed (e.g. {@code store}, {@code bucket}); a new kind is logged again */
    void failed(String kind, String message) {
        if (!kind.equals(this.kind)) {
            this.kind = kind;
            log.warn("{} (retrying; logged once until it works or fails differently)", message);
        } else {
            log.debug("{}", message);
        }
    }

    /** The last attempt worked: says so once if something had failed. */
    void recovered(String what) {
        if (kind != null) {
            kind = null;
            log.info("{}", what);
        }
    }

    boolean isFailing() {
        return kind != null;
    }

    /** Whether the current run of failures is of this kind. */
    boolean isFailing(String what) {
        return what.equals(kind);
    }
}
