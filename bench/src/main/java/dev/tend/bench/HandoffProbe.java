package dev.tend.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The hand-off pattern of a cross-process write with raw file calls (no engine), for scenario 11's probe: a writer
 * posts its 150-byte record in its own slot of a table shared by every process ({@code slots}, mapped), then either
 * becomes the round's holder or waits for the holder to serve it.
 *
 * <ul>
 *   <li>The holder is the process that takes byte 5 of {@code lock} exclusively without waiting; it then takes byte
 *   0 (the engine's file lock), claims every posted slot (compare-and-set POSTED to TAKEN on the mapping), appends
 *   all their records with one write at the end of {@code log}, forces once, writes each slot's outcome (the
 *   record's offset) and marks it DONE, writes a byte to {@code notify}, then lets go of byte 0 and byte 5.</li>
 *   <li>A writer that cannot take byte 5 while a round is being served (the table's sequence is odd from just after
 *   the holder took byte 5 to just before it lets go) waits for byte 5 shared (the OS wakes every shared waiter
 *   together when the holder lets go), lets go at once, and looks at its slot: DONE ends the write; a slot posted
 *   after the holder's claim is still POSTED, and the writer tries again to hold. Between rounds it yields and
 *   tries again.</li>
 * </ul>
 *
 * <p>One round is one acquisition of each lock, one append, one force and one notify for every writer whose record
 * was posted before it began. Nothing here survives a crash of a holder or a writer; it measures the cost only.
 */
final class HandoffProbe implements AutoCloseable {
    static final int SLOTS = 8;
    static final int RECORD = 150;
    private static final int SLOT_SIZE = 256;
    /** The table's header: the round sequence, odd while a holder serves a round. */
    private static final int HEADER = 64;
    private static final int SEQUENCE = 0;
    private static final int STATE = 0;
    private static final int OUTCOME = 8;
    private static final int LENGTH = 16;
    private static final int PAYLOAD = 32;
    private static final int FREE = 0;
    private static final int POSTED = 1;
    private static final int TAKEN = 2;
    private static final int DONE = 3;
    private static final long FILE_LOCK = 0;
    private static final long ROUND_LOCK = 5;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private final FileChannel lock;
    private final FileChannel log;
    private final FileChannel notify;
    private final FileChannel slotFile;
    private final MappedByteBuffer slots;
    private final int mine;
    private final ByteBuffer batch = ByteBuffer.allocateDirect(SLOTS * RECORD);
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private final int[] taken = new int[SLOTS];

    /** What the last {@link #write} did: served by this process's own round, the round's size, its force time. */
    boolean heldLast;
    int roundSize;
    long forceNanos;
    /** How many times the last write looked at its slot, tried to hold, or waited. */
    int turns;

    HandoffProbe(Path dir, int slot) throws IOException {
        this.mine = slot;
        lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        log = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        notify = FileChannel.open(dir.resolve("notify"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        slotFile = FileChannel.open(dir.resolve("slots"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        slots = slotFile.map(FileChannel.MapMode.READ_WRITE, 0, HEADER + (long) SLOTS * SLOT_SIZE);
    }

    /** Posts {@code record} in this process's slot and returns once it is appended and forced; its log offset. */
    long write(ByteBuffer record) throws IOException {
        int base = HEADER + mine * SLOT_SIZE;
        int n = record.remaining();
        for (int i = 0; i < n; i++) {
            slots.put(base + PAYLOAD + i, record.get(record.position() + i));
        }
        INT.setVolatile(slots, base + LENGTH, n);
        INT.setVolatile(slots, base + STATE, POSTED);
        heldLast = false;
        roundSize = 0;
        forceNanos = 0;
        turns = 0;
        while (true) {
            turns++;
            if ((int) INT.getVolatile(slots, base + STATE) == DONE) {
                return finish(base);
            }
            FileLock round = lock.tryLock(ROUND_LOCK, 1, false);
            if (round != null) {
                try {
                    LONG.getAndAdd(slots, SEQUENCE, 1L);
                    try {
                        serve();
                    } finally {
                        LONG.getAndAdd(slots, SEQUENCE, 1L);
                    }
                } finally {
                    round.release();
                }
                heldLast = true;
                continue;
            }
            if (((long) LONG.getVolatile(slots, SEQUENCE) & 1) == 1) {
                // A round is being served: wait for its end with every other waiter.
                lock.lock(ROUND_LOCK, 1, true).release();
            } else {
                // Between rounds: a writer is taking or letting go of byte 5, or waiters let go of it.
                Thread.yield();
            }
        }
    }

    private long finish(int base) {
        long at = (long) LONG.getVolatile(slots, base + OUTCOME);
        INT.setVolatile(slots, base + STATE, FREE);
        return at;
    }

    /** One round, holding byte 5: byte 0, claim, one append, one force, outcomes, notify. */
    private void serve() throws IOException {
        FileLock file = lock.lock(FILE_LOCK, 1, false);
        try {
            int count = 0;
            batch.clear();
            for (int s = 0; s < SLOTS; s++) {
                int base = HEADER + s * SLOT_SIZE;
                if ((int) INT.getVolatile(slots, base + STATE) == POSTED
                        && INT.compareAndSet(slots, base + STATE, POSTED, TAKEN)) {
                    int n = (int) INT.getVolatile(slots, base + LENGTH);
                    for (int i = 0; i < n; i++) {
                        batch.put(slots.get(base + PAYLOAD + i));
                    }
                    taken[count++] = s;
                }
            }
            if (count == 0) {
                return;
            }
            batch.flip();
            long at = log.size();
            long start = at;
            while (batch.hasRemaining()) {
                at += log.write(batch, at);
            }
            long t0 = System.nanoTime();
            log.force(false);
            forceNanos = System.nanoTime() - t0;
            roundSize = count;
            for (int i = 0; i < count; i++) {
                int base = HEADER + taken[i] * SLOT_SIZE;
                LONG.setVolatile(slots, base + OUTCOME, start + (long) i * RECORD);
                INT.setVolatile(slots, base + STATE, DONE);
            }
            one.clear();
            notify.write(one, 0);
        } finally {
            file.release();
        }
    }

    @Override
    public void close() throws IOException {
        try (lock; log; notify; slotFile) {
            // closes each
        }
    }
}
