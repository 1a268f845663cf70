package dev.tend.kv.embedded;

import dev.tend.kv.BucketReplacedException;
import dev.tend.kv.Entry;
import dev.tend.kv.FellBehindException;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watches of one bucket in this process, and what they read. It starts a watch with its initial entries, wakes
 * the watches when there may be news (a commit in this process, a file-system event or the poll for another's),
 * and reads the log after a cursor, under the view's read lock: a catching-up watch's own, or the {@link FeedTail}'s,
 * which reads once for every watch that has caught up. {@link EmbeddedWatch} talks only to its feed.
 *
 * <p>The engine creates its feed on the first watch, so a process that never watches never loads it.
 */
final class WatchFeed {
    private final BucketEngine engine;
    private final LogView view;
    private final Set<EmbeddedWatch> watches = ConcurrentHashMap.newKeySet();
    private final FeedTail tail;

    /** What a watch read: the entries, and where its cursor got to. */
    record Read(List<Entry> entries, long generation, long position, long scannedThrough, boolean more) {
    }

    WatchFeed(BucketEngine engine) {
        this.engine = engine;
        this.view = engine.view;
        this.tail = new FeedTail(this, engine.store.watchExecutor());
    }

    String bucket() {
        return engine.name;
    }

    /** Counts a live entry delivered to a listener: how long after its write ({@link EngineStats}). */
    void delivered(Entry e) {
        engine.store.stats().delivered(engine.store.nowNanos() - Times.nanos(e.created()));
    }

    /** The bucket's directory, whose {@code notify} file the file-system watcher follows. */
    Path dir() {
        return engine.dir;
    }

    /** False once the bucket was removed or the store closed: every watch of this feed ends. */
    boolean isOpen() {
        return engine.isUsable();
    }

    /**
     * How a watch of a feed no longer open ends: null (cleanly) when the bucket was removed by a store's delete or
     * the store closed; an error when its files were removed or replaced behind the store's back, since the watch
     * cannot know what was written to the new ones.
     */
    KvException endReason() {
        return engine.identity.isReplaced() ? new BucketReplacedException(engine.name) : null;
    }

    /**
     * Checks that the bucket's files are still the ones the watches read (a {@code stat}); if not, the watches are
     * woken and end. On the poll and when the file system says the bucket's directory went away.
     */
    void checkBucketFiles() {
        engine.identity.stillOnDisk();
    }

    /**
     * Starts a watch: its initial entries are chosen now, from the index, and its cursor is the end of what the
     * index covers. The engine has loaded the index and caught up with the files.
     */
    EmbeddedWatch watch(List<KeyFilter> filters, WatchOptions options, WatchListener listener) {
        EmbeddedWatch w;
        view.readLock().lock();
        try {
            KeyIndex index = view.index();
            InitialEntries initial = InitialEntries.NONE;
            if (!options.updatesOnly()) {
                InitialEntries.Builder chosen = new InitialEntries.Builder();
                index.forEachMatching(filters, (k, e) -> {
                    int n = KeyIndex.count(e);
                    int from = options.includeHistory() || options.fromRevision() > 0 ? 0 : n - 1;
                    for (int i = from; i < n; i++) {
                        if (engine.expired(e, i) || KeyIndex.revision(e, i) < options.fromRevision()
                                || (options.ignoreDeletes() && KeyIndex.op(e, i).isMarker())) {
                            continue;
                        }
                        chosen.add(k, KeyIndex.revision(e, i));
                    }
                });
                initial = chosen.build();
            }
            w = new EmbeddedWatch(this, filters, options, listener, initial, view.generation().number(),
                    view.length(), index.lastRevision(), engine.store.watchExecutor());
            watches.add(w);
        } finally {
            view.readLock().unlock();
        }
        engine.store.watching(this);
        w.start();
        return w;
    }

    void remove(EmbeddedWatch w) {
        watches.remove(w);
        tail.leave(w);
    }

    /** {@link FeedTail#join}: the watch has read through {@code scanned} and would follow the tail. */
    boolean join(EmbeddedWatch w, long generation, long position, long scanned) {
        return tail.join(w, generation, position, scanned);
    }

    boolean hasWatches() {
        return !watches.isEmpty();
    }

    /**
     * Wakes the tail and every watch that reads by itself: after a commit or a compaction of this process; every watch
     * when the bucket or the store goes.
     */
    void signalAll() {
        boolean open = isOpen();
        if (open) {
            tail.signal();
        }
        for (EmbeddedWatch w : watches) {
            if (!open || !w.isFollowing()) {
                w.signal();
            }
        }
    }

    /**
     * Wakes only the watches that have not read up to the head: a file-system event or the poll may be about a
     * write of this process, which its watches were already given, and a needless wake-up costs a thread switch.
     */
    void signalBehindHead() {
        HeadFile.State h;
        try {
            h = engine.isUsable() ? engine.head.read() : null;
        } catch (IOException e) {
            h = null; // wake them all: each finds out for itself
        }
        if (h == null || h.deleted()) {
            signalAll();
            return;
        }
        if (tail.isBehind(h.generation(), h.length())) {
            tail.signal();
        }
        for (EmbeddedWatch w : watches) {
            if (w.isBehind(h.generation(), h.length())) {
                w.signal();
            }
        }
    }

    /**
     * Catches up with the files, then reads at most {@code maxEntries} records after a watch's cursor; null once
     * the bucket is gone or the store closed (the watch ends). If the log was compacted since, the cursor moves to
     * the new log, unless compaction dropped records it had not read: then {@link FellBehindException}.
     */
    Read read(long generation, long position, long scannedThrough, List<KeyFilter> filters, WatchOptions options,
              int maxEntries) {
        try {
            engine.refresh();
        } catch (UnknownBucketException | StoreClosedException e) {
            return null;
        }
        try {
            return readAfter(generation, position, scannedThrough, filters, options, maxEntries);
        } catch (IOException e) {
            throw engine.ioFailure("read", e);
        }
    }

    private Read readAfter(long generation, long position, long scannedThrough, List<KeyFilter> filters,
                           WatchOptions options, int maxEntries) throws IOException {
        view.readLock().lock();
        try {
            if (engine.isDeleted()) {
                return null;
            }
            Generation gen = view.generation();
            long pos = position;
            if (generation != gen.number()) {
                if (gen.header().droppedThrough() > scannedThrough) {
                    throw new FellBehindException("watch on bucket " + engine.name
                            + " fell behind: compaction removed entries it had not read yet; watch again");
                }
                pos = positionAfter(gen, scannedThrough);
            }
            long limit = view.length();
            LogReader r = new LogReader(gen.log(), pos, limit);
            List<Entry> out = new ArrayList<>();
            long scanned = scannedThrough;
            LogRecord rec;
            while (out.size() < maxEntries && (rec = r.next()) != null) {
                pos = rec.end();
                if (rec.revision() <= scanned) {
                    continue;
                }
                scanned = rec.revision();
                if (!KeyFilter.anyMatches(filters, rec.key())
                        || (options.ignoreDeletes() && rec.op().isMarker())) {
                    continue;
                }
                out.add(rec.toEntry(engine.name, 0, options.metaOnly()));
            }
            if (out.size() < maxEntries && pos < limit) {
                throw gen.corruptAt(pos, engine.name);
            }
            return new Read(out, gen.number(), pos, scanned, pos < limit);
        } finally {
            view.readLock().unlock();
        }
    }

    /** The offset of the first record after {@code revision} in {@code gen}'s log. Read lock held. */
    private long positionAfter(Generation gen, long revision) throws IOException {
        LogReader r = new LogReader(gen.log(), gen.recordsStart(), view.length());
        LogRecord rec;
        long pos = gen.recordsStart();
        while ((rec = r.next()) != null) {
            if (rec.revision() > revision) {
                return rec.offset();
            }
            pos = rec.end();
        }
        return pos;
    }

    /** Resolves initial watch entries by key and revision in the current index; a vanished one is skipped. */
    List<Entry> readInitial(List<EmbeddedWatch.Location> batch, int total, int deliveredBefore, boolean metaOnly) {
        view.readLock().lock();
        try {
            Generation gen = view.generation();
            KeyIndex index = view.index();
            List<Entry> out = new ArrayList<>(batch.size());
            int i = deliveredBefore;
            for (EmbeddedWatch.Location loc : batch) {
                i++;
                long[] e = index.entries(loc.key());
                if (e == null) {
                    continue;
                }
                for (int j = 0; j < KeyIndex.count(e); j++) {
                    if (KeyIndex.revision(e, j) == loc.revision()) {
                        out.add(gen.readEntry(engine.name, loc.key(), e, j, total - i, metaOnly));
                        break;
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw engine.ioFailure("read", e);
        } finally {
            view.readLock().unlock();
        }
    }
}
