package dev.tend.kv.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A data file's channel that outlives an interrupt. The JDK closes a channel when a thread in a call on it is
 * interrupted (a writer's force, say, in a thread the agent stops), and every later call on it fails: without this,
 * one interrupted thread left the store unable to write until it was opened again. A call made through
 * {@link #call} runs with the thread's interrupt status cleared (set again on return), so an interrupt that came
 * before it cannot close the channel; one that comes during it fails that call (a read is made again at once), and the
 * file is opened again by its path for the next call, if it is still the same file (device and inode). Not for the
 * files the engine holds OS locks on: closing a descriptor lets go of them ({@link LockFiles}).
 */
final class ReopenableChannel implements Closeable {
    /** A file operation. */
    interface Op<T> {
        T on(FileChannel ch) throws IOException;
    }

    private final Path path;
    private final boolean write;
    private final Object identity;
    private volatile FileChannel ch;
    private volatile boolean closed;

    /** {@code ch} is open on {@code path}, for reading, and for writing too with {@code write}. */
    ReopenableChannel(FileChannel ch, Path path, boolean write) {
        this(ch, path, write, keyOf(path));
    }

    /**
     * As above, the file's key (device and inode) known already: a file of another key at the path is never opened in
     * its place; with null, the channel is never opened again.
     */
    ReopenableChannel(FileChannel ch, Path path, boolean write, Object identity) {
        this.ch = ch;
        this.path = path;
        this.write = write;
        this.identity = identity;
    }

    private static Object keyOf(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs {@code op} on the channel; when an interrupt cut it short and {@code again}, once more on a new one. */
    <T> T call(Op<T> op, boolean again) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return op.on(channel());
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                    if (!again) {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The open channel: the one given, or one opened again after the JDK closed it. */
    private FileChannel channel() throws IOException {
        FileChannel c = ch;
        return c.isOpen() || closed ? c : reopen(c);
    }

    private synchronized FileChannel reopen(FileChannel dead) throws IOException {
        if (ch != dead || closed || identity == null) {
            return ch;
        }
        FileChannel c = write
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        try {
            if (!identity.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey())) {
                c.close();
                return dead; // another file has the path now: this one stays closed
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        ch = c;
        return c;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (this) {
            ch.close();
        }
    }
}
