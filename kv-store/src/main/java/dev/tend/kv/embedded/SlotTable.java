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
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * The bucket's {@code handoff} file: a table of request slots, memory-mapped by every writer process, through which
 * a writer hands its operations to the process holding the bucket ({@link Handoff}; docs/embedded-engine.md,
 * Writing). A header holds the table's format, the round sequence (odd while a holder serves a round) and the id of
 * the boot that wrote it; each slot has a state (FREE, POSTED, TAKEN, DONE, REJECTED, LOST, changed by
 * compare-and-set), an owner token, the claim a holder records before it appends (the generation, where the slot's
 * records go, the first one's time), and a body: the posted operations, then their outcomes.
 *
 * <p>Ownership. A slot belongs to the store instance that holds the lock on its byte {@link #LOCK} of this file
 * (an OS record lock, exclusive, taken without waiting; the OS lets go of it when the process dies, whatever its pid
 * namespace), for as long as it holds it: a slot is free exactly when its lock can be taken. The owner word holds a
 * random token of the owning instance, so that a requester can tell its slot was taken over (it reads an outcome
 * only while the word is still its own). An OS record lock belongs to the process and the JDK refuses an overlapping
 * one in the same JVM, so the lock of a slot owned by another store instance of this JVM cannot be taken either.
 * Every instance of this JVM uses the file through one shared channel ({@link LockFiles}), so one closing the table
 * leaves the others' slot locks held.
 *
 * <p>A table written by another format or during another boot (the header's boot id, from
 * {@code /proc/sys/kernel/random/boot_id}, differs) is reset when opened: every slot FREE with no owner, since no
 * process that posted in it can still be waiting. Where the boot id cannot be read it is zero, and a table is reset
 * only for its format.
 *
 * <p>This class only reads and writes the mapping and takes the slots' locks; what the states mean is
 * {@link Handoff}'s. The file is never forced: after a power loss nothing in it matters (an unacknowledged write may
 * be dropped), and it is reset on the next boot.
 */
final class SlotTable implements Closeable {
    static final String NAME = "handoff";
    static final int SLOTS = 16;
    static final int SLOT_SIZE = 8192;
    private static final int HEADER = 64;
    /** The header's format word: "TendHO" and a version. Tables without it (earlier builds) are reset. */
    static final int FORMAT_AT = 0;
    static final long FORMAT = 0x54656e64484f0002L;
    private static final int SEQUENCE_AT = 8;
    /** The boot id (two longs) of the boot that last reset the table. */
    static final int BOOT_AT = 16;
    /** The byte of the file locked while a process checks the header on open (and resets the table). */
    private static final long OPEN_LOCK = 40;
    private static final long SIZE = HEADER + (long) SLOTS * SLOT_SIZE;

    static final long FREE = 0;
    static final long POSTED = 1;
    static final long TAKEN = 2;
    static final long DONE = 3;
    /** Not applied: the holder could not decode the slot; its requester makes the batch directly. */
    static final long REJECTED = 4;
    /** Whether applied cannot be told (a dead holder's claim the next holder could not read back). */
    static final long LOST = 5;

    /** Slot fields, as offsets in the slot. */
    static final int STATE = 0;
    static final int OWNER = 8;
    /** The byte of the slot whose OS lock its owner holds (the file's byte, not read or written in the mapping). */
    static final int LOCK = 16;
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

    /** This instance's share of the file's channel, which every user of the file in this JVM shares. */
    private final LockFiles.Share share;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    /** The locks of the slots this instance owns, by slot; null where it owns none. */
    private final FileLock[] owned = new FileLock[SLOTS];

    private SlotTable(LockFiles.Share share, MappedByteBuffer map) {
        this.share = share;
        this.channel = share.channel();
        this.map = map;
    }

    /** Opens (creating) the bucket's table with the store's file modes, reset if another format or boot wrote it. */
    static SlotTable open(Path dir, FileModes modes) throws IOException {
        return open(dir, modes, bootId());
    }

    /**
     * This boot's id, from {@code /proc/sys/kernel/random/boot_id} (a UUID, as two longs); zeros where it cannot be
     * read.
     */
    static long[] bootId() {
        try {
            java.util.UUID id = java.util.UUID.fromString(java.nio.file.Files.readString(
                    Path.of("/proc/sys/kernel/random/boot_id"), java.nio.charset.StandardCharsets.US_ASCII).trim());
            return new long[] {id.getMostSignificantBits(), id.getLeastSignificantBits()};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    /** {@link #open} with the boot id given (two longs; zeros when unknown). */
    static SlotTable open(Path dir, FileModes modes, long[] boot) throws IOException {
        Path p = dir.resolve(NAME);
        LockFiles.Share share = LockFiles.open(p, () -> modes.openOrCreate(p, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
        try {
            // With the interrupt status cleared: an interrupted write or map would close the shared channel, and
            // with it every slot lock of the other store instances of this JVM (LockFiles).
            return LockFiles.uninterrupted(() -> {
                FileChannel ch = share.channel();
                if (ch.size() < SIZE) {
                    // Sparse: the pages of unused slots take no space.
                    ch.write(ByteBuffer.allocate(1), SIZE - 1);
                }
                SlotTable t = new SlotTable(share, ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
                t.checkHeader(boot);
                return t;
            });
        } catch (IOException | RuntimeException e) {
            share.close();
            throw e;
        }
    }

    /**
     * Under the open lock (processes opening at once check one after the other): resets the table when its format
     * or boot id is not this one's. Every process of this boot that opened the table wrote or found this boot's id,
     * so a reset never happens under a live one of the same format.
     */
    private void checkHeader(long[] boot) throws IOException {
        FileLock l = null;
        while (l == null) {
            try {
                l = LockFiles.lock(channel, OPEN_LOCK, 1, false);
            } catch (OverlappingFileLockException e) {
                LockSupport.parkNanos(100_000); // another store instance of this JVM is opening it
            }
        }
        try {
            boolean unknownBoot = boot[0] == 0 && boot[1] == 0;
            if ((long) LONGS.getVolatile(map, FORMAT_AT) == FORMAT
                    && (unknownBoot || (long) LONGS.getVolatile(map, BOOT_AT) == boot[0]
                    && (long) LONGS.getVolatile(map, BOOT_AT + 8) == boot[1])) {
                return; // where this boot's id is unknown only the format is compared
            }
            for (int s = 0; s < SLOTS; s++) {
                set(s, STATE, FREE);
                set(s, OWNER, 0);
                set(s, CLAIM_GEN, 0);
            }
            if (!unknownBoot) { // a known boot id is never overwritten with zeros
                LONGS.setVolatile(map, BOOT_AT, boot[0]);
                LONGS.setVolatile(map, BOOT_AT + 8, boot[1]);
            }
            LONGS.setVolatile(map, FORMAT_AT, FORMAT);
        } finally {
            l.release();
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

    /** A random non-zero token for a store instance's owner word. */
    static long newToken() {
        long t;
        do {
            t = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        } while (t == 0);
        return t;
    }

    /**
     * Claims a slot for the instance with {@code token}: one whose lock can be taken (its owner, if any, is gone).
     * A request a gone owner left POSTED is discarded (set FREE: never served, as its requester cannot be acknowledged
     * any more); a slot left TAKEN is skipped (the next holder settles it). Returns the slot, its lock held and its
     * owner word {@code token}, or -1 when every slot is in use. The caller holds the bucket's file lock, so no
     * holder serves a round meanwhile: a slot whose lock a holder finds taken is its live owner's, never a claimer's
     * passing through.
     */
    int claim(long token) throws IOException {
        for (int s = 0; s < SLOTS; s++) {
            if (claimSlot(s, token)) {
                return s;
            }
        }
        return -1;
    }

    /** Claims {@code slot} as {@link #claim} would; false when it is in use (or left TAKEN). */
    boolean claimSlot(int slot, long token) throws IOException {
        FileLock l = lockIfOwnerGone(slot);
        if (l == null) {
            return false;
        }
        if (get(slot, STATE) == TAKEN) {
            l.release(); // a dead holder's claim: the next holder settles it
            return false;
        }
        set(slot, STATE, FREE);
        set(slot, CLAIM_GEN, 0);
        set(slot, OWNER, token);
        owned[slot] = l;
        return true;
    }

    /**
     * The slot's lock, taken, when no process (and no store instance of this JVM) owns the slot; null when one does.
     * The caller lets go of it (or keeps it, claiming the slot).
     */
    FileLock lockIfOwnerGone(int slot) throws IOException {
        if (owned[slot] != null) {
            return null;
        }
        try {
            return channel.tryLock(base(slot) + LOCK, 1, false);
        } catch (OverlappingFileLockException e) {
            return null; // another store instance of this JVM owns it
        }
    }

    /** Whether this instance still owns {@code slot}: its lock held and the owner word still {@code token}. */
    boolean owns(int slot, long token) {
        FileLock l = owned[slot];
        return l != null && l.isValid() && get(slot, OWNER) == token;
    }

    /** Lets go of the slot (its owner word cleared if still {@code token}); a request still POSTED is discarded. */
    void release(int slot, long token) throws IOException {
        FileLock l = owned[slot];
        owned[slot] = null;
        cas(slot, OWNER, token, 0);
        if (l != null && l.isValid()) {
            l.release();
        }
    }

    /**
     * Lets go of the slots this instance still owns and of its share of the file's channel (closed with its last
     * user in this JVM: closing it would let go of every slot lock this process holds, other instances' too).
     */
    @Override
    public void close() throws IOException {
        try {
            for (int s = 0; s < SLOTS; s++) {
                FileLock l = owned[s];
                owned[s] = null;
                if (l != null && l.isValid()) {
                    try {
                        l.release();
                    } catch (IOException e) {
                        // the channel was closed: the lock went with it
                    }
                }
            }
        } finally {
            share.close();
        }
    }
}
