package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketFullException;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvException;
import dev.tend.kv.Names;
import dev.tend.kv.Operation;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.ValueTooLargeException;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.WrongRevisionException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One open bucket: its log, index and head, shared by every handle and watch of the bucket in this process.
 *
 * <p>Lock order: commit lock, then the file lock (the in-process mutex, then the OS lock), then the index's write
 * lock. Reads take only the index's read lock. A write batch is validated and appended under the write lock,
 * forced outside it (readers go on), and published to other processes through the head only once durable.
 */
final class BucketEngine implements Closeable {
    private static final LazyLogger LOG = new LazyLogger(BucketEngine.class);
    static final String LOCK_FILE = "lock";
    static final String NOTIFY_FILE = "notify";
    /** Background compaction starts when at least this many bytes of the log are dead... */
    static final long COMPACT_MIN_DEAD_BYTES = 8L * 1024 * 1024;
    /** ...and the dead bytes outweigh the live ones. */
    static final double COMPACT_DEAD_RATIO = 0.5;
    /** A long-lived process writes an index snapshot after this many log bytes without one. */
    static final long HINT_INTERVAL_BYTES = 16L * 1024 * 1024;
    /** A closing process writes a snapshot when it replayed or wrote at least this much since the last one. */
    static final long HINT_ON_CLOSE_BYTES = 4L * 1024 * 1024;
    private static final long CORRUPTION_SCAN_LIMIT = 256L * 1024 * 1024;
    /**
     * How many reads a process answers from the snapshot and the log ({@link PointRead}) before it loads the index:
     * a one-shot command reads a key or two, a process that keeps reading is better served by the index.
     */
    static final int POINT_READS_BEFORE_INDEX = 16;

    final String name;
    final Path dir;
    private final EmbeddedKvStore store;
    private final StorageIo io;
    private final boolean writable;
    private final HeadFile head;
    private final FileChannel lockChannel;
    private final FileChannel notifyChannel;
    private final ReentrantLock fileLockMutex = new ReentrantLock();
    private final ReentrantLock compactionLock = new ReentrantLock();
    /*
     * An anonymous class rather than this::commit: a method reference is bootstrapped when the engine is built, and
     * a process that only reads a key should not start the JDK's lambda machinery for a write it never makes.
     */
    private final GroupCommit groupCommit = new GroupCommit(new java.util.function.Consumer<List<WriteRequest>>() {
        @Override
        public void accept(List<WriteRequest> batch) {
            commit(batch);
        }
    });
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Set<EmbeddedWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean maintenanceQueued = new AtomicBoolean();
    private final Object indexLoad = new Object();
    private final AtomicInteger pointReads = new AtomicInteger();
    /** True once the index is loaded; until then only point reads are possible, and nothing is in memory. */
    private volatile boolean indexReady;

    // Written under the write lock; volatile where the lock-free staleness check reads them.
    /** The config in the current log's header. */
    private volatile BucketConfig config;
    private volatile long generation;
    /** Bytes of the log applied to the index; ahead of the head while this process's batch is being forced. */
    private volatile long knownLength;
    /** Bytes of the log known durable and published: what watches may deliver. */
    private volatile long committedLength;
    private LogFormat.Header header;
    private DataFile log;
    private KeyIndex index;
    private long hintOffset;
    private volatile boolean deleted;
    private volatile boolean closed;

    private BucketEngine(EmbeddedKvStore store, String name, Path dir, boolean writable, HeadFile head,
                         FileChannel lockChannel, FileChannel notifyChannel) {
        this.store = store;
        this.io = store.io();
        this.name = name;
        this.dir = dir;
        this.writable = writable;
        this.head = head;
        this.lockChannel = lockChannel;
        this.notifyChannel = notifyChannel;
    }

    // =====================================================================================================
    // Opening and syncing with the files
    // =====================================================================================================

