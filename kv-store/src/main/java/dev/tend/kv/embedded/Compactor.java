package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites a bucket's log as the next generation, keeping only what a {@link Compaction} keeps, and switches every
 * process to it: the new log is written as {@code log-<g+1>.tkv.tmp}, forced, and renamed into place (the commit
 * point: its header carries the config), then the index is loaded from it, a snapshot written, the head updated
 * and the old log deleted (docs/embedded-engine.md, Compaction).
 *
 * <p>A background trim runs in two phases: the copy of what was committed when it started happens without any lock
 * readers or writers need, then the records written meanwhile are appended under the file lock. The others (purge
 * deletes, clear, a new config) change what writers see, so they hold the file lock throughout.
 *
 * <p>The engine creates its compactor on the first compaction, so a process that only reads never loads it.
 */
final class Compactor {
    private static final LazyLogger LOG = new LazyLogger(Compactor.class);

    private final BucketEngine engine;
    private final LogView view;

    Compactor(BucketEngine engine) {
        this.engine = engine;
        this.view = engine.view;
    }

    /**
     * Compacts by {@code policy} holding the compaction lock; returns how many keys it changed (where that is asked).
     * A background trim gives way (returns 0 at once) to a compaction another process is running.
     */
    long compact(Compaction policy) throws IOException {
        if (!engine.bucketLock.lockCompaction(!policy.background())) {
            return 0;
        }
        try {
            return policy.background() ? compactInBackground(policy) : compactNow(policy);
        } finally {
            engine.bucketLock.unlockCompaction();
        }
    }

    private long compactInBackground(Compaction policy) throws IOException {
        Generation gen;
        long end;
        view.readLock().lock();
        try {
            gen = view.generation();
            end = view.length();
        } finally {
            view.readLock().unlock();
        }
        long g = gen.number();
        Path tmp = freshTmpPath(g + 1);
        long[] result = new long[1];
        try (DataFile src = engine.io.open(gen.path(), false); DataFile out = engine.io.open(tmp, true)) {
            out.truncate(0);
            KeyIndex fresh = new KeyIndex(gen.header().startRevision(), gen.header().droppedThrough());
            replayInto(src, gen, end, fresh);
            long changed = policy.apply(fresh, engine.store.nowNanos(), gen.config());
            long pos = LogCopy.retained(src, fresh, out, gen.recordsStart());
            engine.bucketLock.runExclusive(() -> {
                view.writeLock().lock();
                try {
                    engine.recovery().syncLocked();
                    Generation current = view.generation();
                    if (current.number() != g) {
                        return; // another process compacted meanwhile
                    }
                    long tail = LogCopy.range(current.log(), end, view.length(), out, pos);
                    finishCompaction(out, tmp, fresh, tail, null);
                    result[0] = changed;
                } finally {
                    view.writeLock().unlock();
                }
            });
        } finally {
            Files.deleteIfExists(tmp);
        }
        engine.signalWatches();
        return result[0];
    }

    private long compactNow(Compaction policy) throws IOException {
        long[] result = new long[1];
        Path[] tmpHolder = new Path[1];
        try {
            engine.bucketLock.runExclusive(() -> {
                view.writeLock().lock();
                try {
                    engine.recovery().syncLocked();
                    Generation gen = view.generation();
                    Path tmp = freshTmpPath(gen.number() + 1);
                    tmpHolder[0] = tmp;
                    try (DataFile out = engine.io.open(tmp, true)) {
                        out.truncate(0);
                        KeyIndex fresh = new KeyIndex(gen.header().startRevision(), gen.header().droppedThrough());
                        replayInto(gen.log(), gen, view.length(), fresh);
                        result[0] = policy.apply(fresh, engine.store.nowNanos(), gen.config());
                        BucketConfig next = policy.newConfig() != null ? policy.newConfig() : gen.config();
                        long end = LogCopy.retained(gen.log(), fresh, out,
                                new LogFormat.Header(0, 0, 0, next).length());
                        finishCompaction(out, tmp, fresh, end, policy.newConfig());
                    }
                } finally {
                    view.writeLock().unlock();
                }
            });
        } finally {
            if (tmpHolder[0] != null) {
                Files.deleteIfExists(tmpHolder[0]);
            }
        }
        engine.signalWatches();
        return result[0];
    }

    /**
     * Where the next generation is written, with no file there: one a killed compaction left is deleted (the
     * compaction lock is held, so no one writes it), so the new log is created afresh, with the store's mode.
     */
    private Path freshTmpPath(long generation) throws IOException {
        Path tmp = engine.dir.resolve("log-" + generation + ".tkv.tmp");
        Files.deleteIfExists(tmp);
        return tmp;
    }

    /** Applies {@code gen}'s records up to {@code end}, read from {@code src}, to {@code into}; refuses damage. */
    private void replayInto(DataFile src, Generation gen, long end, KeyIndex into) throws IOException {
        LogReader r = new LogReader(src, gen.recordsStart(), end);
        int history = gen.config().history();
        LogRecord rec;
        while ((rec = r.next()) != null) {
            into.apply(rec, history);
        }
        if (r.position() < end) {
            throw gen.corruptAt(r.position(), engine.name);
        }
    }

    /** Seals the new log and switches to it. The file lock and the view's write lock are held. */
    private void finishCompaction(DataFile out, Path tmp, KeyIndex fresh, long end, BucketConfig newConfig)
            throws IOException {
        Generation old = view.generation();
        long g = old.number();
        long startRevision = Math.max(view.index().lastRevision(), fresh.lastRevision());
        long dropped = Math.max(old.header().droppedThrough(), fresh.maxDropped());
        BucketConfig next = newConfig != null ? newConfig : old.config();
        out.write(new LogFormat.Header(g + 1, startRevision, dropped, next).encode(), 0);
        out.truncate(end);
        out.force();
        // The rename is the commit point: the new log carries the new config in its header.
        engine.io.move(tmp, Generation.logPath(engine.dir, g + 1));
        engine.io.syncDirectory(engine.dir);
        engine.loadGeneration(g + 1);
        if (newConfig != null) {
            engine.recovery().syncConfigCopy();
        }
        view.replayTo(end);
        try {
            view.writeSnapshot();
        } catch (IOException e) {
            LOG.get().warn("bucket {}: could not write an index snapshot: {}", engine.name, e.toString());
        }
        engine.head.write(new HeadFile.State(g + 1, view.length(), false));
        engine.head.flush();
        Files.deleteIfExists(old.path());
        Files.deleteIfExists(HintFile.path(engine.dir, g));
        Files.deleteIfExists(SortedKeysFile.path(engine.dir, g));
        engine.notify.poke();
        engine.store.stats().compacted();
        LOG.get().debug("bucket {}: compacted into generation {} ({} bytes, {} entries){}", engine.name, g + 1, end,
                view.index().values(), newConfig != null ? " with a new config" : "");
    }
}
