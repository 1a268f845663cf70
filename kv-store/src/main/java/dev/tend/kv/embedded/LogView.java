package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What this process has read of a bucket's log: the generation it has open, its index of that generation's records,
 * and how far into the log the index goes. One read-write lock guards it all. Reads take the read lock; the index
 * and the generation change only under the write lock, which is held for microseconds (applying a forced batch,
 * replaying, switching generation), never across a force.
 *
 * <p>The generation and the length are also read without the lock, by the check for news from other processes
 * ({@link BucketEngine#refresh}). The generation is one reference, so no reader pairs one generation's log with
 * another's config.
 */
final class LogView {
    private final StorageIo io;
    private final Path dir;
    /** Null when the store is read-only here (such a process writes no snapshot). */
    private final BucketLock bucketLock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** The generation this process has open; null only until the engine opens its first. */
    private volatile Generation generation;
    /** The index of the records up to {@link #length}; null until the engine loads it (point reads need none). */
    private KeyIndex index;
    /**
     * Bytes of the log applied to the index. A record is applied only once it is durable (forced, in durable mode),
     * so this is also how far watches may read; the head lags behind it while this process publishes a batch.
     */
    private volatile long length;
    /**
     * The generation and the length the last snapshot this process loaded or wrote covers (where the records start,
     * without one). With its generation, so that a snapshot of a generation left behind, written after the switch,
     * does not count for the next.
     */
    private volatile SnapshotMark snapshotMark = new SnapshotMark(0, 0);

    private record SnapshotMark(long generation, long length) {
    }

    LogView(StorageIo io, Path dir, BucketLock bucketLock) {
        this.io = io;
        this.dir = dir;
        this.bucketLock = bucketLock;
    }

    ReentrantReadWriteLock.ReadLock readLock() {
        return lock.readLock();
    }

    ReentrantReadWriteLock.WriteLock writeLock() {
        return lock.writeLock();
    }

    Generation generation() {
        return generation;
    }

    /** The index; the caller holds a lock. */
    KeyIndex index() {
        return index;
    }

    long length() {
        return length;
    }

    /**
     * Switches to {@code next} and closes the log of the generation before (unless it is {@code next}); the index
     * waits. Write lock held.
     */
    void open(Generation next) {
        Generation old = generation;
        generation = next;
        if (old != null && old != next) {
            BucketEngine.closeQuietly(old.log());
        }
    }

    /** Switches to {@code next} and starts its index from its snapshot if one is usable. Write lock held. */
    void load(Generation next) {
        open(next);
        HintFile.Snapshot snap = HintFile.read(io, dir, next.number(), next.log(), next.recordsStart());
        if (snap != null) {
            index = snap.index();
            index.restoreCounters(next.header().startRevision(), 0, next.header().droppedThrough());
            length = snap.offset();
        } else {
            index = new KeyIndex(next.header().startRevision(), next.header().droppedThrough());
            length = next.recordsStart();
        }
        snapshotMark = new SnapshotMark(next.number(), length);
    }

    /** Applies the records up to {@code target}; false if one is damaged or missing. Write lock held. */
    boolean replayTo(long target) throws IOException {
        if (target <= length) {
            return target == length;
        }
        Generation g = generation;
        LogReader r = new LogReader(g.log(), length, target);
        int history = g.config().history();
        LogRecord rec;
        while ((rec = r.next()) != null) {
            index.apply(rec, history);
        }
        length = r.position();
        return length == target;
    }

    /** This process applied its own batch, which ends at {@code end}, to the index. Write lock held. */
    void advanceTo(long end) {
        length = end;
    }

    /** Drops entries created at or before {@code cutoffNanos} from the index (TTL; reads already skip them). */
    void expire(long cutoffNanos) {
        lock.writeLock().lock();
        try {
            index.expire(cutoffNanos);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Writes an index snapshot of what this process has read (docs/embedded-engine.md, The index). The snapshot is
     * encoded under the read lock, a copy as of {@link #length}; it is written and forced after the lock is released,
     * so writers applying their batches do not wait for the disk. The writing holds the snapshot lock, so that no
     * process takes its temporary file for one a crash left; a compaction of this process takes that lock too
     * (writing its own snapshot) before it deletes the generation's files.
     */
    void writeSnapshot() throws IOException {
        HintFile.Encoded snap;
        lock.readLock().lock();
        try {
            // The sorted keys answer keys only without a TTL (expiry needs each entry's time): not written with one.
            snap = HintFile.encode(generation.number(), length, index, !generation.config().hasTtl());
        } finally {
            lock.readLock().unlock();
        }
        if (bucketLock == null) {
            writeEncoded(snap);
        } else {
            bucketLock.runWritingSnapshot(() -> writeEncoded(snap));
        }
    }

    /**
     * Writes {@code snap} unless this process has moved to another generation since it was encoded (a compaction, or
     * catching up with another process's): the files of a generation before the open one are deleted, and this one
     * would outlive them. A move after the check is seen after the write, and what was written is deleted.
     */
    private void writeEncoded(HintFile.Encoded snap) throws IOException {
        if (generation.number() != snap.generation()) {
            return;
        }
        snap.write(io, dir);
        snapshotMark = new SnapshotMark(snap.generation(), snap.offset());
        if (generation.number() != snap.generation()) {
            Files.deleteIfExists(HintFile.path(dir, snap.generation()));
            Files.deleteIfExists(SortedKeysFile.path(dir, snap.generation()));
        }
    }

    /** Log bytes not covered by the last snapshot. */
    long bytesSinceSnapshot() {
        SnapshotMark m = snapshotMark;
        Generation g = generation;
        return length - (m.generation() == g.number() ? m.length() : g.recordsStart());
    }

    /** Log bytes that hold no retained entry: what a compaction would reclaim. A lock is held. */
    long deadBytes() {
        return length - generation.recordsStart() - index.bytes();
    }
}