    static BucketEngine open(EmbeddedKvStore store, String name, Path dir) throws IOException {
        FileChannel lock = null;
        FileChannel notify = null;
        boolean writable = store.writable();
        if (writable) {
            try {
                lock = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE);
                notify = FileChannel.open(dir.resolve(NOTIFY_FILE), StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE);
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException e) {
                LOG.get().debug("bucket {} opened read-only: {}", name, e.toString());
                closeQuietly(lock);
                lock = null;
                writable = false;
            }
        }
        HeadFile head = null;
        try {
            head = HeadFile.open(dir, writable);
            if (head == null) {
                throw new StoreException("bucket " + name + ": " + dir.resolve(HeadFile.NAME)
                        + " is missing and the store is read-only");
            }
            BucketEngine engine = new BucketEngine(store, name, dir, writable, head, lock, notify);
            engine.openLazily();
            return engine;
        } catch (IOException | RuntimeException e) {
            closeQuietly(head);
            closeQuietly(lock);
            closeQuietly(notify);
            throw e;
        }
    }

    /**
     * Opens the newest log and reads its header (so a bad or newer-format log is refused now); the index waits for
     * the first operation that needs it ({@link #ensureIndex}).
     */
    private void openLazily() throws IOException {
        rw.writeLock().lock();
        try {
            HeadFile.State h = head.readUnmapped();
            if (h != null && h.deleted()) {
                throw new UnknownBucketException(name);
            }
            openLog(highestGeneration());
        } finally {
            rw.writeLock().unlock();
        }
    }

    /**
     * Loads the index unless this process already has: the snapshot, the log after it, and the repairs opening a
     * bucket does (a stale head, a torn tail, the config copy). The first operation that needs the whole index
     * calls this, never holding the index lock or the file lock; maintenance starts with it.
     */
    private void ensureIndex() {
        if (indexReady) {
            return;
        }
        synchronized (indexLoad) {
            if (indexReady) {
                return;
            }
            refreshLiveness();
            try {
                initialLoad();
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

    private void initialLoad() throws IOException {
        boolean recover;
        rw.writeLock().lock();
        try {
            HeadFile.State h = head.read();
            if (h != null && h.deleted()) {
                throw new UnknownBucketException(name);
            }
            // The newest complete log is the truth (a compaction renames it into place only once forced); the
            // head may lag behind it after a crash.
            long g = highestGeneration();
            loadGeneration(g);
            recover = h == null || h.generation() != g || log.size() != h.length() || !replayTo(h.length());
        } finally {
            rw.writeLock().unlock();
        }
        if (writable && !configCopyMatches()) {
            withFileLock(this::syncConfigCopy);
        }
        if (recover) {
            if (writable) {
                withFileLock(this::syncLockedUnderWriteLock);
            } else {
                rw.writeLock().lock();
                try {
                    replayReadOnly();
                } finally {
                    rw.writeLock().unlock();
                }
            }
        }
    }

    Path logPath(long gen) {
        return dir.resolve("log-" + gen + ".tkv");
    }

    /**
     * The generation in a file name {@code <prefix><digits><suffix>} ({@code log-7.tkv}), or -1 when the name is not
     * one. By hand rather than with a regex: compiling one is a noticeable part of a one-shot command's start-up.
     */
    static long generationIn(String fileName, String prefix, String suffix) {
        int end = fileName.length() - suffix.length();
        if (!fileName.startsWith(prefix) || !fileName.endsWith(suffix) || end <= prefix.length()
                || end - prefix.length() > 18) {
            return -1;
        }
        long g = 0;
        for (int i = prefix.length(); i < end; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            g = g * 10 + (c - '0');
        }
        return g;
    }

    private long highestGeneration() throws IOException {
        long best = 0;
        // A DirectoryStream rather than Files.list: no stream pipeline to set up in a one-shot process.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                best = Math.max(best, generationIn(p.getFileName().toString(), "log-", ".tkv"));
            }
        }
        if (best == 0) {
            throw new CorruptDataException("bucket " + name + ": no log file in " + dir);
        }
        return best;
    }

    /** Opens generation {@code g}'s log and starts its index from a snapshot or from scratch. Write lock held. */
    private void loadGeneration(long g) throws IOException {
        openLog(g);
        resetIndex();
    }

    /** Opens generation {@code g}'s log and reads its header and config. Write lock held. */
    private void openLog(long g) throws IOException {
        Path p = logPath(g);
        DataFile f = io.open(p, writable);
        try {
            LogFormat.Header hdr = LogFormat.Header.read(f, p);
            if (hdr.generation() != g) {
                throw new CorruptDataException(p + ": header says generation " + hdr.generation());
            }
            DataFile old = log;
            log = f;
            header = hdr;
            config = hdr.config();
            generation = g;
            closeQuietly(old);
        } catch (IOException | RuntimeException e) {
            closeQuietly(f);
            throw e;
        }
    }

    /** Starts the current generation's index again, from its snapshot if one is usable. Write lock held. */
    private void resetIndex() throws IOException {
        HintFile.Snapshot snap = HintFile.read(io, dir, generation, log, header.length());
        if (snap != null) {
            index = snap.index();
            index.restoreCounters(header.startRevision(), 0, header.droppedThrough());
            knownLength = snap.offset();
        } else {
            index = new KeyIndex(header.startRevision(), header.droppedThrough());
            knownLength = header.length();
        }
        hintOffset = knownLength;
        committedLength = knownLength;
    }

    /** Applies committed records up to {@code target}; false if one is damaged or missing. Write lock held. */
    private boolean replayTo(long target) throws IOException {
        if (target <= knownLength) {
            return target == knownLength;
        }
        LogReader r = new LogReader(log, knownLength, target);
        int history = config.history();
        LogRecord rec;
        while ((rec = r.next()) != null) {
            index.apply(rec, history);
        }
        knownLength = r.position();
        committedLength = knownLength;
        return knownLength == target;
    }

    /** Without the file lock (read-only store): read every intact record; refuse a damaged middle. */
    private void replayReadOnly() throws IOException {
        long size = log.size();
        replayTo(size);
        if (knownLength < size && anyIntactRecordAfter(knownLength, size)) {
            throw corruptAt(knownLength);
        }
    }

    /**
     * Before a write: catch up with the files. The file lock is held, so no other process writes meanwhile, and
     * in the common case (nothing changed since our last write) the checks need no lock that readers wait for.
     */
    private void syncForWrite() throws IOException {
        HeadFile.State h = head.read();
        if (h != null && !h.deleted() && h.generation() == generation && h.length() == knownLength
                && log.size() == knownLength && !Files.exists(logPath(generation + 1))) {
            return;
        }
        syncLockedUnderWriteLock();
    }

    private void syncLockedUnderWriteLock() throws IOException {
        rw.writeLock().lock();
        try {
            syncLocked();
        } finally {
            rw.writeLock().unlock();
        }
    }

    /**
     * Brings this process up to date with the files and repairs them: the file lock and the write lock are held,
     * so no other writer is active. Records beyond the head are adopted when intact (they may be acknowledged
     * writes whose head update was lost) and a torn tail is cut; a damaged record followed by intact ones is
     * corruption and is refused without changing the file.
     */
    private void syncLocked() throws IOException {
        HeadFile.State h = head.read();
        if (h != null && h.deleted()) {
            markDeleted();
            throw new UnknownBucketException(name);
        }
        long g = h != null && h.generation() == generation && !Files.exists(logPath(generation + 1))
                ? generation : highestGeneration();
        if (g != generation) {
            loadGeneration(g);
        }
        if (h == null || h.generation() != g) {
            removeOlderGenerations(g);
            syncConfigCopy();
        }
        long size = log.size();
        if (size < knownLength) {
            loadGeneration(g);
        }
        if (knownLength < size) {
            replayTo(size);
            if (knownLength < size) {
                cutTornTail(knownLength, size);
            }
        }
        committedLength = knownLength;
        if (h == null || h.generation() != g || h.length() != knownLength) {
            head.write(new HeadFile.State(g, knownLength, false));
        }
    }

    private boolean configCopyMatches() {
        try {
            return config.equals(ConfigFile.read(io, dir));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Rewrites config.json, the readable copy, when it disagrees with the config in the log's header (after a crash
     * between a compaction's rename and the copy, or a damaged file). The file lock is held.
     */
    private void syncConfigCopy() {
        if (configCopyMatches()) {
            return;
        }
        try {
            LOG.get().warn("bucket {}: {} disagreed with the log; rewrote it from the log's header", name, ConfigFile.NAME);
            ConfigFile.write(io, dir, config);
        } catch (IOException | RuntimeException e) {
            LOG.get().warn("bucket {}: cannot rewrite {}: {}", name, ConfigFile.NAME, e.toString());
        }
    }

    /** Deletes logs and snapshots a finished compaction left behind (it crashed before deleting them). */
    private void removeOlderGenerations(long current) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                long g = Math.max(generationIn(f, "log-", ".tkv"), generationIn(f, "index-", ".hint"));
                if (g > 0 && g < current) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void cutTornTail(long at, long size) throws IOException {
        if (anyIntactRecordAfter(at, size)) {
            throw corruptAt(at);
        }
        LOG.get().warn("bucket {}: cutting a torn tail of {} bytes at offset {} of {} (a write interrupted by a crash)",
                name, size - at, at, logPath(generation));
        log.truncate(at);
        log.force();
    }

    private CorruptDataException corruptAt(long offset) {
        return new CorruptDataException(logPath(generation) + ": the record at offset " + offset
                + " is damaged and intact records follow it; the file was left untouched (run: tend kv check "
                + name + ")");
    }

    /** True when an intact record with a newer revision starts anywhere in (at, size). */
    private boolean anyIntactRecordAfter(long at, long size) throws IOException {
        long len = size - at - 1;
        if (len <= 0) {
            return false;
        }
        if (len > CORRUPTION_SCAN_LIMIT) {
            return true;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) len);
        log.readFully(buf, at + 1);
        buf.flip();
        long last = index.lastRevision();
        for (int i = 0; i + LogFormat.RECORD_OVERHEAD <= buf.limit(); i++) {
            buf.position(i);
            LogRecord r = LogFormat.decode(buf, at + 1 + i);
            if (r != null && r.revision() > last) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes this process see every committed write. Cheap when nothing changed: it reads the memory-mapped
     * head and compares, without a system call or a lock.
     */
    void refresh() {
        if (closed) {
            throw new StoreClosedException("the store is closed");
        }
        if (deleted) {
            throw new UnknownBucketException(name);
        }
        try {
            HeadFile.State h = head.read();
            // The head may be behind knownLength while this process forces its own batch: that is not news.
            if (h != null && !h.deleted() && h.generation() == generation && h.length() <= knownLength) {
                return;
            }
            slowRefresh(h);
        } catch (IOException e) {
            throw ioFailure("read", e);
        }
    }

    private void slowRefresh(HeadFile.State h) throws IOException {
        if (h != null && h.deleted()) {
            markDeleted();
            throw new UnknownBucketException(name);
        }
        boolean anomaly = h == null;
        if (!anomaly) {
            rw.writeLock().lock();
            try {
                if (h.generation() != generation) {
                    if (Files.exists(logPath(h.generation()))) {
                        loadGeneration(h.generation());
                    } else {
                        anomaly = true;
                    }
                }
                if (!anomaly && h.length() > knownLength && !replayTo(h.length())) {
                    anomaly = true;
                }
            } finally {
                rw.writeLock().unlock();
            }
        }
        if (anomaly) {
            if (writable) {
                withFileLock(this::syncLockedUnderWriteLock);
            } else if (h != null) {
                throw corruptAt(knownLength);
            }
        }
    }

    // =====================================================================================================
    // The file lock
    // =====================================================================================================

    interface LockedAction {
        void run() throws IOException;
    }

    /** Runs {@code action} holding the bucket's exclusive OS lock (byte 0 of the lock file). */
    void withFileLock(LockedAction action) throws IOException {
        fileLockMutex.lock();
        try {
            FileLock lock = acquire(0);
            try {
                action.run();
            } finally {
                lock.release();
            }
        } finally {
            fileLockMutex.unlock();
        }
    }

    private FileLock acquire(long position) throws IOException {
        return acquire(position, false);
    }

    private FileLock acquire(long position, boolean shared) throws IOException {
        if (lockChannel == null) {
            throw readOnly();
        }
        while (true) {
            try {
                return lockChannel.lock(position, 1, shared);
            } catch (OverlappingFileLockException e) {
                // Another store instance in this JVM holds it; the OS lock is per process, so wait our turn.
                LockSupport.parkNanos(200_000);
            }
        }
    }

    // =====================================================================================================
    // Writes: group commit
    // =====================================================================================================

    /** Submits a write and waits until it is committed (durable, in durable mode) or refused. */
    long submit(WriteRequest r) {
        if (!writable) {
            throw readOnly();
        }
        refreshLiveness();
        ensureIndex();
        return groupCommit.submit(r);
    }

    private void refreshLiveness() {
        if (closed) {
            throw new StoreClosedException("the store is closed");
        }
        if (deleted) {
            throw new UnknownBucketException(name);
        }
    }

    private void commit(List<WriteRequest> batch) {
        boolean[] wrote = new boolean[1];
        try {
            withFileLock(() -> wrote[0] = appendBatch(batch));
        } catch (KvException e) {
            failRemaining(batch, e);
        } catch (IOException e) {
            failRemaining(batch, ioFailure("write", e));
        } catch (RuntimeException | Error e) {
            LOG.get().error("bucket {}: unexpected failure while committing", name, e);
            failRemaining(batch, new StoreException("bucket " + name + ": write failed: " + e));
            if (e instanceof Error err) {
                throw err;
            }
        }
        if (wrote[0]) {
            signalWatches();
            maybeScheduleMaintenance();
        }
    }

    private static void failRemaining(List<WriteRequest> batch, KvException e) {
        for (WriteRequest r : batch) {
            if (!r.isDone()) {
                r.fail(e);
            }
        }
    }

    /**
     * Validates, appends, forces and publishes one batch; the file lock is held, so this process is the only
     * writer. The batch is validated against a fork of the index holding just its keys, written and forced
     * without any lock readers need, and only then applied to the index (microseconds under the write lock):
     * readers never wait for the disk and never see a write before it is durable. Requests are marked
     * successful only once published. True if anything was written.
     */
    private boolean appendBatch(List<WriteRequest> batch) throws IOException {
        syncForWrite();
        BucketConfig c = config;
        long now = store.nowNanos();
        if (c.hasTtl() && c.maxBucketSize() != BucketConfig.UNLIMITED) {
            // Expired entries must not count against the size limit (JetStream drops them on its own timer).
            expireUnderLock(c);
        }
        KeyIndex view;
        long start;
        rw.readLock().lock();
        try {
            view = index.fork(batch.stream().map(r -> r.key).toList());
            start = knownLength;
        } finally {
            rw.readLock().unlock();
        }
        if (c.hasTtl()) {
            view.expire(now - c.ttl().toNanos());
        }
        long total = 0;
        for (WriteRequest r : batch) {
            total += LogFormat.recordLength(r.key.length(), r.value.length);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(total, Integer.MAX_VALUE - 16));
        long[] revisions = new long[batch.size()];
        long[] offsets = new long[batch.size()];
        long[] created = new long[batch.size()];
        long pos = start;
        for (int k = 0; k < batch.size(); k++) {
            WriteRequest r = batch.get(k);
            try {
                int len = validate(r, c, view);
                if (buf.remaining() < len) {
                    throw new ValueTooLargeException("a batch of writes larger than 2 GiB cannot be stored");
                }
                revisions[k] = view.lastRevision() + 1;
                created[k] = Math.max(now, view.lastCreated());
                offsets[k] = pos;
                LogFormat.encode(buf, r.op, revisions[k], created[k], r.key, r.value);
                view.apply(r.key, r.op, revisions[k], pos, created[k], r.value.length, c.history());
                pos += len;
            } catch (KvException e) {
                r.fail(e);
            }
        }
        buf.flip();
        if (!buf.hasRemaining()) {
            return false;
        }
        long end = pos;
        try {
            log.write(buf, start);
            if (store.durable()) {
                log.force();
            }
        } catch (IOException e) {
            rollback(start, batch, e);
            return false;
        } catch (RuntimeException | Error e) {
            rollback(start, batch, new IOException(e.toString(), e));
            throw e;
        }
        rw.writeLock().lock();
        try {
            for (int k = 0; k < batch.size(); k++) {
                WriteRequest r = batch.get(k);
                if (!r.isDone()) {
                    index.apply(r.key, r.op, revisions[k], offsets[k], created[k], r.value.length, c.history());
                }
            }
            knownLength = end;
            committedLength = end;
        } finally {
            rw.writeLock().unlock();
        }
        head.write(new HeadFile.State(generation, end, false));
        for (int k = 0; k < batch.size(); k++) {
            if (!batch.get(k).isDone()) {
                batch.get(k).succeed(revisions[k]);
            }
        }
        poke();
        return true;
    }

    /**
     * Appends entries restored from a backup with their own revisions and times (which must rise above the
     * bucket's), forced before it returns. Limits are not checked: the entries met them when first written.
     */
    void appendRestored(List<Entry> entries) throws IOException {
        if (!writable) {
            throw readOnly();
        }
        refreshLiveness();
        ensureIndex();
        withFileLock(() -> {
            syncForWrite();
            BucketConfig c = config;
            long last;
            long lastCreated;
            long start;
            rw.readLock().lock();
            try {
                last = index.lastRevision();
                lastCreated = index.lastCreated();
                start = knownLength;
            } finally {
                rw.readLock().unlock();
            }
            long total = 0;
            for (Entry e : entries) {
                Names.checkKey(e.key());
                if (e.revision() <= last) {
                    throw new InvalidInputException("cannot restore revision " + e.revision() + " of key \""
                            + e.key() + "\" into bucket " + name + ": revisions must rise above " + last);
                }
                last = e.revision();
                total += LogFormat.recordLength(e.key().length(), e.operation().isMarker() ? 0 : e.value().length);
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(total));
            long[] offsets = new long[entries.size()];
            long[] created = new long[entries.size()];
            long pos = start;
            for (int k = 0; k < entries.size(); k++) {
                Entry e = entries.get(k);
                created[k] = Math.max(lastCreated, Times.nanos(e.created()));
                lastCreated = created[k];
                offsets[k] = pos;
                byte[] value = e.operation().isMarker() ? new byte[0] : e.value();
                LogFormat.encode(buf, e.operation(), e.revision(), created[k], e.key(), value);
                pos += LogFormat.recordLength(e.key().length(), value.length);
            }
            buf.flip();
            long end = pos;
            try {
                log.write(buf, start);
                log.force();
            } catch (IOException e) {
                log.truncate(start);
                throw e;
            }
            rw.writeLock().lock();
            try {
                for (int k = 0; k < entries.size(); k++) {
                    Entry e = entries.get(k);
                    int len = e.operation().isMarker() ? 0 : e.value().length;
                    index.apply(e.key(), e.operation(), e.revision(), offsets[k], created[k], len, c.history());
                }
                knownLength = end;
                committedLength = end;
            } finally {
                rw.writeLock().unlock();
            }
            head.write(new HeadFile.State(generation, end, false));
            poke();
        });
        signalWatches();
    }

    /**
     * Undoes a batch that could not be written or forced: cut the file back and fail the writes. The index was
     * not touched (it is updated only after the force).
     */
    private void rollback(long start, List<WriteRequest> batch, IOException cause) {
        KvException failure = ioFailure("write", cause);
        try {
            log.truncate(start);
        } catch (IOException e) {
            // Intact records of the batch may stay in the file, and the next writer would adopt them: say so.
            failure = new StoreException(failure.getMessage().replace("; the write was not stored", "")
                    + "; the write may still be applied when the file system is writable again");
            LOG.get().warn("bucket {}: could not cut back a failed write: {}", name, e.toString());
        }
        failRemaining(batch, failure);
    }

    /** Checks a write against the bucket's rules as {@code view} (the index and the batch so far) has it. */
    private int validate(WriteRequest r, BucketConfig c, KeyIndex view) {
        int len = r.value.length;
        if (len > LogFormat.MAX_VALUE_LENGTH || (c.maxValueSize() != BucketConfig.UNLIMITED
                && len > c.maxValueSize())) {
            long limit = c.maxValueSize() == BucketConfig.UNLIMITED ? LogFormat.MAX_VALUE_LENGTH
                    : Math.min(c.maxValueSize(), LogFormat.MAX_VALUE_LENGTH);
            throw new ValueTooLargeException("value of " + len + " bytes is larger than the max value size of "
                    + limit + " bytes of bucket " + name);
        }
        long[] e = view.entries(r.key);
        int n = e == null ? 0 : KeyIndex.count(e);
        long latest = n == 0 ? 0 : KeyIndex.revision(e, n - 1);
        switch (r.check) {
            case CREATE -> {
                if (n > 0 && KeyIndex.op(e, n - 1) == Operation.PUT) {
                    throw new KeyExistsException(name, r.key, latest);
                }
            }
            case REVISION -> {
                if (latest != r.expected) {
                    throw new WrongRevisionException(name, r.key, r.expected, latest);
                }
            }
            case NONE -> {
            }
        }
        int recordLength = LogFormat.recordLength(r.key.length(), len);
        if (c.maxBucketSize() != BucketConfig.UNLIMITED) {
            long freed = 0;
            int drop = r.op == Operation.PURGE ? n : Math.max(0, n - (c.history() - 1));
            for (int i = 0; i < drop; i++) {
                freed += KeyIndex.recordLength(r.key, e, i);
            }
            long after = view.bytes() - freed + recordLength;
            if (after > c.maxBucketSize()) {
                throw new BucketFullException("bucket " + name + " is full: writing " + recordLength
                        + " bytes would take it past its max bucket size of " + c.maxBucketSize() + " bytes ("
                        + view.bytes() + " stored)");
            }
        }
        return recordLength;
    }

    /** Wakes watchers in other processes: a write to this file is an inotify event; the head is not. */
    private void poke() {
        try {
            notifyChannel.write(ByteBuffer.wrap(new byte[] {1}), 0);
        } catch (IOException e) {
            LOG.get().debug("bucket {}: could not touch the notify file: {}", name, e.toString());
        }
    }

    // =====================================================================================================
    // Reads
    // =====================================================================================================

    BucketConfig config() {
        ensureIndex();
        refresh();
        return config;
    }

    /** The key's latest value, or empty when it has none or its latest entry is a marker or expired. */
    Optional<Entry> get(String key) {
        return value(key, 0);
    }

    /** The value at {@code revision} if it is a retained, unexpired value of this key. */
    Optional<Entry> get(String key, long revision) {
        return value(key, revision);
    }

    /** Reads the key's entry at {@code revision} (0: its latest), if it is a visible value. */
    private Optional<Entry> value(String key, long revision) {
        HeadFile.State h = pointReadAllowed() ? settledHead() : null;
        if (h != null) {
            rw.readLock().lock();
            try {
                long[] e = pointEntries(key, h);
                if (e != PointRead.UNANSWERED) {
                    return visibleValue(key, e, revision);
                }
            } finally {
                rw.readLock().unlock();
            }
        }
        ensureIndex();
        refresh();
        rw.readLock().lock();
        try {
            return visibleValue(key, index.entries(key), revision);
        } finally {
            rw.readLock().unlock();
        }
    }

    /** The read lock is held. */
    private Optional<Entry> visibleValue(String key, long[] e, long revision) {
        int i = e == null ? -1 : revision == 0 ? KeyIndex.count(e) - 1 : indexOf(e, revision);
        if (i < 0 || KeyIndex.op(e, i).isMarker() || expired(e, i)) {
            return Optional.empty();
        }
        return Optional.of(readEntry(key, e, i, 0, false));
    }

    private static int indexOf(long[] e, long revision) {
        for (int i = 0; i < KeyIndex.count(e); i++) {
            if (KeyIndex.revision(e, i) == revision) {
                return i;
            }
        }
        return -1;
    }

    /** True while this process reads the bucket without its index: its first few reads, before anything needed it. */
    private boolean pointReadAllowed() {
        return !indexReady && pointReads.getAndIncrement() < POINT_READS_BEFORE_INDEX;
    }

    /**
     * The head, once it covers every durable record of the log, for a point read; null when only loading the index
     * (with its repairs) can sort the files out. At once when the log is as long as the head says. Otherwise a writer
     * is appending, or died doing so, or the head is stale after a power loss (acknowledged records lie beyond it):
     * holding the file lock shared, so no writer is active, this looks again; still longer means a repair is due.
     * Waits for the file lock only then, and never holding the index lock (writers take that under the file lock).
     */
    private HeadFile.State settledHead() {
        refreshLiveness();
        try {
            HeadFile.State h = liveHead();
            if (h == null || logMatches(h)) {
                return h;
            }
            if (lockChannel == null) {
                return null;
            }
            fileLockMutex.lock();
            try {
                FileLock shared = acquire(0, true);
                try {
                    h = liveHead();
                    return h != null && logMatches(h) ? h : null;
                } finally {
                    shared.release();
                }
            } finally {
                fileLockMutex.unlock();
            }
        } catch (IOException e) {
            throw ioFailure("read", e);
        }
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

    /** True when the log this process has open is the head's generation and exactly as long as the head says. */
    private boolean logMatches(HeadFile.State h) throws IOException {
        rw.readLock().lock();
        try {
            return h.generation() == generation && log.size() == h.length();
        } finally {
            rw.readLock().unlock();
        }
    }

    /**
     * The key's entries as the index would hold them, read from the snapshot and the log up to the settled head's
     * length without loading the index, or {@link PointRead#UNANSWERED}. Read lock held.
     */
    private long[] pointEntries(String key, HeadFile.State h) {
        if (h.generation() != generation) {
            return PointRead.UNANSWERED;
        }
        try {
            return PointRead.entries(io, dir, generation, log, header.length(), h.length(), config.history(), key);
        } catch (IOException e) {
            throw ioFailure("read", e);
        }
    }

    List<Entry> history(String key) {
        HeadFile.State h = pointReadAllowed() ? settledHead() : null;
        if (h != null) {
            rw.readLock().lock();
            try {
                long[] e = pointEntries(key, h);
                if (e != PointRead.UNANSWERED) {
                    return visibleHistory(key, e);
                }
            } finally {
                rw.readLock().unlock();
            }
        }
        ensureIndex();
        refresh();
        rw.readLock().lock();
        try {
            return visibleHistory(key, index.entries(key));
        } finally {
            rw.readLock().unlock();
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
            out.add(readEntry(key, e, visible.get(j), visible.size() - j - 1, false));
        }
        return out;
    }

    List<String> keys(List<KeyFilter> filters) {
        ensureIndex();
        refresh();
        List<String> out = new ArrayList<>();
        rw.readLock().lock();
        try {
            for (String k : index.matching(filters)) {
                long[] e = index.entries(k);
                int i = KeyIndex.count(e) - 1;
                if (KeyIndex.op(e, i) == Operation.PUT && !expired(e, i)) {
                    out.add(k);
                }
            }
        } finally {
            rw.readLock().unlock();
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    BucketStatus status() {
        ensureIndex();
        refresh();
        rw.writeLock().lock();
        try {
            BucketConfig c = config;
            if (c.hasTtl()) {
                index.expire(store.nowNanos() - c.ttl().toNanos());
            }
            return new BucketStatus(c, index.values(), index.bytes(), index.lastRevision(), "embedded",
                    dir.toString());
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** Drops TTL-expired entries from the index (they are already invisible to reads). */
    private void expireUnderLock(BucketConfig c) {
        rw.writeLock().lock();
        try {
            index.expire(store.nowNanos() - c.ttl().toNanos());
        } finally {
            rw.writeLock().unlock();
        }
    }

    private boolean expired(long[] e, int i) {
        BucketConfig c = config;
        return c.hasTtl() && KeyIndex.created(e, i) <= store.nowNanos() - c.ttl().toNanos();
    }

    /** Reads and checks one entry's record. The read lock is held. */
    Entry readEntry(String key, long[] e, int i, long delta, boolean metaOnly) {
        long rev = KeyIndex.revision(e, i);
        if (metaOnly) {
            return new Entry(name, key, new byte[0], rev, Times.instant(KeyIndex.created(e, i)), delta,
                    KeyIndex.op(e, i));
        }
        LogRecord r = readRecord(KeyIndex.offset(e, i), KeyIndex.recordLength(key, e, i));
        if (r.revision() != rev || !r.key().equals(key)) {
            throw new CorruptDataException(logPath(generation) + ": the record at offset " + KeyIndex.offset(e, i)
                    + " is not revision " + rev + " of key \"" + key + "\"");
        }
        return r.toEntry(name, delta, false);
    }

    private LogRecord readRecord(long offset, int length) {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            log.readFully(buf, offset);
        } catch (IOException e) {
            throw ioFailure("read", e);
        }
        buf.flip();
        LogRecord r = LogFormat.decode(buf, offset);
        if (r == null) {
            throw new CorruptDataException(logPath(generation) + ": the record at offset " + offset
                    + " fails its checksum");
        }
        return r;
    }

    // =====================================================================================================
    // Watches
    // =====================================================================================================

    EmbeddedWatch watch(List<KeyFilter> filters, WatchOptions options, WatchListener listener) {
        ensureIndex();
        refresh();
        EmbeddedWatch w;
        rw.readLock().lock();
        try {
            List<EmbeddedWatch.Location> initial = new ArrayList<>();
            if (!options.updatesOnly()) {
                for (String k : index.matching(filters)) {
                    long[] e = index.entries(k);
                    int n = KeyIndex.count(e);
                    int from = options.includeHistory() || options.fromRevision() > 0 ? 0 : n - 1;
                    for (int i = from; i < n; i++) {
                        if (expired(e, i) || KeyIndex.revision(e, i) < options.fromRevision()
                                || (options.ignoreDeletes() && KeyIndex.op(e, i).isMarker())) {
                            continue;
                        }
                        initial.add(new EmbeddedWatch.Location(k, KeyIndex.revision(e, i)));
                    }
                }
                initial.sort(Comparator.comparingLong(EmbeddedWatch.Location::revision));
            }
            w = new EmbeddedWatch(this, filters, options, listener, initial, generation, knownLength,
                    index.lastRevision(), store.watchExecutor());
            watches.add(w);
        } finally {
            rw.readLock().unlock();
        }
        store.watching(this);
        w.start();
        return w;
    }

    void removeWatch(EmbeddedWatch w) {
        watches.remove(w);
    }

    boolean hasWatches() {
        return !watches.isEmpty();
    }

    void signalWatches() {
        for (EmbeddedWatch w : watches) {
            w.signal();
        }
    }

    /**
     * Wakes only the watches that have not read up to the head: a file-system event or the poll may be about a
     * write of this process, which its watches were already given, and a needless wake-up costs a thread switch.
     */
    void signalWatchesBehindHead() {
        HeadFile.State h;
        try {
            h = deleted || closed ? null : head.read();
        } catch (IOException e) {
            h = null; // wake them all: each finds out for itself
        }
        for (EmbeddedWatch w : watches) {
            if (h == null || h.deleted() || w.isBehind(h.generation(), h.length())) {
                w.signal();
            }
        }
    }

    /** A batch read for a watch, under the read lock: what it saw and where it got to. */
    record WatchRead(List<Entry> entries, long generation, long position, long scannedThrough, boolean more) {
    }

    /**
     * Reads records after a watch's cursor. If the log was compacted since, the cursor moves to the new log,
     * unless compaction dropped records it had not read: then {@link dev.tend.kv.FellBehindException}.
     */
    WatchRead readForWatch(long gen, long position, long scannedThrough, List<KeyFilter> filters,
                           WatchOptions options, int maxEntries) throws IOException {
        rw.readLock().lock();
        try {
            if (deleted) {
                return null;
            }
            long pos = position;
            if (gen != generation) {
                if (header.droppedThrough() > scannedThrough) {
                    throw new dev.tend.kv.FellBehindException("watch on bucket " + name
                            + " fell behind: compaction removed entries it had not read yet; watch again");
                }
                pos = positionAfter(scannedThrough);
            }
            long limit = Math.min(committedLength, knownLength);
            LogReader r = new LogReader(log, pos, limit);
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
                out.add(rec.toEntry(name, 0, options.metaOnly()));
            }
            if (out.size() < maxEntries && pos < limit) {
                throw corruptAt(pos);
            }
            return new WatchRead(out, generation, pos, scanned, pos < limit);
        } finally {
            rw.readLock().unlock();
        }
    }

    /** The offset of the first record after {@code revision} in the current log. Read lock held. */
    private long positionAfter(long revision) throws IOException {
        LogReader r = new LogReader(log, header.length(), knownLength);
        LogRecord rec;
        long pos = header.length();
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
        rw.readLock().lock();
        try {
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
                        out.add(readEntry(loc.key(), e, j, total - i, metaOnly));
                        break;
                    }
                }
            }
            return out;
        } finally {
            rw.readLock().unlock();
        }
    }

    // =====================================================================================================
    // Maintenance: expiry, compaction, snapshots
    // =====================================================================================================

    private void maybeScheduleMaintenance() {
        if (needsMaintenance() && maintenanceQueued.compareAndSet(false, true)) {
            store.scheduleMaintenance(this);
        }
    }

    private boolean needsMaintenance() {
        rw.readLock().lock();
        try {
            return deadBytes() > COMPACT_MIN_DEAD_BYTES && deadBytes() > (knownLength * COMPACT_DEAD_RATIO)
                    || knownLength - hintOffset > HINT_INTERVAL_BYTES;
        } finally {
            rw.readLock().unlock();
        }
    }

    private long deadBytes() {
        return knownLength - header.length() - index.bytes();
    }

    /** Background work: expire, compact when worthwhile, snapshot the index when due. Never throws. */
    void maintain() {
        maintenanceQueued.set(false);
        if (closed || deleted || !indexReady) {
            return;
        }
        try {
            refresh();
            BucketConfig c = config;
            if (c.hasTtl()) {
                expireUnderLock(c);
            }
            boolean compact;
            boolean snapshot;
            rw.readLock().lock();
            try {
                compact = deadBytes() > COMPACT_MIN_DEAD_BYTES && deadBytes() > knownLength * COMPACT_DEAD_RATIO;
                snapshot = knownLength - hintOffset > HINT_INTERVAL_BYTES;
            } finally {
                rw.readLock().unlock();
            }
            if (compact && writable) {
                compact(Compaction.trim());
            } else if (snapshot && writable) {
                writeSnapshot();
            }
        } catch (UnknownBucketException | StoreClosedException e) {
            LOG.get().debug("bucket {}: maintenance skipped: {}", name, e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.get().warn("bucket {}: background maintenance failed: {}", name, e.toString());
        }
    }

    /** Writes an index snapshot of what this process has read. */
    void writeSnapshot() throws IOException {
        ensureIndex();
        rw.readLock().lock();
        try {
            HintFile.write(io, dir, generation, knownLength, index);
            hintOffset = knownLength;
        } finally {
            rw.readLock().unlock();
        }
    }

    /**
     * Rewrites the log keeping only what the policy keeps, as a new generation, and switches every process to
     * it. A trim runs in two phases: the copy of what was committed when it started happens without locks
     * (writers go on), then the records written meanwhile are appended under the locks.
     */
    long compact(Compaction policy) throws IOException {
        if (!writable) {
            throw readOnly();
        }
        ensureIndex();
        compactionLock.lock();
        try {
            FileLock compactLock;
            try {
                compactLock = lockChannel.tryLock(1, 1, false);
            } catch (OverlappingFileLockException e) {
                compactLock = null; // another store instance in this JVM is compacting
            }
            if (compactLock == null) {
                if (policy.background()) {
                    return 0;
                }
                compactLock = acquire(1);
            }
            try {
                return policy.background() ? compactInBackground(policy) : compactNow(policy);
            } finally {
                compactLock.release();
            }
        } finally {
            compactionLock.unlock();
        }
    }

    private long compactInBackground(Compaction policy) throws IOException {
        long g;
        long end;
        LogFormat.Header srcHeader;
        rw.readLock().lock();
        try {
            g = generation;
            end = knownLength;
            srcHeader = header;
        } finally {
            rw.readLock().unlock();
        }
        Path tmp = dir.resolve("log-" + (g + 1) + ".tkv.tmp");
        long[] result = new long[1];
        try (DataFile src = io.open(logPath(g), false); DataFile out = io.open(tmp, true)) {
            out.truncate(0);
            KeyIndex fresh = new KeyIndex(srcHeader.startRevision(), srcHeader.droppedThrough());
            replayInto(src, srcHeader.length(), end, fresh);
            long changed = policy.apply(fresh, store.nowNanos(), config);
            long pos = LogCopy.retained(src, fresh, out, srcHeader.length());
            withFileLock(() -> {
                rw.writeLock().lock();
                try {
                    syncLocked();
                    if (generation != g) {
                        return;
                    }
                    long tail = LogCopy.range(log, end, knownLength, out, pos);
                    finishCompaction(out, tmp, g, fresh, tail, null);
                    result[0] = changed;
                } finally {
                    rw.writeLock().unlock();
                }
            });
        } finally {
            Files.deleteIfExists(tmp);
        }
        signalWatches();
        return result[0];
    }

    private long compactNow(Compaction policy) throws IOException {
        long[] result = new long[1];
        Path[] tmpHolder = new Path[1];
        try {
            withFileLock(() -> {
                rw.writeLock().lock();
                try {
                    syncLocked();
                    long g = generation;
                    Path tmp = dir.resolve("log-" + (g + 1) + ".tkv.tmp");
                    tmpHolder[0] = tmp;
                    try (DataFile out = io.open(tmp, true)) {
                        out.truncate(0);
                        KeyIndex fresh = new KeyIndex(header.startRevision(), header.droppedThrough());
                        replayInto(log, header.length(), knownLength, fresh);
                        result[0] = policy.apply(fresh, store.nowNanos(), config);
                        BucketConfig next = policy.newConfig() != null ? policy.newConfig() : config;
                        long end = LogCopy.retained(log, fresh, out, new LogFormat.Header(0, 0, 0, next).length());
                        finishCompaction(out, tmp, g, fresh, end, policy.newConfig());
                    }
                } finally {
                    rw.writeLock().unlock();
                }
            });
        } finally {
            if (tmpHolder[0] != null) {
                Files.deleteIfExists(tmpHolder[0]);
            }
        }
        signalWatches();
        return result[0];
    }

    private void replayInto(DataFile src, long from, long end, KeyIndex into) throws IOException {
        LogReader r = new LogReader(src, from, end);
        int history = config.history();
        LogRecord rec;
        while ((rec = r.next()) != null) {
            into.apply(rec, history);
        }
        if (r.position() < end) {
            throw corruptAt(r.position());
        }
    }

    /** Seals the new log and switches to it. File lock and write lock held. */
    private void finishCompaction(DataFile out, Path tmp, long g, KeyIndex fresh, long end, BucketConfig newConfig)
            throws IOException {
        long startRevision = Math.max(index.lastRevision(), fresh.lastRevision());
        long dropped = Math.max(header.droppedThrough(), fresh.maxDropped());
        BucketConfig next = newConfig != null ? newConfig : config;
        out.write(new LogFormat.Header(g + 1, startRevision, dropped, next).encode(), 0);
        out.truncate(end);
        out.force();
        // The rename is the commit point: the new log carries the new config in its header.
        io.move(tmp, logPath(g + 1));
        io.syncDirectory(dir);
        loadGeneration(g + 1);
        if (newConfig != null) {
            syncConfigCopy();
        }
        replayTo(end);
        try {
            HintFile.write(io, dir, generation, knownLength, index);
            hintOffset = knownLength;
        } catch (IOException e) {
            LOG.get().warn("bucket {}: could not write an index snapshot: {}", name, e.toString());
        }
        head.write(new HeadFile.State(g + 1, knownLength, false));
        head.flush();
        Files.deleteIfExists(logPath(g));
        Files.deleteIfExists(HintFile.path(dir, g));
        poke();
        LOG.get().debug("bucket {}: compacted into generation {} ({} bytes, {} entries){}", name, g + 1, end,
                index.values(), newConfig != null ? " with a new config" : "");
    }

    // =====================================================================================================
    // Config, deletion, closing
    // =====================================================================================================

    /** Changes the config: a compaction under the old rules trimmed to the new ones, then the new config. */
    void updateConfig(BucketConfig newConfig) throws IOException {
        compact(Compaction.reconfigure(newConfig));
    }

    /** Marks the bucket deleted for every process, then removes its files. */
    void removeBucket() throws IOException {
        ensureIndex();
        withFileLock(() -> {
            rw.writeLock().lock();
            try {
                syncLocked();
                head.write(new HeadFile.State(generation, knownLength, true));
                head.flush();
                poke();
                markDeleted();
            } finally {
                rw.writeLock().unlock();
            }
        });
    }

    private void markDeleted() {
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

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (writable && !deleted && indexReady) {
            boolean snapshot;
            rw.readLock().lock();
            try {
                snapshot = knownLength - hintOffset > HINT_ON_CLOSE_BYTES;
            } finally {
                rw.readLock().unlock();
            }
            if (snapshot) {
                try {
                    writeSnapshot();
                } catch (IOException | RuntimeException e) {
                    LOG.get().debug("bucket {}: no index snapshot on close: {}", name, e.toString());
                }
            }
        }
        closed = true;
        signalWatches();
        rw.writeLock().lock();
        try {
            closeQuietly(log);
            closeQuietly(head);
            closeQuietly(lockChannel);
            closeQuietly(notifyChannel);
        } finally {
            rw.writeLock().unlock();
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
        return new StoreException("bucket " + name + ": cannot " + what + " " + logPath(generation) + ": " + reason
                + ("write".equals(what) ? "; the write was not stored" : ""));
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
