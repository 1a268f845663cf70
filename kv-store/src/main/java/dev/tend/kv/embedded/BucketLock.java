package dev.tend.kv.embedded;

import dev.tend.kv.support.FileModes;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bucket's {@code lock} file, through which processes take turns. Byte 0 is the file lock: exclusive for
 * whoever changes the log or the head (a writer, a compaction's last phase, a repair), shared for a point read that
 * waits out a writer's commit. Byte 1 is the compaction lock: one compaction at a time, in all processes. Byte 2
 * is the snapshot lock: shared while a process writes an index snapshot's temporary file, so that the removal of
 * temporary files a crash left ({@link LeftoverFiles}), which takes it exclusively without waiting, spares those.
 * Byte 3 is the force lock: a writer whose appended records are not yet known forced takes it exclusively to force
 * the log, so one force at a time covers what every process appended before it, and the writers that meanwhile wait
 * for it shared wake together when it is let go and usually find theirs forced already ({@link #awaitForced};
 * docs/embedded-engine.md, Writing). Nothing else is taken while holding it, but the file lock after a failed force.
 * Byte 4 is the pending lock: a writer holds it shared from before it appends a batch (holding the file lock) until
 * the batch is published or has failed, so that a holder of the file lock who finds records appended beyond the
 * published mark can tell a live writer's batch, waiting for its force, from a dead writer's orphan: when it can take
 * byte 4 exclusively ({@link #pendingBatchesLive}), no process has a batch in flight, and the orphans are settled
 * (docs/embedded-engine.md, Crash safety). Byte 5 is the hand-off holder's: the process that takes it exclusively
 * without waiting serves the writes other processes posted in the slot table ({@link Handoff}), taking the file
 * lock under it. Bytes 0 and 1 of the {@code handoff-wake} file ({@link #WAKE_NAME}) wake the writers waiting for
 * a round of it: the holder holds the round's byte exclusively while it serves the round, and they wait for it
 * shared. Those bytes live in a file of their own, held through a channel of their own: a wait is interruptible,
 * and the JDK closes a channel whose waiter is interrupted, which lets go of every OS lock the process holds on that
 * file (a record lock belongs to the process, not to the channel). Closing the wake file's channel only wakes
 * waiters early; the channel is opened again for the next wait.
 *
 * <p>An OS lock belongs to the whole process, so each byte also has an in-process mutex, taken first: this engine's
 * threads take turns on the mutex, then processes on the byte. Another store instance in this JVM has its own
 * mutex; the JDK refuses its overlapping lock, and it waits its turn. Every user of the lock file and of the wake file
 * in this JVM shares one channel of each ({@link LockFiles}): closing a channel would let go of every OS lock this
 * process holds on the file, another instance's too, so {@link #close} lets go of this instance's locks and share only.
 */
final class BucketLock implements Closeable {
    static final String NAME = "lock";
    private static final long FILE_LOCK = 0;
    static final long COMPACTION_LOCK = 1;
    private static final long SNAPSHOT_LOCK = 2;
    static final long FORCE_LOCK = 3;
    private static final long PENDING_LOCK = 4;
    private static final long HOLDER_LOCK = 5;
    /** The file of the hand-off's wake bytes, created on first use. */
    static final String WAKE_NAME = "handoff-wake";
    /** Bytes 0 and 1 of the wake file: a hand-off holder holds (round % 2) exclusively while it serves the round. */
    static final long WAKE_LOCK = 0;
    /** How long a waiter for a round sleeps when another store instance of this JVM holds the round's byte. */
    private static final long OVERLAP_PAUSE_NANOS = 20_000;
    /** How long a writer waits for another store instance of this JVM that is testing byte 4, before going on. */
    private static final int PENDING_RETRIES = 10;
    /** How many times a writer waits for the force lock shared before it waits for it exclusively. */
    private static final int SHARED_WAITS = 4;

    /** What runs holding a lock. */
    interface Action {
        void run() throws IOException;
    }

    /** This instance's share of the lock file's channel, which every user of the file in this JVM shares. */
    private final LockFiles.Share share;
    private final FileChannel channel;
    private final Path dir;
    /** The store's file modes, for the wake file; null for a lock file opened as it is ({@link #openExisting}). */
    private final FileModes modes;
    /** A share of the wake file's channel, taken on first use and again after an interrupt closed it; guarded by this. */
    private LockFiles.Share wake;
    private final ReentrantLock fileMutex = new ReentrantLock();
    private final ReentrantLock compactionMutex = new ReentrantLock();
    /** Held with byte 2; this process's snapshots are written one at a time. */
    private final ReentrantLock snapshotMutex = new ReentrantLock();
    /** Held with byte 3: this process's writers force one at a time. */
    private final ReentrantLock forceMutex = new ReentrantLock();
    /** Byte 0 while held; guarded by {@link #fileMutex}. */
    private FileLock fileLock;
    /** Byte 1 while held; guarded by {@link #compactionMutex}. */
    private FileLock compactionLock;
    /** Guards {@link #pendingBatches} and {@link #pendingLock}; never held while waiting for another lock. */
    private final Object pendingMonitor = new Object();
    /** This instance's batches appended and not yet published or failed. */
    private int pendingBatches;
    /** Byte 4, shared, while {@link #pendingBatches} is positive (null if another instance of this JVM held it). */
    private FileLock pendingLock;

    private BucketLock(LockFiles.Share share, Path dir, FileModes modes) {
        this.share = share;
        this.channel = share.channel();
        this.dir = dir;
        this.modes = modes;
    }

    /** Opens the bucket's lock file, creating it if missing; fails when the directory is not writable. */
    static BucketLock open(Path dir, FileModes modes) throws IOException {
        Path p = dir.resolve(NAME);
        return new BucketLock(LockFiles.open(p, () -> modes.openOrCreate(p, StandardOpenOption.READ,
                StandardOpenOption.WRITE)), dir, modes);
    }

    /** Opens an existing lock file; throws {@link java.nio.file.NoSuchFileException} when there is none. */
    static BucketLock openExisting(Path dir) throws IOException {
        Path p = dir.resolve(NAME);
        return new BucketLock(LockFiles.open(p, () -> FileChannel.open(p, StandardOpenOption.READ,
                StandardOpenOption.WRITE)), dir, null);
    }

    /**
     * Runs {@code action} holding the file lock exclusively if no other process (or store instance) holds it, without
     * waiting; false when one does.
     */
    boolean tryRunExclusive(Action action) throws IOException {
        return tryRun(fileMutex, FILE_LOCK, action);
    }

    /** Runs {@code action} holding the file lock exclusively. */
    void runExclusive(Action action) throws IOException {
        lock(false);
        try {
            action.run();
        } finally {
            unlock();
        }
    }

    /** Takes the file lock shared: no writer is active until {@link #unlock}. */
    void lockShared() throws IOException {
        lock(true);
    }

    private void lock(boolean shared) throws IOException {
        fileMutex.lock();
        boolean locked = false;
        try {
            fileLock = acquire(FILE_LOCK, shared);
            locked = true;
        } finally {
            if (!locked) {
                fileMutex.unlock();
            }
        }
    }

    /** Releases the file lock taken by {@link #lockShared}. */
    void unlock() throws IOException {
        FileLock held = fileLock;
        fileLock = null;
        try {
            held.release();
        } finally {
            fileMutex.unlock();
        }
    }

    /**
     * Takes the compaction lock. When another process (or store instance) holds it, waits if {@code wait}, else
     * returns false at once: a background trim gives way to a compaction already running.
     */
    boolean lockCompaction(boolean wait) throws IOException {
        compactionMutex.lock();
        FileLock l = null;
        try {
            try {
                l = uninterrupted(() -> channel.tryLock(COMPACTION_LOCK, 1, false));
            } catch (OverlappingFileLockException e) {
                l = null; // another store instance in this JVM is compacting
            }
            if (l == null && wait) {
                l = acquire(COMPACTION_LOCK, false);
            }
        } finally {
            if (l == null) {
                compactionMutex.unlock();
            }
        }
        if (l == null) {
            return false;
        }
        compactionLock = l;
        return true;
    }

    void unlockCompaction() throws IOException {
        FileLock held = compactionLock;
        compactionLock = null;
        try {
            held.release();
        } finally {
            compactionMutex.unlock();
        }
    }

    /** What tells a writer waiting for its force that it is done. */
    interface Check {
        boolean done() throws IOException;
    }

    /**
     * Returns once {@code done} says so (the log is forced past the caller's batch), forcing when needed. Holding
     * this process's force mutex, it tries byte 3 exclusively without waiting; when it gets it and {@code done} still
     * says no, it runs {@code force}, which forces the log and raises the forced mark (or throws). When another
     * process holds byte 3, it waits for byte 3 shared and lets go at once: the OS grants every shared waiter
     * together when the forcer lets go, so the writers one force covered wake at the same time and each sees it
     * in the forced mark, instead of taking the lock exclusively one after the other to see it. Only a writer still
     * not covered then tries exclusively, and forces for everyone appended since. After {@value #SHARED_WAITS} such
     * waits it waits for byte 3 exclusively, so that other writers' brief shared holds cannot keep it out for long.
     * A writer that predates the shared wait takes byte 3 exclusively, waiting: the two kinds exclude each other as
     * before.
     */
    void awaitForced(Check done, Action force) throws IOException {
        forceMutex.lock();
        try {
            for (int wait = 0; !done.done(); wait++) {
                FileLock l = wait < SHARED_WAITS ? tryLock(FORCE_LOCK) : acquire(FORCE_LOCK, false);
                if (l == null) {
                    acquire(FORCE_LOCK, true).release();
                    continue;
                }
                try {
                    if (!done.done()) {
                        force.run();
                    }
                } finally {
                    l.release();
                }
                return;
            }
        } finally {
            forceMutex.unlock();
        }
    }

    /**
     * Byte 5 (the hand-off holder's) exclusively if no process (or store instance of this JVM) holds it, without
     * waiting; null when one does. The caller lets go of it.
     */
    FileLock tryHolder() throws IOException {
        return tryLock(HOLDER_LOCK);
    }

    /**
     * Takes the byte of hand-off round {@code round} exclusively, waiting; the caller lets go of it
     * ({@link #releaseRound}). An interrupt does not end the wait: the wake file is opened again and the wait goes
     * on, and the thread's interrupt status is set again on return (see {@link #awaitRound}).
     */
    FileLock lockRound(long round) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return acquire(wakeChannel(), WAKE_LOCK + (round & 1), false);
                } catch (ClosedByInterruptException | FileLockInterruptionException e) {
                    interrupted = true;
                    Thread.interrupted();
                    dropWake();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Lets go of a round's byte taken by {@link #lockRound}; nothing to do when its channel was closed since. */
    static void releaseRound(FileLock l) throws IOException {
        if (l.isValid()) {
            try {
                l.release();
            } catch (java.nio.channels.ClosedChannelException e) {
                // closed meanwhile: the OS let go of it
            }
        }
    }

    /**
     * Waits until round {@code round}'s holder lets go of the round's byte (shared, let go at once: every waiter
     * wakes together); a short pause when another store instance of this JVM holds it (the JDK refuses the lock).
     * An interrupt ends the wait early and is kept as the thread's interrupt status; the wake file's channel is
     * closed by it (the JDK's doing; it is opened again for the next wait), and no other lock of this bucket is
     * affected. The caller clears the status before it uses the lock file's channel again (the JDK would close that
     * channel too, and with it every OS lock this process holds on the lock file) and sets it again once it is done.
     */
    void awaitRound(long round) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            wakeChannel().lock(WAKE_LOCK + (round & 1), 1, true).release();
        } catch (OverlappingFileLockException e) {
            LockSupport.parkNanos(OVERLAP_PAUSE_NANOS);
        } catch (ClosedByInterruptException | FileLockInterruptionException e) {
            dropWake(); // the JDK closed the channel
            interrupted = true;
        } catch (IOException e) {
            if (!falseDeadlock(e)) {
                throw e;
            }
            LockSupport.parkNanos(OVERLAP_PAUSE_NANOS); // the caller looks at its slot again
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized FileChannel wakeChannel() throws IOException {
        if (wake != null && !wake.channel().isOpen()) {
            dropWake(); // closed by an interrupt, here or in another user of this JVM
        }
        if (wake == null) {
            Path p = dir.resolve(WAKE_NAME);
            wake = LockFiles.open(p, () -> modes != null
                    ? modes.openOrCreate(p, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE));
        }
        return wake.channel();
    }

    /**
     * Lets go of this instance's share of the wake file. After an interrupt the JDK has closed the shared channel (and
     * the OS every lock of this process on the wake file: waiters in other processes wake early, nothing else); the
     * next {@link #wakeChannel} opens a new one.
     */
    private synchronized void dropWake() {
        if (wake != null) {
            try {
                wake.close();
            } catch (IOException e) {
                // closed by the interrupt already
            }
            wake = null;
        }
    }

    /**
     * Whether the OS refused a lock wait as a deadlock ({@code EDEADLK}). It sees a cycle between processes, not
     * threads: a hand-off holder waiting for the file lock while a writer of another process waits for the holder's
     * round byte and another thread of that process (maintenance, a point read) holds the file lock is such a cycle,
     * though that thread lets go without either. The locks are always taken in one order ({@code package-info}), so
     * waiting again is right.
     */
    private static boolean falseDeadlock(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("deadlock");
    }

    /** Byte {@code position} exclusively if no process (or store instance of this JVM) holds it; else null. */
    private FileLock tryLock(long position) throws IOException {
        try {
            return uninterrupted(() -> channel.tryLock(position, 1, false));
        } catch (OverlappingFileLockException e) {
            return null; // another store instance in this JVM holds it
        }
    }

    /**
     * Counts a batch about to be appended as pending, taking byte 4 shared for the first one. The file lock is held,
     * so no process is testing byte 4 exclusively under it; another store instance of this JVM may be testing it
     * without the file lock ({@link #pendingBatchesLive}) or hold it shared for a batch of its own, which the JDK
     * both refuses as overlapping: then this waits a little and, if it stays refused, goes on without (another
     * instance holds it shared for this process; should it let go first, a settler may adopt this batch early,
     * which forces and publishes it as its own force would).
     */
    void beginPending() throws IOException {
        synchronized (pendingMonitor) {
            if (pendingBatches == 0) {
                for (int attempt = 0; attempt < PENDING_RETRIES && pendingLock == null; attempt++) {
                    try {
                        pendingLock = LockFiles.lock(channel, PENDING_LOCK, 1, true);
                    } catch (OverlappingFileLockException e) {
                        LockSupport.parkNanos(50_000);
                    }
                }
            }
            pendingBatches++;
        }
    }

    /** Ends a batch counted by {@link #beginPending}: published, or failed; lets go of byte 4 after the last. */
    void endPending() throws IOException {
        synchronized (pendingMonitor) {
            if (--pendingBatches > 0) {
                return;
            }
            FileLock held = pendingLock;
            pendingLock = null;
            if (held != null) {
                held.release();
            }
        }
    }

    /**
     * Whether any writer, in any process, may have a batch appended and not yet published or failed: false only
     * when byte 4 could be taken exclusively (and was let go at once). Held with the file lock, a false answer stays
     * true until it is released, since writers count a batch as pending under it: the records beyond the published
     * mark are then a dead writer's. Without the file lock it is a hint.
     */
    boolean pendingBatchesLive() throws IOException {
        synchronized (pendingMonitor) {
            if (pendingBatches > 0) {
                return true;
            }
            FileLock l;
            try {
                l = uninterrupted(() -> channel.tryLock(PENDING_LOCK, 1, false));
            } catch (OverlappingFileLockException e) {
                return true; // another store instance of this JVM has a batch pending, or is testing
            }
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        }
    }

    /** Runs {@code action}, which writes an index snapshot, holding the snapshot lock shared. */
    void runWritingSnapshot(Action action) throws IOException {
        snapshotMutex.lock();
        try {
            FileLock l = acquire(SNAPSHOT_LOCK, true);
            try {
                action.run();
            } finally {
                l.release();
            }
        } finally {
            snapshotMutex.unlock();
        }
    }

    /**
     * Runs {@code action} holding the snapshot lock exclusively if no process (or store instance) is writing a
     * snapshot, without waiting; false when one is.
     */
    boolean tryRunWithoutSnapshotWriters(Action action) throws IOException {
        return tryRun(snapshotMutex, SNAPSHOT_LOCK, action);
    }

    private boolean tryRun(ReentrantLock mutex, long position, Action action) throws IOException {
        if (!mutex.tryLock()) {
            return false;
        }
        try {
            FileLock l;
            try {
                l = uninterrupted(() -> channel.tryLock(position, 1, false));
            } catch (OverlappingFileLockException e) {
                l = null; // another store instance in this JVM holds it
            }
            if (l == null) {
                return false;
            }
            try {
                action.run();
            } finally {
                l.release();
            }
            return true;
        } finally {
            mutex.unlock();
        }
    }

    private FileLock acquire(long position, boolean shared) throws IOException {
        return uninterrupted(() -> acquire(channel, position, shared));
    }

    /** A lock call on the lock file. */
    private interface LockCall {
        FileLock call() throws IOException;
    }

    /**
     * Makes a lock call on the lock file with the thread's interrupt status cleared, and sets it again after: the
     * JDK closes a channel used by an interrupted thread, and with it the OS lets go of every lock this process holds
     * on the file, those of every store instance of this JVM sharing it ({@link LockFiles#uninterrupted}).
     */
    private static FileLock uninterrupted(LockCall call) throws IOException {
        return LockFiles.uninterrupted(call::call);
    }

    /**
     * Takes the lock at {@code position}, waiting, in a way an interrupt cannot end or turn into a close of the
     * shared channel ({@link LockFiles#lock}); an interrupt meanwhile is the thread's status again on return.
     */
    private static FileLock acquire(FileChannel channel, long position, boolean shared) throws IOException {
        while (true) {
            try {
                return LockFiles.lock(channel, position, 1, shared);
            } catch (OverlappingFileLockException e) {
                // Another store instance in this JVM holds it; the OS lock is per process, so wait our turn.
                LockSupport.parkNanos(200_000);
            } catch (IOException e) {
                if (!falseDeadlock(e)) {
                    throw e;
                }
                LockSupport.parkNanos(OVERLAP_PAUSE_NANOS);
            }
        }
    }

    /**
     * Lets go of what this instance still holds (byte 4 for batches never ended, the compaction lock) and of its
     * shares of the files: the channels close with their last user in this JVM, so another store instance's locks on
     * the files stay held.
     */
    @Override
    public void close() throws IOException {
        try {
            synchronized (pendingMonitor) {
                releaseQuietly(pendingLock);
                pendingLock = null;
                pendingBatches = 0;
            }
            releaseQuietly(compactionLock);
            releaseQuietly(fileLock);
        } finally {
            dropWake();
            share.close();
        }
    }

    private static void releaseQuietly(FileLock l) {
        if (l != null && l.isValid()) {
            try {
                l.release();
            } catch (IOException e) {
                // the channel was closed: the lock went with it
            }
        }
    }
}
