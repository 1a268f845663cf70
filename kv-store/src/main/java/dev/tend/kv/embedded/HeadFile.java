package dev.tend.kv.embedded;

import dev.tend.kv.support.FileModes;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A bucket's {@code head} file: a few numbers (generation, committed length, deleted flag), memory-mapped and shared
 * by every process that has the bucket open, that say how far the log is committed. A reader compares them with
 * what it has read to see, without a system call, whether another process wrote. Writers change those only while
 * holding the bucket's file lock, as a seqlock (an odd sequence means an update is in progress). Beside them lie
 * the commit marks of the cross-process group commit (appended, forced, published: {@link #raise}), which rise by
 * compare-and-set from any process; the committed length a reader gets is the published mark when it belongs to
 * the head's generation.
 *
 * <p>The file is mapped on first use: a process that only reads a key or two ({@link #readUnmapped}) never maps it,
 * because the JDK's first {@code FileChannel.map} starts its method-handle machinery, which costs a one-shot command
 * more than the rest of its read.
 *
 * <p>The file is never forced: after a power loss it may be stale or missing, so it is a cache. The log is the
 * truth, and the writer that next takes the lock repairs the head from it.
 *
 * <p>It also tells whether it is still the bucket's head ({@link #stillAtItsPath}): the file's identity (device and
 * inode) is taken when it is opened, and an open file's inode is never reused, so another identity at the path, or
 * none, means the bucket's directory was removed or replaced while this process had it open.
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
    /**
     * The commit marks, each a word packing a generation's tag with a length in that generation's log
     * ({@link #pack}): how far complete records were appended (written only under the file lock), how far the log is
     * known forced, and how far it is published to readers. The last two rise by compare-and-set from any process,
     * without the file lock (docs/embedded-engine.md, Writing).
     */
    static final int APPENDED_AT = 48;
    static final int FORCED_AT = 56;
    static final int PUBLISHED_AT = 64;
    /** How many times a failed force cut records off the log that writers in other processes were waiting on. */
    static final int CUTS_AT = 72;
    /** The bytes {@link #readUnmapped} copies: every field above. */
    private static final int USED = 80;
    private static final int LENGTH_BITS = 44;
    private static final long LENGTH_MASK = (1L << LENGTH_BITS) - 1;
    private static final long TAGS = (1L << (64 - LENGTH_BITS)) - 1;
    private static final int SPINS_BEFORE_GIVING_UP = 10_000;
    /** The identity of a file that does not exist. */
    private static final Object MISSING = new Object();

    /**
     * What the head says: the generation, the committed length (what readers read up to: forced, in durable mode),
     * whether the bucket was deleted, and how far complete records were appended ({@code appended >= length}; the
     * records between are a writer's, waiting for their force).
     */
    record State(long generation, long length, boolean deleted, long appended) {
        State(long generation, long length, boolean deleted) {
            this(generation, length, deleted, length);
        }
    }

    /** The mapped head's accessor, in a class of its own so that only a process that maps the head creates it. */
    private static final class Longs {
        static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

        private Longs() {
        }
    }

    private final ReopenableChannel channel;
    private final boolean writable;
    private final Path path;
    /** The file's key when it was opened; null on a file system without keys (then only its absence is noticed). */
    private final Object identity;
    private volatile MappedByteBuffer map;

    private HeadFile(FileChannel channel, boolean writable, Path path, Object identity) {
        this.channel = new ReopenableChannel(channel, path, writable, identity == MISSING ? null : identity);
        this.writable = writable;
        this.path = path;
        this.identity = identity;
    }

    /** As {@link #open(Path, boolean, FileModes)}, a head created for its owner only. */
    static HeadFile open(Path dir, boolean writable) throws IOException {
        return open(dir, writable, FileModes.OWNER);
    }

    /**
     * Opens the head, creating a blank one with the store's {@code modes} when writable; returns null when read-only
     * and absent or short.
     */
    static HeadFile open(Path dir, boolean writable, FileModes modes) throws IOException {
        Path path = dir.resolve(NAME);
        // Taken before opening: a file replaced in between then looks replaced at the first check (a needless
        // reopen), where one taken after would make the replacement invisible for good.
        Object identity = identityOf(path);
        if (!writable && identity == MISSING) {
            return null;
        }
        FileChannel ch = writable
                ? modes.openOrCreate(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        try {
            if (identity == MISSING) {
                identity = identityOf(path); // the blank head just created
            }
            if (writable && ch.size() < SIZE) {
                ch.write(ByteBuffer.allocate((int) (SIZE - ch.size())), ch.size());
            }
            if (ch.size() < SIZE) {
                ch.close();
                return null;
            }
            return new HeadFile(ch, writable, path, identity);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The file's key (device and inode on Linux), null when the file system has none, {@link #MISSING} if absent. */
    private static Object identityOf(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return MISSING;
        }
    }

    /**
     * False once the file at the head's path is another one, or none: the bucket's directory was removed or replaced
     * while this process had it open. One {@code stat}; true when it cannot tell (e.g. permission denied), so that
     * only a sure answer ends anything.
     */
    boolean stillAtItsPath() {
        try {
            Object now = identityOf(path);
            return now != MISSING && Objects.equals(now, identity);
        } catch (IOException e) {
            return true;
        }
    }

    private MappedByteBuffer mapped() throws IOException {
        MappedByteBuffer m = map;
        if (m == null) {
            synchronized (this) {
                m = map;
                if (m == null) {
                    m = channel.call(c -> c.map(writable ? FileChannel.MapMode.READ_WRITE
                            : FileChannel.MapMode.READ_ONLY, 0, SIZE), true);
                    map = m;
                }
            }
        }
        return m;
    }

    /** The current state, or null when the head was never written or is damaged. */
    State read() throws IOException {
        MappedByteBuffer m = mapped();
        VarHandle longs = Longs.LONGS;
        for (int spin = 0; spin < SPINS_BEFORE_GIVING_UP; spin++) {
            long s1 = (long) longs.getAcquire(m, SEQ_AT);
            if ((s1 & 1) == 0) {
                long magic = (long) longs.getAcquire(m, MAGIC_AT);
                long generation = (long) longs.getAcquire(m, GENERATION_AT);
                long length = (long) longs.getAcquire(m, LENGTH_AT);
                long deleted = (long) longs.getAcquire(m, DELETED_AT);
                long appended = (long) longs.getAcquire(m, APPENDED_AT);
                long published = (long) longs.getAcquire(m, PUBLISHED_AT);
                long s2 = (long) longs.getAcquire(m, SEQ_AT);
                if (s1 == s2) {
                    return state(magic, generation, length, deleted, appended, published);
                }
            }
            backOff(spin);
        }
        // A writer died in the middle of an update; the next writer repairs it under the file lock.
        return null;
    }

    /**
     * The current state as {@link #read()} gives it, read with positional reads instead of the mapping. The head
     * is copied twice with a full fence between; a copy is taken only when both agree byte for byte and the
     * sequence is even. That is the seqlock again: writers store the odd sequence before any field and the even one
     * after all of them, so a copy that saw part of an update sees a sequence that the second copy, which reads
     * everything later, cannot match (it sees that update's odd or a later sequence).
     */
    State readUnmapped() throws IOException {
        ByteBuffer first = ByteBuffer.allocate(USED).order(ByteOrder.nativeOrder());
        ByteBuffer second = ByteBuffer.allocate(USED).order(ByteOrder.nativeOrder());
        for (int spin = 0; spin < SPINS_BEFORE_GIVING_UP; spin++) {
            if (!copy(first) || (first.getLong(SEQ_AT) & 1) != 0) {
                backOff(spin);
                continue;
            }
            VarHandle.fullFence();
            if (copy(second) && first.equals(second)) {
                return state(first.getLong(MAGIC_AT), first.getLong(GENERATION_AT), first.getLong(LENGTH_AT),
                        first.getLong(DELETED_AT), first.getLong(APPENDED_AT), first.getLong(PUBLISHED_AT));
            }
            backOff(spin);
        }
        return null;
    }

    /** Copies the used bytes of the head into {@code b} (position 0, limit {@link #USED}); false if short. */
    private boolean copy(ByteBuffer b) throws IOException {
        b.clear();
        while (b.hasRemaining()) {
            if (channel.call(c -> c.read(b, b.position()), true) < 0) {
                return false;
            }
        }
        b.flip();
        return true;
    }

    /**
     * The state from the fields: the committed length is the published mark when it belongs to the generation (a
     * head written before the marks existed has none), and never less than the length field, which repairs and
     * compactions write.
     */
    private static State state(long magic, long generation, long length, long deleted, long appended,
                               long published) {
        if (magic != MAGIC || generation <= 0 || length < LogFormat.HEADER_LENGTH) {
            return null;
        }
        long committed = Math.max(length, lengthIn(published, generation));
        return new State(generation, committed, deleted != 0, Math.max(committed, lengthIn(appended, generation)));
    }

    // ---- the commit marks ----

    /** A mark: generation {@code g}'s tag (never 0, so a blank head has no mark) and a length in its log. */
    static long pack(long g, long length) {
        if (length < 0 || length > LENGTH_MASK) {
            throw new IllegalArgumentException("log length " + length + " out of range");
        }
        return (((g - 1) % TAGS + 1) << LENGTH_BITS) | length;
    }

    /** The length of {@code mark} if it belongs to generation {@code g}, else -1. */
    static long lengthIn(long mark, long g) {
        return mark >>> LENGTH_BITS == (g - 1) % TAGS + 1 ? mark & LENGTH_MASK : -1;
    }

    /** The word at {@code at} (a mark or the cut count), read through the mapping. */
    long word(int at) throws IOException {
        return (long) Longs.LONGS.getAcquire(mapped(), at);
    }

    /**
     * Raises the mark at {@code at} to {@code length} in generation {@code g}, by compare-and-set, from any process;
     * a mark of another generation is replaced only when {@code replaceOther}. False when the mark belongs to another
     * generation and was left alone.
     */
    boolean raise(int at, long g, long length, boolean replaceOther) throws IOException {
        if (!writable) {
            return true;
        }
        MappedByteBuffer m = mapped();
        VarHandle longs = Longs.LONGS;
        long next = pack(g, length);
        while (true) {
            long cur = (long) longs.getAcquire(m, at);
            long have = lengthIn(cur, g);
            if (have < 0 && !replaceOther) {
                return false;
            }
            if (have >= length || longs.compareAndSet(m, at, cur, next)) {
                return true;
            }
        }
    }

    /** Sets the appended mark to {@code length}, lower or not, and counts a cut; the caller holds the file lock. */
    void cutTo(long g, long length) throws IOException {
        MappedByteBuffer m = mapped();
        Longs.LONGS.setRelease(m, APPENDED_AT, pack(g, length));
        Longs.LONGS.getAndAdd(m, CUTS_AT, 1L);
    }

    private static void backOff(int spin) {
        if (spin > 100) {
            LockSupport.parkNanos(1_000);
        }
    }

    /**
     * Writes a new state; the caller holds the bucket's file lock and the log is complete and forced up to
     * {@code s.length()}, so the marks rise to it (or start over, for a new generation).
     */
    void write(State s) throws IOException {
        if (!writable) {
            return;
        }
        MappedByteBuffer m = mapped();
        VarHandle longs = Longs.LONGS;
        long seq = (long) longs.getAcquire(m, SEQ_AT);
        long odd = (seq | 1) + ((seq & 1) == 0 ? 0 : 2);
        longs.setRelease(m, SEQ_AT, odd);
        longs.setRelease(m, MAGIC_AT, MAGIC);
        longs.setRelease(m, GENERATION_AT, s.generation());
        longs.setRelease(m, LENGTH_AT, s.length());
        longs.setRelease(m, DELETED_AT, s.deleted() ? 1L : 0L);
        longs.setRelease(m, SEQ_AT, odd + 1);
        raise(APPENDED_AT, s.generation(), s.length(), true);
        raise(FORCED_AT, s.generation(), s.length(), true);
        raise(PUBLISHED_AT, s.generation(), s.length(), true);
    }

    /** Flushes the mapped page; used only around rare events (compaction, deletion), never per write. */
    void flush() throws IOException {
        if (writable) {
            mapped().force();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
