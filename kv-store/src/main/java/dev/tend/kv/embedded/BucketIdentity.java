package dev.tend.kv.embedded;

import java.io.IOException;

/**
 * Whether the files a {@link BucketEngine} has open are still the bucket's on disk, when to look, and what it means
 * when they are not (docs/embedded-engine.md, A directory removed or replaced behind the store).
 *
 * <p>One {@code stat} of the head answers ({@link HeadFile#stillAtItsPath}): another file at its path, or none, means
 * the bucket's directory was removed or replaced while this process had it open. Then the bucket is gone for the
 * engine. Removed by a store's delete (the head it has open says so: the delete sets the flag before it moves the
 * directory away), its watches end cleanly; removed or replaced otherwise ({@code rm -rf}, a restore into a fresh
 * directory), they end with {@code BucketReplacedException} ({@link #isReplaced}). Either way a handle's next call
 * opens whatever bucket is now on disk.
 *
 * <p>Asked on the poll and inotify's "directory gone" for watched buckets ({@link WatchFeed}), once a second at most
 * on a handle's call ({@link #stillOnDiskRecently}), and before every write batch, compaction, snapshot and index
 * load ({@link #check}), since those change the files or find them by their paths.
 */
final class BucketIdentity {
    private static final LazyLogger LOG = new LazyLogger(BucketIdentity.class);
    /** How often a handle's call checks that the bucket's files are still the ones the engine has open. */
    static final long FILES_RECHECK_NANOS = 1_000_000_000L;

    private final BucketEngine engine;
    private final HeadFile head;
    /** When {@link #stillOnDisk} last looked, in the store's ticks. */
    private volatile long checkedAt;
    /** Set before the engine's deleted flag: the files were removed or replaced other than by a delete of a store. */
    private volatile boolean replaced;

    /** The engine has just opened {@code head}, whose identity was taken then. */
    BucketIdentity(BucketEngine engine, HeadFile head) {
        this.engine = engine;
        this.head = head;
        this.checkedAt = engine.store.ticks(); // the head's identity was just taken
    }

    /**
     * True when the files were the bucket's less than a second ago, or are now ({@link #stillOnDisk}): the handles
     * ask before every call, so the common case is a clock read and a volatile read.
     */
    boolean stillOnDiskRecently() {
        return engine.store.ticks() - checkedAt < FILES_RECHECK_NANOS || stillOnDisk();
    }

    /**
     * Checks, with one {@code stat} of the head, that the files the engine has open are still the bucket's; if not,
     * the engine is marked deleted (and its watches woken), replaced unless the head it has open says a store
     * deleted it. False when gone, closed or deleted.
     */
    boolean stillOnDisk() {
        checkedAt = engine.store.ticks();
        if (!engine.isUsable()) {
            return false;
        }
        if (head.stillAtItsPath()) {
            return true;
        }
        HeadFile.State h;
        try {
            h = head.readUnmapped();
        } catch (IOException e) {
            h = null;
        }
        if (h != null && h.deleted()) {
            engine.markDeleted();
        } else {
            markReplaced();
        }
        return false;
    }

    /** Before the files are changed or found by their paths: refuses if they are no longer the bucket's. */
    void check() {
        if (!stillOnDisk()) {
            engine.checkUsable();
        }
    }

    private void markReplaced() {
        if (!engine.isDeleted()) {
            replaced = true;
            LOG.get().debug("bucket {}: {} was removed or replaced behind the store's back; its watches end",
                    engine.name, engine.dir);
            engine.markDeleted();
        }
    }

    /** True when the bucket's files were removed or replaced other than by a delete of a store (its watches end). */
    boolean isReplaced() {
        return replaced;
    }
}
