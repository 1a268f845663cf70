package dev.tend.kv.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * A bucket's {@code head} file: a few numbers (generation, committed length, deleted flag), memory-mapped and shared by every process that has the bucket
 * open, that say how far the log is committed. A reader compares them with what it has read to see, without a
 * system call, whether another process wrote. Writers change it only while holding the bucket's file lock,
 * as a seqlock (an odd sequence means an update is in progress).
 *
 * <p>The file is never forced: after a power loss it may be stale or missing, so it is a cache. The log is the
 * truth, and the writer that next takes the lock repairs the head from it.
 */
final class HeadFile implements Closeable {
    static final String NAME = "head";
    private static final long MAGIC = 0x54454e4448454144L; // "TENDHEAD"
    private static final int SIZE = 4096;
    private static final int MAGIC_AT = 0;
    private static final int SEQ_AT = 8;
    private static final int GENERATION_AT = 16;
    private static final int LENGTH_AT = 24;
    private static final int DELETED_AT = 40;
    private static final int SPINS_BEFORE_GIVING_UP = 10_000;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    /** What the head says. */
    record State(long generation, long length, boolean deleted) {
    }

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final boolean writable;

    private HeadFile(FileChannel channel, MappedByteBuffer map, boolean writable) {
        this.channel = channel;
        this.map = map;
        this.writable = writable;
    }

    /** Maps the head, creating a blank one when writable; returns null when read-only and absent. */
    static HeadFile open(Path dir, boolean writable) throws IOException {
        Path path = dir.resolve(NAME);
        if (!writable && !java.nio.file.Files.exists(path)) {
            return null;
        }
        FileChannel ch = writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                : FileChannel.open(path, StandardOpenOption.READ);
        try {
            if (writable && ch.size() < SIZE) {
                ch.write(java.nio.ByteBuffer.allocate((int) (SIZE - ch.size())), ch.size());
            }
            if (ch.size() < SIZE) {
                ch.close();
                return null;
            }
            MappedByteBuffer map = ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                    0, SIZE);
            return new HeadFile(ch, map, writable);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The current state, or null when the head was never written or is damaged. */
    State read() {
        for (int spin = 0; spin < SPINS_BEFORE_GIVING_UP; spin++) {
            long s1 = (long) LONGS.getAcquire(map, SEQ_AT);
            if ((s1 & 1) == 0) {
                long magic = (long) LONGS.getAcquire(map, MAGIC_AT);
                long generation = (long) LONGS.getAcquire(map, GENERATION_AT);
                long length = (long) LONGS.getAcquire(map, LENGTH_AT);
                long deleted = (long) LONGS.getAcquire(map, DELETED_AT);
                long s2 = (long) LONGS.getAcquire(map, SEQ_AT);
                if (s1 == s2) {
                    if (magic != MAGIC || generation <= 0 || length < LogFormat.HEADER_LENGTH) {
                        return null;
                    }
                    return new State(generation, length, deleted != 0);
                }
            }
            if (spin > 100) {
                LockSupport.parkNanos(1_000);
            }
        }
        // A writer died in the middle of an update; the next writer repairs it under the file lock.
        return null;
    }

    /** Writes a new state; the caller holds the bucket's file lock. */
    void write(State s) {
        if (!writable) {
            return;
        }
        long seq = (long) LONGS.getAcquire(map, SEQ_AT);
        long odd = (seq | 1) + ((seq & 1) == 0 ? 0 : 2);
        LONGS.setRelease(map, SEQ_AT, odd);
        LONGS.setRelease(map, MAGIC_AT, MAGIC);
        LONGS.setRelease(map, GENERATION_AT, s.generation());
        LONGS.setRelease(map, LENGTH_AT, s.length());
        LONGS.setRelease(map, DELETED_AT, s.deleted() ? 1L : 0L);
        LONGS.setRelease(map, SEQ_AT, odd + 1);
    }

    /** Flushes the mapped page; used only around rare events (compaction, deletion), never per write. */
    void flush() {
        if (writable) {
            map.force();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
