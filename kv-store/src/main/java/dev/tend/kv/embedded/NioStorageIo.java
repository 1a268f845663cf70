package dev.tend.kv.embedded;

import dev.tend.kv.support.FileModes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@link StorageIo} on the real file system through {@link FileChannel}; it creates files with the store's mode.
 * A heap buffer is read and written in pieces of at most {@link #CHUNK} bytes: the JDK moves a heap buffer through a
 * temporary direct buffer of the same size and keeps it for the thread, for good (reading a 5 MB index snapshot in
 * one call left 5 MB of native memory in the thread that opened the bucket).
 */
final class NioStorageIo implements StorageIo {
    /** The most a read or a write moves through a heap buffer in one call. */
    static final int CHUNK = 256 * 1024;

    private final FileModes modes;

    /** Files created for their owner only. */
    NioStorageIo() {
        this(FileModes.OWNER);
    }

    NioStorageIo(FileModes modes) {
        this.modes = modes;
    }

    @Override
    public DataFile open(Path path, boolean write) throws IOException {
        FileChannel ch = write
                ? modes.openOrCreate(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        return new ChannelFile(ch, path, write);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        // Opening a directory for reading and forcing it is how the JDK exposes fsync on a directory on Linux.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on directories; the data files themselves were forced.
        }
    }

    /** A data file on a channel that outlives an interrupt ({@link ReopenableChannel}). */
    private static final class ChannelFile implements DataFile {
        private final ReopenableChannel file;

        ChannelFile(FileChannel ch, Path path, boolean write) {
            this.file = new ReopenableChannel(ch, path, write);
        }

        private <T> T call(ReopenableChannel.Op<T> op, boolean again) throws IOException {
            return file.call(op, again);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            if (dst.isDirect() || dst.remaining() <= CHUNK) {
                return call(c -> c.read(dst, position), true);
            }
            int limit = dst.limit();
            dst.limit(dst.position() + CHUNK);
            try {
                return call(c -> c.read(dst, position), true);
            } finally {
                dst.limit(limit);
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            call(c -> {
                long pos = position;
                int limit = src.limit();
                try {
                    while (src.hasRemaining()) {
                        if (!src.isDirect()) {
                            src.limit(src.position() + Math.min(CHUNK, limit - src.position()));
                        }
                        pos += c.write(src, pos);
                        src.limit(limit);
                    }
                } finally {
                    src.limit(limit);
                }
                return null;
            }, false);
        }

        @Override
        public long size() throws IOException {
            return call(FileChannel::size, true);
        }

        @Override
        public void truncate(long size) throws IOException {
            call(c -> c.truncate(size), false);
        }

        @Override
        public void force() throws IOException {
            call(c -> {
                c.force(false);
                return null;
            }, false);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
