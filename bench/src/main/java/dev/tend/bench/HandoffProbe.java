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
import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off pattern of a cross-process write with raw file calls (no engine), for scenario 11's probe: a writer
 * posts its 150-byte record in its own slot of a table shared by every process ({@code slots}, mapped), then either
 * becomes the round's holder or waits for the holder to serve it.
 *
 * <ul>
 *   <li>The holder is the process that takes byte 5 of {@code lock} exclusively without waiting; it then takes byte
 *   0 (the engine's file lock) and serves rounds. In a round it holds byte 6 or 7 (by the round number's parity)
 *   exclusively, with the table's sequence odd, claims every posted slot (compare-and-set POSTED to TAKEN on the
 *   mapping), appends all their records with one write at the end of {@code log}, forces once, writes each slot's
 *   outcome (the record's offset) and marks it DONE, writes a byte to {@code notify}. It serves another round while
 *   slots are posted, at most {@code maxRounds}: it takes the next round's byte and sets the sequence to it before it
 *   lets go of the last round's byte. Then it makes the sequence even and lets go of the round's byte, byte 0 and
 *   byte 5.</li>
 *   <li>A writer that cannot take byte 5 while a round is being served (sequence odd) waits for that round's byte
 *   shared (the OS wakes every shared waiter together when the holder lets go), lets go at once, and looks at its
 *   slot: DONE ends the write; a slot posted after the holder's claim is still POSTED, and the writer waits for the
 *   next round or tries to hold. Between holders it sleeps 20 us and tries again.</li>
 * </ul>
 *
 * <p>A hold is one acquisition of byte 5 and byte 0; each of its rounds is one append, one force and one notify for
 * every writer whose record was posted before the round began. Nothing here survives a crash of a holder or a
 * writer; it measures the cost only.
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
    private static final long HOLDER_LOCK = 5;
    /** How long a writer sleeps when it finds byte 5 held and no round being served. */
    private static final long GAP_NANOS = 20_000;
    /** Bytes 6 and 7: the holder holds 6 + (round % 2) exclusively while it serves a round. */
    private static final long WAKE_LOCK = 6;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private final FileChannel lock;
    private final FileChannel log;
    private final FileChannel notify;
    private final FileChannel slotFile;
    private final MappedByteBuffer slots;
    private final int mine;
    private final int maxRounds;
    private final ByteBuffer batch = ByteBuffer.allocateDirect(SLOTS * RECORD);
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private final int[] taken = new int[SLOTS];

    /**
     * What the last {@link #write} did: served by this process's own round, how many rounds it served as holder,
     * how many writes those rounds appended, their forces' time.
     */
    boolean heldLast;
    int rounds;
    int roundWrites;
    long forceNanos;
    /** How many times the last write looked at its slot, tried to hold, or waited. */
    int turns;

    /** @param maxRounds how many rounds a holder serves at most before it lets another process hold */
    HandoffProbe(Path dir, int slot, int maxRounds) throws IOException {
        this.mine = slot;
        this.maxRounds = maxRounds;
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
        rounds = 0;
        roundWrites = 0;
        forceNanos = 0;
        turns = 0;
        while (true) {
            turns++;
            if ((int) INT.getVolatile(slots, base + STATE) == DONE) {
                return finish(base);
            }
            FileLock holder = lock.tryLock(HOLDER_LOCK, 1, false);
            if (holder != null) {
                try {
                    hold(base);
                } finally {
                    holder.release();
                }
                heldLast = true;
                continue;
            }
            long seq = (long) LONG.getVolatile(slots, SEQUENCE);
            if ((seq & 1) == 1) {
                // Round seq / 2 is being served: wait for its end with every other waiter of it.
                lock.lock(wakeByte(seq >>> 1), 1, true).release();
            } else {
                // Between holders: one is taking or letting go of byte 5 and byte 0. A short sleep, not a spin: a
                // holder preempted here would otherwise share its CPUs with every waiter's spinning.
                LockSupport.parkNanos(GAP_NANOS);
            }
        }
    }

    private static long wakeByte(long round) {
        return WAKE_LOCK + (round & 1);
    }

    private long finish(int base) {
        long at = (long) LONG.getVolatile(slots, base + OUTCOME);
        INT.setVolatile(slots, base + STATE, FREE);
        return at;
    }

    /**
     * Holding byte 5: byte 0, then rounds while anything is posted, at most {@link #maxRounds}. The next round's
     * byte is taken, and the sequence made odd for it, before the last round's byte is let go, so that a writer woken
     * by the end of a round whose write is not yet served finds the next round to wait for.
     */
    private void hold(int base) throws IOException {
        FileLock file = lock.lock(FILE_LOCK, 1, false);
        try {
            long round = (long) LONG.getVolatile(slots, SEQUENCE) >>> 1;
            FileLock wake = lock.lock(wakeByte(round), 1, false);
            LONG.setVolatile(slots, SEQUENCE, 2 * round + 1);
            try {
                for (int r = 0; ; r++) {
                    int count = serve();
                    if (r + 1 >= maxRounds || count == 0
                            || ((int) INT.getVolatile(slots, base + STATE) == DONE && !anyPosted())) {
                        LONG.setVolatile(slots, SEQUENCE, 2 * round + 2);
                        break;
                    }
                    FileLock next = lock.lock(wakeByte(round + 1), 1, false);
                    LONG.setVolatile(slots, SEQUENCE, 2 * round + 3);
                    wake.release();
                    wake = next;
                    round++;
                }
            } finally {
                wake.release();
            }
        } finally {
            file.release();
        }
    }

    private boolean anyPosted() {
        for (int s = 0; s < SLOTS; s++) {
            if ((int) INT.getVolatile(slots, HEADER + s * SLOT_SIZE + STATE) == POSTED) {
                return true;
            }
        }
        return false;
    }

    /** One round: claim, one append, one force, outcomes, notify; returns how many writes it served. */
    private int serve() throws IOException {
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
            return 0;
        }
        batch.flip();
        long at = log.size();
        long start = at;
        while (batch.hasRemaining()) {
            at += log.write(batch, at);
        }
        long t0 = System.nanoTime();
        log.force(false);
        forceNanos += System.nanoTime() - t0;
        rounds++;
        roundWrites += count;
        for (int i = 0; i < count; i++) {
            int base = HEADER + taken[i] * SLOT_SIZE;
            LONG.setVolatile(slots, base + OUTCOME, start + (long) i * RECORD);
            INT.setVolatile(slots, base + STATE, DONE);
        }
        one.clear();
        notify.write(one, 0);
        return count;
    }

    @Override
    public void close() throws IOException {
        try (lock; log; notify; slotFile) {
            // closes each
        }
    }
}
