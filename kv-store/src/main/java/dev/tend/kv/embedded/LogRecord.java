package dev.tend.kv.embedded;

import dev.tend.kv.Entry;
import dev.tend.kv.Operation;

import java.time.Instant;

/** One decoded log record and where it lies in its file. */
record LogRecord(Operation op, long revision, long createdNanos, String key, byte[] value, long offset,
                 int length) {

    long end() {
        return offset + length;
    }

    Entry toEntry(String bucket, long delta, boolean metaOnly) {
        return new Entry(bucket, key, metaOnly ? new byte[0] : value, revision, Times.instant(createdNanos), delta,
                op);
    }
}
