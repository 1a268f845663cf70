package dev.tend.kv.embedded;

import dev.tend.kv.UnknownBucketException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Brings a process in step with a bucket's files and repairs them (docs/embedded-engine.md, Crash safety). The
 * index load checks the log against the head; reads catch up with what other processes wrote or compacted; before
 * a write, and whenever the head and the log disagree, a holder of the file lock makes them agree: intact records
 * beyond a stale head are adopted (they may be acknowledged writes whose head update was lost), a torn tail is cut,
 * the generations a crashed compaction left behind are removed, config.json is rewritten from the log's header, and
 * the head is written. Records beyond the published mark that no writer holds pending ({@link #orphansBeyond}: a
 * dead writer's) are settled the same way before this process answers anything, on the index load and before a
 * write. A damaged record that intact ones follow is corruption: refused, the file left untouched. A
 * process without the file lock (a read-only store) repairs nothing: it reads every intact record and refuses
 * what it would have to repair.
 *
 * <p>It changes the engine's {@link LogView} only under the view's write lock, and the files only under the file
 * lock ({@link BucketLock}). The engine creates it on the first index load: a process that only makes point reads
 * never loads it.
 */
final class Recovery {
    private static final LazyLogger LOG = new LazyLogger(Recovery.class);
    private static final long CORRUPTION_SCAN_LIMIT = 256L * 1024 * 1024;

    private final BucketEngine engine;
    private final String name;
    private final Path dir;
    private final StorageIo io;
    private final boolean writable;
    private final HeadFile head;
    /** Null when the store is read-only here. */
    private final BucketLock bucketLock;
    private final LogView view;

    Recovery(BucketEngine engine) {
        this.engine = engine;
        this.name = engine.name;
        this.dir = engine.dir;
        this.io = engine.io;
        this.writable = engine.writable;
        this.head = engine.head;
        this.bucketLock = engine.bucketLock;
        this.view = engine.view;
    }

    /**
     * Loads the index: the newest generation, its snapshot and the log after it up to the head. When the head and
     * the log disagree (a stale or missing head, a compaction or a write interrupted), repairs them under the file
     * lock, or, read-only, reads every intact record. Rewrites config.json when it disagrees with the log's header.
     */
    void initialLoad() throws IOException {
        engine.identity.check(); // the log is found by its path: it must be this bucket's
        boolean recover;
        view.writeLock().lock();
        try {
            HeadFile.State h = head.read();
            if (h != null && h.deleted()) {
                throw new UnknownBucketException(name);
            }
            long g = Generation.highest(dir, name);
            engine.loadGeneration(g);
            // Records beyond the committed length up to the appended mark are a writer's batch waiting for its force,
            // or a dead writer's orphan when no writer has a batch pending: settled before this process answers.
            recover = h == null || h.generation() != g || view.generation().log().size() != h.appended()
                    || !view.replayTo(h.length()) || (writable && orphansBeyond(h));
        } finally {
            view.writeLock().unlock();
        }
        if (writable && !configCopyMatches()) {
            bucketLock.runExclusive(this::syncConfigCopy);
        }
        if (recover) {
            if (writable) {
                bucketLock.runExclusive(this::syncLockedUnderWriteLock);
            } else {
                view.writeLock().lock();
                try {
                    replayReadOnly();
                } finally {
                    view.writeLock().unlock();
                }
            }
        }
    }

    /**
     * True when the head has records appended beyond the published mark and no writer in any process has a batch
     * pending ({@link BucketLock#pendingBatchesLive}): they are a dead writer's (killed, or a power loss), never
     * acknowledged, and must be adopted or cut before anything is read or written, or a later force would publish
     * them under entries already read. Sure only under the file lock; a hint without it.
     */
    boolean orphansBeyond(HeadFile.State h) throws IOException {
        return engine.orphansBeyond(h);
    }

    /** Without the file lock (read-only store): read every intact record; refuse a damaged middle. */
    private void replayReadOnly() throws IOException {
        long size = view.generation().log().size();
        view.replayTo(size);
        long at = view.length();
        if (at < size && anyIntactRecordAfter(at, size)) {
            throw view.generation().corruptAt(at, name);
        }
    }

    /**
     * After a read found the head ahead of the view ({@code h}, null if unreadable): catches up, loading the head's
     * generation and replaying to its length. When that fails (a stale head, a torn tail, a generation gone), a
     * writable process repairs under the file lock; a read-only one refuses.
     */
    void catchUp(HeadFile.State h) throws IOException {
        if (h != null && h.deleted()) {
            engine.markDeleted();
            throw new UnknownBucketException(name);
        }
        boolean anomaly = h == null;
        if (!anomaly) {
            view.writeLock().lock();
            try {
                if (h.generation() != view.generation().number()) {
                    if (Files.exists(Generation.logPath(dir, h.generation()))) {
                        engine.loadGeneration(h.generation());
                    } else {
                        anomaly = true;
                    }
                }
                if (!anomaly && h.length() > view.length() && !view.replayTo(h.length())) {
                    anomaly = true;
                }
            } finally {
                view.writeLock().unlock();
            }
        }
        if (anomaly) {
            if (writable) {
                bucketLock.runExclusive(this::syncLockedUnderWriteLock);
            } else if (h != null) {
                throw view.generation().corruptAt(view.length(), name);
            }
        }
    }

    /**
     * Before a write: catch up with the files, and say where the next batch goes. The file lock is held, so no other
     * process appends meanwhile. In the common case (the log ends where the head's appended mark says) the view is
     * brought up to the committed length, and the records beyond it up to the mark are other processes' batches
     * waiting for their force, which the new batch goes after; otherwise the files are repaired first. Returns the
     * head as it then stands: {@code length} is where the view is, {@code appended} where the batch starts.
     */
    HeadFile.State syncForWrite() throws IOException {
        // The files' identity was checked just before the file lock was taken (BatchWriter.append).
        HeadFile.State h = head.read();
        long g = view.generation().number();
        if (h != null && !h.deleted() && h.generation() == g && view.generation().log().size() == h.appended()
                && HeadFile.lengthIn(head.word(HeadFile.FORCED_AT), g) >= 0
                && !Files.exists(Generation.logPath(dir, g + 1)) && !orphansBeyond(h)) {
            if (h.length() == view.length()) {
                return h;
            }
            view.writeLock().lock();
            try {
                if (view.replayTo(h.length())) {
                    return h;
                }
            } finally {
                view.writeLock().unlock();
            }
        }
        syncLockedUnderWriteLock();
        long length = view.length();
        return new HeadFile.State(view.generation().number(), length, false, length);
    }

    /** {@link #syncLocked} under the view's write lock; the file lock is held. */
    void syncLockedUnderWriteLock() throws IOException {
        view.writeLock().lock();
        try {
            syncLocked();
        } finally {
            view.writeLock().unlock();
        }
    }

    /**
     * Brings this process up to date with the files and repairs them: the file lock and the write lock are held,
     * so no other writer is active. Records beyond the head are adopted when intact (they may be acknowledged
     * writes whose head update was lost) and a torn tail is cut; a damaged record followed by intact ones is
     * corruption and is refused without changing the file.
     */
    void syncLocked() throws IOException {
        engine.identity.check();
        HeadFile.State h = head.read();
        if (h != null && h.deleted()) {
            engine.markDeleted();
            throw new UnknownBucketException(name);
        }
        long current = view.generation().number();
        long g = h != null && h.generation() == current && !Files.exists(Generation.logPath(dir, current + 1))
                ? current : Generation.highest(dir, name);
        if (g != current) {
            engine.loadGeneration(g);
        }
        if (h == null || h.generation() != g) {
            Generation.removeOlderThan(dir, g);
            syncConfigCopy();
        }
        long size = view.generation().log().size();
        if (size < view.length()) {
            engine.loadGeneration(g);
        }
        if (view.length() < size) {
            view.replayTo(size);
            if (view.length() < size) {
                cutTornTail(view.length(), size);
            }
        }
        long length = view.length();
        long forced = HeadFile.lengthIn(head.word(HeadFile.FORCED_AT), g);
        if (h == null || h.generation() != g || h.length() != length || h.appended() != length || forced < 0) {
            // Records adopted here may be another process's batch still waiting for its force, or a dead writer's:
            // nothing is published unforced. Rare (a crash, an old head), so the force may hold the view's lock.
            if (length > forced) {
                view.generation().log().force();
            }
            head.write(new HeadFile.State(g, length, false));
        }
        HeadFile.State now = head.read();
        if (now != null && now.appended() > length && !bucketLock.pendingBatchesLive()) {
            // The appended mark names bytes the log lost (a power loss, a torn tail cut): marks only rise, so bring
            // it down, or every writer and point read would take the repair path. No writer waits beyond it.
            head.cutTo(g, length);
        }
    }

    private boolean configCopyMatches() {
        try {
            return view.generation().config().equals(ConfigFile.read(io, dir));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Rewrites config.json, the readable copy, when it disagrees with the config in the log's header (after a crash
     * between a compaction's rename and the copy, or a damaged file). The file lock is held.
     */
    void syncConfigCopy() {
        if (configCopyMatches()) {
            return;
        }
        try {
            LOG.get().warn("bucket {}: {} disagreed with the log; rewrote it from the log's header", name, ConfigFile.NAME);
            ConfigFile.write(io, dir, view.generation().config());
        } catch (IOException | RuntimeException e) {
            LOG.get().warn("bucket {}: cannot rewrite {}: {}", name, ConfigFile.NAME, e.toString());
        }
    }

    private void cutTornTail(long at, long size) throws IOException {
        Generation gen = view.generation();
        if (anyIntactRecordAfter(at, size)) {
            throw gen.corruptAt(at, name);
        }
        LOG.get().warn("bucket {}: cutting a torn tail of {} bytes at offset {} of {} (a write interrupted by a crash)",
                name, size - at, at, gen.path());
        gen.log().truncate(at);
        gen.log().force();
    }

    /** True when an intact record with a newer revision than the index holds starts anywhere in (at, size). */
    private boolean anyIntactRecordAfter(long at, long size) throws IOException {
        long len = size - at - 1;
        if (len <= 0) {
            return false;
        }
        if (len > CORRUPTION_SCAN_LIMIT) {
            return true;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) len);
        view.generation().log().readFully(buf, at + 1);
        buf.flip();
        long last = view.index().lastRevision();
        for (int i = 0; i + LogFormat.RECORD_OVERHEAD <= buf.limit(); i++) {
            buf.position(i);
            LogRecord r = LogFormat.decode(buf, at + 1 + i);
            if (r != null && r.revision() > last) {
                return true;
            }
        }
        return false;
    }
}
