package dev.tend.kv.embedded;

import dev.tend.kv.KvException;

/**
 * A write batch that this process, not having loaded the bucket's index, could not validate from the snapshot and
 * the log ({@link PointWrite}): nothing was written, and the engine makes the write again after loading the index.
 * Never reaches a caller of the store.
 */
final class IndexNeededException extends KvException {
    IndexNeededException(String bucket) {
        super("bucket " + bucket + ": the write needs the bucket's index");
    }
}
