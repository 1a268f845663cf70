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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The bucket's {@code handoff} file: a table of request slots, memory-mapped by every writer process, through which
 * a writer hands its operations to the process holding the bucket ({@link Handoff}; docs/embedded-engine.md,
 * Writing). A header holds the round sequence (odd while a holder serves a round); each slot has a state (FREE,
 * POSTED, TAKEN, DONE, changed by compare-and-set), an owner (a live process: its id and start time in one word),
 * the claim a holder records before it appends (the generation, where the slot's records go, the first one's time),
 * and a body: the posted operations, then their outcomes.
 *
 * <p>This class only reads and writes the mapping; what the states mean is {@link Handoff}'s. The file is never
 * forced: after a power loss nothing in it matters (an unacknowledged write may or may not be applied), and it is
 * rebuilt as writers claim slots again.
 */
final class SlotTable implements Closeable {
    static final String NAME = "handoff";
    static final int SLOTS = 16;
    static final int SLOT_SIZE = 8192;
    private static final int HEADER = 64;
    private static final int SEQUENCE_AT = 8;
    private static final long SIZE = HEADER + (long) SLOTS * SLOT_SIZE;

    static final long FREE = 0;
    static final long POSTED = 1;
    static final long TAKEN = 2;
    static final long DONE = 3;

    /** Slot fields, as offsets in the slot. */
    static final int STATE = 0;
    static final int OWNER = 8;
    /** Operations posted (int) and their bytes in the body (int). */
    static final int COUNT = 24;
    static final int REQUEST_BYTES = 28;
    /** The generation the holder appends the slot's records to; 0 until the claim below is complete. */
    static final int CLAIM_GEN = 32;
    static final int CLAIM_OFFSET = 40;
    static final int CLAIM_END = 48;
    static final int CLAIM_CREATED = 56;
    static final int BODY = 64;
    static final int BODY_SIZE = SLOT_SIZE - BODY;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final FileChannel channel;
    private final MappedByteBuffer map;

    private SlotTable(FileChannel channel, MappedByteBuffer map) {
        this.channel = channel;
        this.map = map;
    }

    /** Opens (creating) the bucket's table with the store's file modes. */
    static SlotTable open(Path dir, FileModes modes) throws IOException {
        FileChannel ch = modes.openOrCreate(dir.resolve(NAME), StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (ch.size() < SIZE) {
                // Sparse: the pages of unused slots take no space.
                ch.write(ByteBuffer.allocate(1), SIZE - 1);
            }
            return new SlotTable(ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static int base(int slot) {
        return HEADER + slot * SLOT_SIZE;
    }

    long sequence() {
        return (long) LONGS.getVolatile(map, SEQUENCE_AT);
    }

    void setSequence(long s) {
        LONGS.setVolatile(map, SEQUENCE_AT, s);
    }

    long get(int slot, int field) {
        return (long) LONGS.getVolatile(map, base(slot) + field);
    }

    void set(int slot, int field, long v) {
        LONGS.setVolatile(map, base(slot) + field, v);
    }

    boolean cas(int slot, int field, long expect, long v) {
        return LONGS.compareAndSet(map, base(slot) + field, expect, v);
    }

    int getInt(int slot, int field) {
        return (int) INTS.getVolatile(map, base(slot) + field);
    }

    void setInt(int slot, int field, int v) {
        INTS.setVolatile(map, base(slot) + field, v);
    }

    /** The slot's body, positioned at its start, limited to its size (a view of the mapping). */
    ByteBuffer body(int slot) {
        return map.slice(base(slot) + BODY, BODY_SIZE);
    }

    // ---- owners ----

    /**
     * The owner word of this process: its id in the low 32 bits, its start time (milliseconds, the low 31 bits, or 1
     * when the OS does not say) above, so that a slot's owner is known dead from one word even when its id was reused.
     * Store instances of one process share it: each knows which slots it claimed.
     */
    static long processOwner() {
        ProcessHandle me = ProcessHandle.current();
        return (startTag(me) << 32) | (me.pid() & 0xffffffffL);
    }

    private static long startTag(ProcessHandle p) {
        long millis = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        return millis == 0 ? 1 : (millis & 0x7fffffffL) | 1;
    }

    /**
     * True when the slot's owner is a process that no longer runs: no live process has its id, or the one that has
     * it started at another time (the id was reused).
     */
    boolean ownerDead(int slot) {
        long owner = get(slot, OWNER);
        if (owner == 0) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(owner & 0xffffffffL);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        long tag = owner >>> 32;
        return tag != 1 && startTag(p.get()) != 1 && startTag(p.get()) != tag;
    }

    /**
     * Claims a slot for {@code owner} ({@link #processOwner}): a free one, or one whose owner is dead and which no
     * holder still has to serve (FREE or DONE); -1 when every slot is in use.
     */
    int claim(long owner) {
        for (int s = 0; s < SLOTS; s++) {
            long cur = get(s, OWNER);
            if (cur == 0 || (cur != owner && ownerDead(s) && (get(s, STATE) == FREE || get(s, STATE) == DONE))) {
                if (cas(s, OWNER, cur, owner)) {
                    set(s, STATE, FREE);
                    return s;
                }
            }
        }
        return -1;
    }

    /** Gives the slot back when it is idle (FREE or DONE); a slot still posted stays claimed until served. */
    void release(int slot, long owner) {
        long state = get(slot, STATE);
        if (state == FREE || state == DONE) {
            cas(slot, OWNER, owner, 0);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
