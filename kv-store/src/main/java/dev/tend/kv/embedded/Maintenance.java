package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.UnknownBucketException;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decides when a bucket needs upkeep, and does it on the store's maintenance thread: dropping TTL-expired entries
 * from the index, a background trim once enough of the log is dead, an index snapshot once enough log was written
 * since the last (and when a process that read or wrote much closes). It runs every 30 seconds for every bucket
 * whose index is loaded, and after a write that made it due.
 *
 * <p>The engine creates it when the index is first maintained, so a process that only reads never loads it.
 */
final class Maintenance {
    private static final LazyLogger LOG = new LazyLogger(Maintenance.class);
    /** Background compaction starts when at least this many bytes of the log are dead... */
    static final long COMPACT_MIN_DEAD_BYTES = 8L * 1024 * 1024;
    /** ...and the dead bytes outweigh the live ones. */
    static final double COMPACT_DEAD_RATIO = 0.5;
    /** A long-lived process writes an index snapshot after this many log bytes without one. */
    static final long HINT_INTERVAL_BYTES = 16L * 1024 * 1024;
    /** A closing process writes a snapshot when it replayed or wrote at least this much since the last one. */
    static final long HINT_ON_CLOSE_BYTES = 4L * 1024 * 1024;

    private final BucketEngine engine;
    private final LogView view;
    /** True from scheduling a run until it starts, so a burst of writes queues one run. */
    private final AtomicBoolean queued = new AtomicBoolean();

    Maintenance(BucketEngine engine) {
        this.engine = engine;
        this.view = engine.view;
    }

    /** After a write: schedules a run if the write made one due. */
    void afterWrite() {
        boolean due;
        view.readLock().lock();
        try {
            due = compactionDue() || snapshotDue();
        } finally {
            view.readLock().unlock();
        }
        if (due && queued.compareAndSet(false, true)) {
            engine.store.scheduleMaintenance(engine);
        }
    }

    /** A lock is held. */
    private boolean compactionDue() {
        long dead = view.deadBytes();
        return dead > COMPACT_MIN_DEAD_BYTES && dead > view.length() * COMPACT_DEAD_RATIO;
    }

    /** A lock is held. */
    private boolean snapshotDue() {
        return view.bytesSinceSnapshot() > HINT_INTERVAL_BYTES;
    }

    /** Expires, compacts when worthwhile, snapshots the index when due. Never throws. */
    void run() {
        queued.set(false);
        // A stat every run: the snapshot and the compaction write by path, into whatever directory is there now.
        if (!engine.identity.stillOnDisk()) {
            return;
        }
        try {
            engine.refresh();
            BucketConfig c = view.generation().config();
            if (c.hasTtl()) {
                view.expire(engine.store.nowNanos() - c.ttl().toNanos());
            }
            boolean compact;
            boolean snapshot;
            view.readLock().lock();
            try {
                compact = compactionDue();
                snapshot = snapshotDue();
            } finally {
                view.readLock().unlock();
            }
            if (compact && engine.writable) {
                engine.compact(Compaction.trim());
            } else if (snapshot && engine.writable) {
                view.writeSnapshot();
            }
        } catch (UnknownBucketException | StoreClosedException e) {
            LOG.get().debug("bucket {}: maintenance skipped: {}", engine.name, e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.get().warn("bucket {}: background maintenance failed: {}", engine.name, e.toString());
        }
    }

    /** When a writable process closes the bucket: a snapshot if it read or wrote much since the last one. */
    void beforeClose() {
        boolean snapshot;
        view.readLock().lock();
        try {
            snapshot = view.bytesSinceSnapshot() > HINT_ON_CLOSE_BYTES;
        } finally {
            view.readLock().unlock();
        }
        if (snapshot && engine.identity.stillOnDisk()) {
            try {
                view.writeSnapshot();
            } catch (IOException | RuntimeException e) {
                LOG.get().debug("bucket {}: no index snapshot on close: {}", engine.name, e.toString());
            }
        }
    }
}
