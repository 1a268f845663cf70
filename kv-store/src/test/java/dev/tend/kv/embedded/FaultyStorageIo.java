package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * {@link NioStorageIo} with switchable failures, as a full disk or a read-only file system gives them (a root user
 * ignores file permissions, so the tests cannot rely on chmod).
 */
final class FaultyStorageIo implements StorageIo {
    enum Fault {
        /** Everything works. */
        NONE,
        /** A write stores part of its bytes, then fails with ENOSPC (ext4 style). */
        FULL_ON_WRITE,
        /** Writes land in the page cache; the force fails with ENOSPC (NFS, thin provisioning). */
        FULL_ON_FORCE,
        /** Opening for writing, writing, truncating, forcing and renaming fail with EROFS. */
        READ_ONLY
    }

    private final StorageIo real = new NioStorageIo();
    private volatile Fault fault = Fault.NONE;
    private volatile int failures;

    void fault(Fault f) {
        this.fault = f;
    }

    /** How many operations failed on purpose. */
    int failures() {
        return failures;
    }

    private IOException noSpace(Path p) {
        failures++;
        return new IOException("No space left on device");
    }

    private IOException readOnly(Path p) {
        failures++;
        return new FileSystemException(p.toString(), null, "Read-only file system");
    }

    @Override
    public DataFile open(Path path, boolean write) throws IOException {
        if (write && fault == Fault.READ_ONLY) {
            throw readOnly(path); // EROFS, as open(O_RDWR) gives on a read-only mount, for new and existing files
        }
        DataFile d = real.open(path, write);
        return new DataFile() {
            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return d.read(dst, position);
            }

            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                switch (fault) {
                    case FULL_ON_WRITE -> {
                        ByteBuffer half = src.duplicate();
                        half.limit(half.position() + src.remaining() / 2);
                        d.write(half, position);
                        throw noSpace(path);
                    }
                    case READ_ONLY -> throw readOnly(path);
                    default -> d.write(src, position);
                }
            }

            @Override
            public long size() throws IOException {
                return d.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                if (fault == Fault.READ_ONLY) {
                    throw readOnly(path);
                }
                d.truncate(size);
            }

            @Override
            public void force() throws IOException {
                switch (fault) {
                    case FULL_ON_FORCE -> throw noSpace(path);
                    case READ_ONLY -> throw readOnly(path);
                    default -> d.force();
                }
            }

            @Override
            public void close() throws IOException {
                d.close();
            }
        };
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        switch (fault) {
            case READ_ONLY -> throw readOnly(to);
            case FULL_ON_WRITE, FULL_ON_FORCE -> {
                // A rename needs no new blocks in practice; let it pass.
                real.move(from, to);
            }
            default -> real.move(from, to);
        }
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        if (fault == Fault.READ_ONLY) {
            throw readOnly(dir);
        }
        real.syncDirectory(dir);
    }
}
