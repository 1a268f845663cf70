package dev.tend.kv.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channels of the files the engine holds OS locks on ({@code lock}, {@code handoff}, {@code handoff-wake}): one
 * channel per file in this JVM, shared by every user (every store instance, bucket creation, the removal of
 * leftovers, tests), closed when the last user lets go.
 *
 * <p>Why this is process-wide state, the engine's only static mutable state: {@link FileChannel#lock} takes a POSIX
 * record lock ({@code fcntl F_SETLK}), which belongs to the process, and {@code close(2)} of any descriptor of the
 * file in the process lets go of all the process's locks on it, whichever descriptor took them, while the JDK's
 * {@link java.nio.channels.FileLock} objects still say valid. A second store instance of this JVM closing its own
 * channel of a bucket's {@code lock} file would otherwise let go of the first one's file lock, slot locks or holder
 * lock, and another process could then append or take over a slot at the same time. With one channel per file, no
 * close but the last one's closes a descriptor.
 *
 * <p>Files are told apart by their identity (the {@code fileKey} of their attributes: device and inode), so a bucket
 * directory renamed into place, or a path spelled differently, shares the channel. Exclusion between users of this
 * JVM is unchanged by the sharing: the JDK refuses a lock overlapping one held, or waited for, anywhere in this JVM
 * ({@link java.nio.channels.OverlappingFileLockException}), whichever channel of the file it is taken through, and
 * the callers wait their turn on that as they did with channels of their own.
 *
 * <p>A channel the JDK closed (an interrupted wait for a hand-off round closes the wake file's; see below for why the
 * others are not) is replaced for the next user that opens the file; its current users find it closed.
 *
 * <p>Interrupts. The JDK closes a channel when a thread blocked in (or entering) an interruptible operation on it is
 * interrupted, and that close lets go of every lock of the process on the file. So no operation on a shared channel
 * runs with the caller's interrupt status set ({@link #uninterrupted}: cleared, set again on return), and no waiting
 * lock call is made by a thread that can be interrupted ({@link #lock}): a lock that cannot be taken at once is waited
 * for by a thread of a small pool of daemon threads ({@code tend-kv-lock-wait-N}, started when needed, ending after
 * {@value #IDLE_SECONDS} s idle) that nothing interrupts, while the caller waits for its result without giving up on
 * an interrupt. That pool is the other part of this class's process-wide state.
 */
final class LockFiles {
    /** Opens the file when no channel of it is open in this JVM. */
    interface Opener {
        FileChannel open() throws IOException;
    }

    /** An operation on a shared channel. */
    interface Call<T> {
        T call() throws IOException;
    }

    private static final int IDLE_SECONDS = 5;
    private static final AtomicInteger WAITERS = new AtomicInteger();
    /** The threads that wait for locks; never shut down, so never interrupted. */
    private static final ThreadPoolExecutor WAIT = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "tend-kv-lock-wait-" + WAITERS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    /** The open files, by identity; guarded by itself. */
    private static final Map<Object, Entry> OPEN = new HashMap<>();

    private LockFiles() {
    }

    /** One file's channel and how many users share it; guarded by {@link #OPEN}. */
    private static final class Entry {
        final Object key;
        final FileChannel channel;
        /** Channels opened while the path was being replaced, of a file that may be this one: closed with it. */
        final List<FileChannel> strays = new ArrayList<>(0);
        int users;

        Entry(Object key, FileChannel channel) {
            this.key = key;
            this.channel = channel;
        }
    }

    /** A user's share of a file's channel; closing it closes the channel if it was the last share. */
    static final class Share implements Closeable {
        private final Entry entry;
        private boolean closed;

        private Share(Entry entry) {
            this.entry = entry;
        }

        FileChannel channel() {
            return entry.channel;
        }

        @Override
        public void close() throws IOException {
            synchronized (OPEN) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--entry.users > 0) {
                    return;
                }
                Entry now = OPEN.get(entry.key);
                if (now == entry) {
                    OPEN.remove(entry.key);
                } else if (now != null && now.channel.isOpen()) {
                    // This entry's channel was closed and replaced: its strays may be the new entry's file, whose
                    // locks a close would let go of, so they go on with the new entry.
                    now.strays.addAll(entry.strays);
                    entry.strays.clear();
                }
            }
            // The last user: no lock of this JVM is held through the file any more.
            try {
                entry.channel.close();
            } finally {
                for (FileChannel c : entry.strays) {
                    c.close();
                }
            }
        }
    }

    /**
     * A share of {@code file}'s channel: the one open in this JVM, or one {@code opener} opens (which may create the
     * file, or throw {@link NoSuchFileException}). The caller closes the share, never the channel.
     */
    static Share open(Path file, Opener opener) throws IOException {
        return uninterrupted(() -> openShare(file, opener));
    }

    /**
     * Runs {@code call} (an operation on a shared channel) with the thread's interrupt status cleared, and sets it
     * again on return, so that the JDK does not close the channel for an interrupt.
     */
    static <T> T uninterrupted(Call<T> call) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return call.call();
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@link FileChannel#lock(long, long, boolean)} on a shared channel that an interrupt cannot close: tried without
     * waiting first; when held elsewhere, waited for by a thread of the lock-wait pool while this thread waits for
     * the result, an interrupt meanwhile remembered and set again on return (the wait is never given up, so a lock
     * granted is never left unowned). Throws what the lock call throws
     * ({@link java.nio.channels.OverlappingFileLockException} included).
     */
    static java.nio.channels.FileLock lock(FileChannel channel, long position, long size, boolean shared)
            throws IOException {
        java.nio.channels.FileLock l = uninterrupted(() -> channel.tryLock(position, size, shared));
        if (l != null) {
            return l;
        }
        Future<java.nio.channels.FileLock> f = WAIT.submit(() -> channel.lock(position, size, shared));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IOException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Share openShare(Path file, Opener opener) throws IOException {
        synchronized (OPEN) {
            while (true) {
                Object before = key(file);
                Entry e = before == null ? null : live(before);
                if (e != null) {
                    e.users++;
                    return new Share(e);
                }
                FileChannel channel = opener.open();
                Object after;
                try {
                    after = key(file);
                } catch (IOException | RuntimeException x) {
                    channel.close(); // not a file this JVM has open: the path did not name it before either
                    throw x;
                }
                if (after != null && (before == null || before.equals(after))) {
                    Entry known = live(after);
                    if (known == null) {
                        Entry n = new Entry(after, channel);
                        n.users = 1;
                        OPEN.put(after, n);
                        return new Share(n);
                    }
                    // Created or replaced by the time of the first look: keep the new descriptor with the file's.
                    known.strays.add(channel);
                    known.users++;
                    return new Share(known);
                }
                // The path was replaced while it was opened: which file the channel is cannot be told, so it is
                // kept with a file this JVM may hold locks on rather than closed, and the open is made again.
                Entry holder = after == null ? null : live(after);
                if (holder == null && before != null) {
                    holder = live(before);
                }
                if (holder != null) {
                    holder.strays.add(channel);
                } else {
                    channel.close();
                }
            }
        }
    }

    /** The open entry of {@code key} whose channel is still open; null when none. Holding {@link #OPEN}. */
    private static Entry live(Object key) {
        Entry e = OPEN.get(key);
        return e != null && e.channel.isOpen() ? e : null;
    }

    /** The file's identity (device and inode where the file system has them); null when it does not exist. */
    private static Object key(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        Object k = a.fileKey();
        return k != null ? k : file.toAbsolutePath().normalize();
    }
}
