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
 * <p>A channel the JDK closed (an interrupted lock wait closes it, and with it every lock of the process on the file)
 * is replaced for the next user that opens the file; its current users find it closed.
 */
final class LockFiles {
    /** Opens the file when no channel of it is open in this JVM. */
    interface Opener {
        FileChannel open() throws IOException;
    }

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
                if (OPEN.get(entry.key) == entry) {
                    OPEN.remove(entry.key);
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
