package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.Operation;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.spi.StoreStats;
import dev.tend.kv.support.FileModes;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open bucket, shared by every handle and watch of the bucket in this process. It opens the bucket, loads its
 * index when an operation needs it, answers reads (from the index, or before the index is loaded from the snapshot
 * and the log: {@link PointRead}), and ends when the bucket is removed or the store closes. Keeping this process in
 * step with the files and repairing them ({@link Recovery}), writing ({@link BatchWriter}), watches
 * ({@link WatchFeed}), compaction ({@link Compactor}) and upkeep ({@link Maintenance}) are parts it creates on first
 * use, so a process that reads a key and exits loads none of them; {@link BucketIdentity} tells whether its files
 * are still the bucket's. The lock order is in package-info.java.
 *
 * <p>It is longer than the project's 600 lines on purpose: what is left is the reads and the lifecycle they rest on.
 * A read takes one of two paths, side by side in {@link #get} and {@link #history}: a point read, whose checks of the
 * head ({@link #settledHead}) decide when only the index load and its repairs can answer, or the index after
 * {@link #refresh}; split, those checks would sit apart from the reads and the fallback they guard. The rest is the
 * lifecycle (open, index load, removal, close) and the wiring: a lazy creator per part, written out rather than one
 * creator taking a lambda, which would start the JDK's lambda machinery on every index load.
 */
final class BucketEngine implements Closeable {
    private static final LazyLogger LOG = new LazyLogger(BucketEngine.class);
    /**
     * How many reads and writes a process makes from the snapshot and the log ({@link PointRead},
     * {@link PointWrite}) before it loads the index: a one-shot command reads or writes a key or two, a process that
     * keeps going is better served by the index.
     */
    static final int POINT_READS_BEFORE_INDEX = 16;

    final String name;
    final Path dir;
    final EmbeddedKvStore store;
    final StorageIo io;
    final boolean writable;
    final HeadFile head;
    /** Null when the store is read-only here. */
    final BucketLock bucketLock;
    /** Null when the store is read-only here. */
    final NotifyFile notify;
    final LogView view;
    /** Whether the files this engine has open are still the bucket's. */
    final BucketIdentity identity;
    private final Object indexLoad = new Object();
    private final AtomicInteger pointReads = new AtomicInteger();
    /** The log this process's point reads and writes have decoded: past its budget, the index is loaded. */
    final PointTail pointTail = new PointTail();
    /** True once the index is loaded; until then only point reads are possible, and nothing is in memory. */
    private volatile boolean indexReady;
    private volatile boolean deleted;
    private volatile boolean closed;
    /** Guards the creation of the parts below, each on its first use. */
    private final Object parts = new Object();
    private volatile Recovery recovery;
    private volatile BatchWriter writer;
    private volatile WatchFeed feed;
    private volatile Compactor compactor;
    private volatile Maintenance maintenance;

    private BucketEngine(EmbeddedKvStore store, String name, Path dir, boolean writable, HeadFile head,
                         BucketLock bucketLock, NotifyFile notify) {
        this.store = store;
        this.io = store.io();
        this.name = name;
        this.dir = dir;
        this.writable = writable;
        this.head = head;
        this.bucketLock = bucketLock;
        this.notify = notify;
        this.view = new LogView(io, dir, bucketLock);
        this.identity = new BucketIdentity(this, head);
    }

    // =====================================================================================================
    // Opening and keeping in step with the files
    // =====================================================================================================

    static BucketEngine open(EmbeddedKvStore store, String name, Path dir) throws IOException {
        BucketLock bucketLock = null;
        NotifyFile notify = null;
        boolean writable = store.writable();
        FileModes modes = store.fileModes();
        if (writable) {
            try {
                bucketLock = BucketLock.open(dir, modes);
                notify = NotifyFile.open(dir, name, modes);
            } catch (NoSuchFileException e) {
                closeQuietly(bucketLock);
                throw e;
            } catch (IOException e) {
                LOG.get().debug("bucket {} opened read-only: {}", name, e.toString());
                closeQuietly(bucketLock);
                bucketLock = null;
                writable = false;
            }
        }
        HeadFile head = null;
        try {
            head = HeadFile.open(dir, writable, modes);
            if (head == null) {
                throw new StoreException("bucket " + name + ": " + dir.resolve(HeadFile.NAME)
                        + " is missing and the store is read-only");
            }
            BucketEngine engine = new BucketEngine(store, name, dir, writable, head, bucketLock, notify);
            List<Path> leftovers = engine.openNewestLog();
            if (writable && !leftovers.isEmpty()) {
                engine.removeLeftovers(leftovers);
            }
            return engine;
        } catch (IOException | RuntimeException e) {
            closeQuietly(head);
            closeQuietly(bucketLock);
            closeQuietly(notify);
            throw e;
        }
    }

    /**
     * Opens the newest log and reads its header (so a bad or newer-format log is refused now); the index waits for
     * the first operation that needs it ({@link #ensureIndex}). Returns the temporary files the directory's listing
     * found, which a crash may have left ({@link LeftoverFiles}).
     */
    private List<Path> openNewestLog() throws IOException {
        List<Path> leftovers = new ArrayList<>(0);
        view.writeLock().lock();
        try {
            HeadFile.State h = head.readUnmapped();
            if (h != null && h.deleted()) {
                throw new UnknownBucketException(name);
            }
            view.open(Generation.open(io, dir, Generation.highest(dir, name, leftovers), writable));
        } finally {
            view.writeLock().unlock();
        }
        return leftovers;
    }

    /** Removes temporary files a crash left; they are harmless, so a failure only leaves them for next time. */
    private void removeLeftovers(List<Path> leftovers) {
        try {
            LeftoverFiles.removeFromBucket(name, bucketLock, leftovers);
        } catch (IOException e) {
            LOG.get().debug("bucket {}: temporary files not removed: {}", name, e.toString());
        }
    }

    /**
     * Loads the index unless this process already has: the snapshot, the log after it, and the repairs opening a
     * bucket does (a stale head, a torn tail, the config copy). The first operation that needs the whole index
     * calls this, never holding the view's lock or the file lock; maintenance starts with it.
     */
    private void ensureIndex() {
        if (indexReady) {
            return;
        }
        synchronized (indexLoad) {
            if (indexReady) {
                return;
            }
            checkUsable();
            try {
                recovery().initialLoad();
            } catch (NoSuchFileException e) {
                markDeleted();
                throw new UnknownBucketException(name);
            } catch (IOException e) {
                throw new StoreException("cannot open bucket " + name + " in " + dir + ": " + e.getMessage());
            }
            indexReady = true;
        }
        store.indexLoaded();
    }

    /** True once this process holds the bucket's index (for tests: a point read must not need it). */
    boolean hasIndex() {
        return indexReady;
    }

    /**
     * Opens generation {@code g} and starts its index from a snapshot or from scratch. Write lock held. The log
     * already open is kept when it is {@code g}'s: a write made without the index ({@link PointWrite}) may be
     * forcing it while another thread loads the index.
     */
    void loadGeneration(long g) throws IOException {
        Generation open = view.generation();
        view.load(open != null && open.number() == g ? open : Generation.open(io, dir, g, writable));
    }

    /**
     * Makes this process see every committed write. Cheap when nothing changed: it reads the memory-mapped
     * head and compares, without a system call or a lock; otherwise {@link Recovery#catchUp} catches up.
     */
    void refresh() {
        checkUsable();
        try {
            HeadFile.State h = head.read();
            // The head may be behind the view while this process publishes its own batch: that is not news.
            if (h != null && !h.deleted() && h.generation() == view.generation().number()
                    && h.length() <= view.length()) {
                return;
            }
            recovery().catchUp(h);
        } catch (IOException e) {
            throw ioFailure("read", e);
        }
    }

    // =====================================================================================================
    // Reads
    // =====================================================================================================

    BucketConfig config() {
        ensureIndex();
        refresh();
        return view.generation().config();
    }

    /**
     * The key's value at {@code revision} (0: its latest) if that is a retained, unexpired value; empty when the
     * key has none, or the entry is a marker or expired.
     */
    Optional<Entry> get(String key, long revision) {
        HeadFile.State h = pointReadAllowed() ? settledHead() : null;
        if (h != null) {
            view.readLock().lock();
            try {
                long[] e = pointEntries(key, h);
                if (e != PointRead.UNANSWERED) {
                    return visibleValue(key, e, revision);
                }
            } finally {
                view.readLock().unlock();
            }
        }
        ensureIndex();
        refresh();
        view.readLock().lock();
        try {
            return visibleValue(key, view.index().entries(key), revision);
        } finally {
            view.readLock().unlock();
        }
    }

    /** The read lock is held. */
    private Optional<Entry> visibleValue(String key, long[] e, long revision) {
        int i = e == null ? -1 : revision == 0 ? KeyIndex.count(e) - 1 : indexOf(e, revision);
        if (i < 0 || KeyIndex.op(e, i).isMarker() || expired(e, i)) {
            return Optional.empty();
        }
        return Optional.of(readEntry(key, e, i, 0));
    }

    private static int indexOf(long[] e, long revision) {
        for (int i = 0; i < KeyIndex.count(e); i++) {
            if (KeyIndex.revision(e, i) == revision) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True while this process reads or writes the bucket without its index: its first few reads and writes, before
     * anything needed it, while they have not decoded more log than {@link PointTail#BUDGET_BYTES} together.
     */
    private boolean pointReadAllowed() {
        return !indexReady && pointTail.open() && pointReads.getAndIncrement() < POINT_READS_BEFORE_INDEX;
    }

    /**
     * The head, once it covers every durable record of the log, for a point read; null when only loading the index
     * (with its repairs) can sort the files out. At once when the log is as long as the head says. Otherwise a writer
     * is appending, or died doing so, or the head is stale after a power loss (acknowledged records lie beyond it):
     * holding the file lock shared, so no writer is active, this looks again; still longer means a repair is due.
     * Waits for the file lock only then, and never holding the view's lock (writers take that under the file lock).
     */
    private HeadFile.State settledHead() {
        checkUsable();
        try {
            HeadFile.State h = liveHead();
            if (h == null || logMatches(h)) {
                return h == null || orphansBeyond(h) ? null : h;
            }
            if (bucketLock == null) {
                return null;
            }
            bucketLock.lockShared();
            try {
                h = liveHead();
                return h != null && logMatches(h) && !orphansBeyond(h) ? h : null;
            } finally {
                bucketLock.unlock();
            }
        } catch (IOException e) {
            throw ioFailure("read", e);
        }
    }

    /**
     * True when records lie beyond the committed length of {@code h} and no writer has a batch pending: a dead
     * writer's, which only the index load (under the file lock) may adopt or cut; a read answered without them could
     * see them appear under it later. The pending lock is tested after {@code h} was read, so a live writer may have
     * published its batch and let the lock go in between: a head read after the test tells that from an orphan (the
     * published mark only rises within a generation). A read-only process cannot tell, and reads as before.
     */
    boolean orphansBeyond(HeadFile.State h) throws IOException {
        if (h.appended() <= h.length() || bucketLock == null || bucketLock.pendingBatchesLive()) {
            return false;
        }
        HeadFile.State now = head.readUnmapped();
        return now == null || now.generation() != h.generation() || now.length() < h.appended();
    }

    /** The head read without mapping it; a bucket another process removed is unknown from now on. */
    private HeadFile.State liveHead() throws IOException {
        HeadFile.State h = head.readUnmapped();
        if (h != null && h.deleted()) {
            markDeleted();
            throw new UnknownBucketException(name);
        }
        return h;
    }

    /**
     * True when the log this process has open is the head's generation and ends exactly at the head's appended mark
     * (records beyond the committed length up to it are batches waiting for their force, which reads skip).
     */
    private boolean logMatches(HeadFile.State h) throws IOException {
        view.readLock().lock();
        try {
            Generation gen = view.generation();
            return h.generation() == gen.number() && gen.log().size() == h.appended();
        } finally {
            view.readLock().unlock();
        }
    }

    /**
     * The key's entries as the index would hold them, read from the snapshot and the log up to the settled head's
     * length without loading the index, or {@link PointRead#UNANSWERED}. Read lock held.
     */
    private long[] pointEntries(String key, HeadFile.State h) {
        Generation gen = view.generation();
        if (h.generation() != gen.number()) {
            return PointRead.UNANSWERED;
        }
        try {
            return PointRead.entries(io, dir, gen.number(), gen.log(), gen.recordsStart(), h.length(),
                    gen.config().history(), key, pointTail);
        } catch (IOException e) {
            throw ioFailure("read", e);
        }
    }

    List<Entry> history(String key) {
        HeadFile.State h = pointReadAllowed() ? settledHead() : null;
        if (h != null) {
            view.readLock().lock();
            try {
                long[] e = pointEntries(key, h);
                if (e != PointRead.UNANSWERED) {
                    return visibleHistory(key, e);
                }
            } finally {
                view.readLock().unlock();
            }
        }
        ensureIndex();
        refresh();
        view.readLock().lock();
        try {
            return visibleHistory(key, view.index().entries(key));
        } finally {
            view.readLock().unlock();
        }
    }

    /** The read lock is held. */
    private List<Entry> visibleHistory(String key, long[] e) {
        if (e == null) {
            return List.of();
        }
        List<Integer> visible = new ArrayList<>();
        for (int i = 0; i < KeyIndex.count(e); i++) {
            if (!expired(e, i)) {
                visible.add(i);
            }
        }
        List<Entry> out = new ArrayList<>(visible.size());
        for (int j = 0; j < visible.size(); j++) {
            out.add(readEntry(key, e, visible.get(j), visible.size() - j - 1));
        }
        return out;
    }

    /** Reads and checks one entry's record from the current log. The read lock is held. */
    private Entry readEntry(String key, long[] e, int i, long delta) {
        try {
            return view.generation().readEntry(name, key, e, i, delta, false);
        } catch (IOException ex) {
            throw ioFailure("read", ex);
        }
    }

    /**
     * {@code keys} with one literal filter as a point read: the key when its latest entry is a visible value; null
     * when the index must answer.
     */
    private List<String> literalKey(String key) {
        HeadFile.State h = pointReadAllowed() ? settledHead() : null;
        if (h == null) {
            return null;
        }
        view.readLock().lock();
        try {
            long[] e = pointEntries(key, h);
            if (e == PointRead.UNANSWERED) {
                return null;
            }
            List<String> out = new ArrayList<>(1);
            int i = e == null ? -1 : KeyIndex.count(e) - 1;
            if (i >= 0 && KeyIndex.op(e, i) == Operation.PUT && !expired(e, i)) {
                out.add(key);
            }
            return out;
        } finally {
            view.readLock().unlock();
        }
    }

    /**
     * The bucket's snapshot and the log after it, read for {@code status} without the index ({@link SnapshotScan}: the
     * snapshot's header where it can) while this process has no index and has read little; null when the index must
     * answer (a bucket with a TTL among others).
     */
    private SnapshotScan statusScan() {
        HeadFile.State h = pointReadAllowed() ? settledHead() : null;
        if (h == null) {
            return null;
        }
        view.readLock().lock();
        try {
            Generation gen = view.generation();
            if (h.generation() != gen.number() || gen.config().hasTtl()) {
                return null;
            }
            SnapshotScan counted = SnapshotScan.readTotals(io, dir, gen, h.length());
            return counted != null ? counted : SnapshotScan.read(io, dir, gen, h.length());
        } catch (IOException e) {
            throw ioFailure("read", e);
        } finally {
            view.readLock().unlock();
        }
    }

    /**
     * The keys whose latest entry is a visible value and that a filter matches, sorted ({@link String#compareTo}).
     */
    List<String> keys(List<KeyFilter> filters) {
        Listing l = listWithoutIndex(filters);
        if (l != null) {
            return l.keys() != null ? l.keys() : KeyLines.strings(l.lines());
        }
        return indexKeys(filters);
    }

    /**
     * {@link #keys} as lines of ASCII bytes, each key followed by {@code '\n'}, between the buffer's position and
     * limit ({@link KeyLines}): from the sorted keys file where it answers, without a string per key.
     */
    ByteBuffer keyLines(List<KeyFilter> filters) {
        Listing l = listWithoutIndex(filters);
        if (l != null) {
            return l.lines() != null ? l.lines() : KeyLines.of(l.keys());
        }
        return KeyLines.of(indexKeys(filters));
    }

    /** A listing of keys made without the index: as lines ({@link KeyLines}) or as strings, one of the two. */
    private record Listing(ByteBuffer lines, List<String> keys) {
    }

    /**
     * {@link #keys} without the index while this process has no index and has read little: with one literal filter a
     * point read; else the sorted keys file and the log after it ({@link KeyLines}), or else the snapshot and the log
     * after it ({@link SnapshotScan}); null when the index must answer (a bucket with a TTL among others).
     */
    private Listing listWithoutIndex(List<KeyFilter> filters) {
        if (filters.size() == 1 && filters.get(0).isLiteral()) {
            List<String> one = literalKey(filters.get(0).pattern());
            if (one != null) {
                return new Listing(null, one);
            }
        }
        HeadFile.State h = pointReadAllowed() ? settledHead() : null;
        if (h == null) {
            return null;
        }
        view.readLock().lock();
        try {
            Generation gen = view.generation();
            if (h.generation() != gen.number() || gen.config().hasTtl()) {
                return null;
            }
            ByteBuffer lines = KeyLines.read(io, dir, gen, h.length(), filters);
            if (lines != null) {
                return new Listing(lines, null);
            }
            SnapshotScan scan = SnapshotScan.read(io, dir, gen, h.length());
            List<String> keys = scan == null ? null : scan.sortedLiveKeys(filters);
            return keys == null ? null : new Listing(null, keys);
        } catch (IOException e) {
            throw ioFailure("read", e);
        } finally {
            view.readLock().unlock();
        }
    }

    /** {@link #keys} from the index, loaded if it is not. */
    private List<String> indexKeys(List<KeyFilter> filters) {
        ensureIndex();
        refresh();
        List<String> out = new ArrayList<>();
        view.readLock().lock();
        try {
            KeyIndex index = view.index();
            for (String k : index.matching(filters)) {
                long[] e = index.entries(k);
                int i = KeyIndex.count(e) - 1;
                if (KeyIndex.op(e, i) == Operation.PUT && !expired(e, i)) {
                    out.add(k);
                }
            }
        } finally {
            view.readLock().unlock();
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /**
     * The bucket's entries and bytes for {@link EngineStats}, from the index as it is (no refresh, no expiry), or null
     * when the index is not loaded: metrics never load one.
     */
    StoreStats.BucketFigures figures() {
        if (!hasIndex()) {
            return null;
        }
        view.readLock().lock();
        try {
            KeyIndex index = view.index();
            return index == null ? null : new StoreStats.BucketFigures(name, index.values(), index.bytes());
        } finally {
            view.readLock().unlock();
        }
    }

    BucketStatus status() {
        SnapshotScan scan = statusScan();
        SnapshotScan.Totals t = scan == null ? null : scan.totals();
        if (t != null) {
            return new BucketStatus(scan.config(), t.values(), t.bytes(), t.lastRevision(), "embedded", dir.toString());
        }
        ensureIndex();
        refresh();
        view.writeLock().lock();
        try {
            BucketConfig c = view.generation().config();
            KeyIndex index = view.index();
            if (c.hasTtl()) {
                index.expire(store.nowNanos() - c.ttl().toNanos());
            }
            return new BucketStatus(c, index.values(), index.bytes(), index.lastRevision(), "embedded",
                    dir.toString());
        } finally {
            view.writeLock().unlock();
        }
    }

    /** True when entry {@code i} of {@code e} is past the bucket's TTL: invisible to reads and watches. */
    boolean expired(long[] e, int i) {
        BucketConfig c = view.generation().config();
        return c.hasTtl() && KeyIndex.created(e, i) <= store.nowNanos() - c.ttl().toNanos();
    }

    // =====================================================================================================
    // The parts: recovery, writes, watches, compaction, maintenance; each created on first use
    // =====================================================================================================

    /**
     * Submits a write and waits until it is committed (durable, in durable mode) or refused. Before this process has
     * loaded the index, its first few writes are validated from the snapshot and the log ({@link PointWrite}) when
     * the bucket has no max bucket size; a batch that only the index can validate is not written, and the write is
     * made again after loading it.
     */
    long submit(WriteRequest r) {
        checkWritable();
        if (!indexReady && PointWrite.answers(view.generation().config()) && pointReadAllowed()) {
            try {
                return writer().submit(r);
            } catch (IndexNeededException e) {
                r = r.again();
            }
        }
        ensureIndex();
        return writer().submit(r);
    }

    /** Appends entries restored from a backup, forced before it returns ({@link BatchWriter#appendRestored}). */
    void appendRestored(List<Entry> entries) throws IOException {
        checkWritable();
        ensureIndex();
        writer().appendRestored(entries);
    }

    EmbeddedWatch watch(List<KeyFilter> filters, WatchOptions options, WatchListener listener) {
        ensureIndex();
        refresh();
        return feed().watch(filters, options, listener);
    }

    /** The watch feed, or null while this process has never watched the bucket. */
    WatchFeed watchFeedIfStarted() {
        return feed;
    }

    /** Wakes this bucket's watches, if it has any. */
    void signalWatches() {
        WatchFeed f = feed;
        if (f != null) {
            f.signalAll();
        }
    }

    /** Rewrites the log as the next generation, keeping what {@code policy} keeps ({@link Compactor}). */
    long compact(Compaction policy) throws IOException {
        if (!writable) {
            throw readOnly();
        }
        ensureIndex();
        identity.check(); // the new generation is written by its path
        return compactor().compact(policy);
    }

    /** Changes the config: a compaction under the old rules trimmed to the new ones, then the new config. */
    void updateConfig(BucketConfig newConfig) throws IOException {
        compact(Compaction.reconfigure(newConfig));
    }

    /** Writes an index snapshot of what this process has read. */
    void writeSnapshot() throws IOException {
        ensureIndex();
        identity.check();
        view.writeSnapshot();
    }

    /** After a write of this process: upkeep may be due, if it has the index (which upkeep works on). */
    void afterWrite() {
        if (indexReady) {
            maintenance().afterWrite();
        }
    }

    /** Background upkeep (expiry, compaction, snapshots) if this process has the index. Never throws. */
    void maintain() {
        if (indexReady) {
            maintenance().run();
        }
    }

    /** Keeping this process in step with the files and repairing them; also the writer's and the compactor's. */
    Recovery recovery() {
        if (recovery == null) {
            synchronized (parts) {
                if (recovery == null) {
                    recovery = new Recovery(this);
                }
            }
        }
        return recovery;
    }

    private BatchWriter writer() {
        if (writer == null) {
            synchronized (parts) {
                if (writer == null) {
                    writer = new BatchWriter(this);
                }
            }
        }
        return writer;
    }

    private WatchFeed feed() {
        if (feed == null) {
            synchronized (parts) {
                if (feed == null) {
                    feed = new WatchFeed(this);
                }
            }
        }
        return feed;
    }

    private Compactor compactor() {
        if (compactor == null) {
            synchronized (parts) {
                if (compactor == null) {
                    compactor = new Compactor(this);
                }
            }
        }
        return compactor;
    }

    private Maintenance maintenance() {
        if (maintenance == null) {
            synchronized (parts) {
                if (maintenance == null) {
                    maintenance = new Maintenance(this);
                }
            }
        }
        return maintenance;
    }

    // =====================================================================================================
    // Removal and closing
    // =====================================================================================================

    /** Marks the bucket deleted for every process, then removes its files. */
    void removeBucket() throws IOException {
        ensureIndex();
        if (bucketLock == null) {
            throw readOnly();
        }
        bucketLock.runExclusive(() -> {
            view.writeLock().lock();
            try {
                recovery().syncLocked();
                head.write(new HeadFile.State(view.generation().number(), view.length(), true));
                head.flush();
                notify.poke();
                markDeleted();
            } finally {
                view.writeLock().unlock();
            }
        });
    }

    /** The bucket is gone for this engine: it answers no more calls, and its watches end. */
    void markDeleted() {
        if (!deleted) {
            deleted = true;
            signalWatches();
        }
    }

    boolean isDeleted() {
        return deleted;
    }

    boolean isUsable() {
        return !deleted && !closed;
    }

    /**
     * True while this engine is the bucket's: usable and, looked at once a second at most, its files still the ones
     * on disk ({@link BucketIdentity}). The handles ask before every call, so the common case is a clock read and a
     * few volatile reads.
     */
    boolean isCurrent() {
        return isUsable() && identity.stillOnDiskRecently();
    }

    void checkUsable() {
        if (closed) {
            throw new StoreClosedException("the store is closed");
        }
        if (deleted) {
            throw new UnknownBucketException(name);
        }
    }

    private void checkWritable() {
        if (!writable) {
            throw readOnly();
        }
        checkUsable();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (writable && !deleted && indexReady) {
            maintenance().beforeClose(); // writes a snapshot by path only while the files are still the bucket's
        }
        closed = true;
        signalWatches();
        BatchWriter w = writer;
        if (w != null) {
            w.close();
        }
        view.writeLock().lock();
        try {
            closeQuietly(view.generation().log());
            closeQuietly(head);
            closeQuietly(bucketLock);
            closeQuietly(notify);
        } finally {
            view.writeLock().unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    // =====================================================================================================
    // Errors
    // =====================================================================================================

    private StoreException readOnly() {
        return new StoreException("bucket " + name + " is read-only here: cannot write in " + dir);
    }

    KvException ioFailure(String what, IOException e) {
        if (e instanceof NoSuchFileException && !Files.exists(dir)) {
            markDeleted();
            return new UnknownBucketException(name);
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reason.contains("No space left")) {
            reason = "the disk is full (No space left on device)";
        } else if (reason.contains("Read-only file system")) {
            reason = "the file system is read-only";
        }
        return new StoreException("bucket " + name + ": cannot " + what + " " + view.generation().path() + ": "
                + reason + ("write".equals(what) ? "; the write was not stored" : ""));
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.get().debug("close failed: {}", e.toString());
            }
        }
    }
}
