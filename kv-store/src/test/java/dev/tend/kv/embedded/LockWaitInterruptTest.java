package dev.tend.kv.embedded;

import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tend.kv.embedded.LockProbes.awaitBlockedOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread interrupted while it waits for a lock of the shared lock file, or while it opens the shared slot table
 * ({@link LockFiles}): the JDK would close the shared channel, and with it every OS lock of this process on the file
 * (another store instance's). The wait goes on and gets the lock once the child JVM holding it ({@link ChildMain}
 * {@code lock-byte}) lets go, the interrupt is the thread's status again, the channel stays open, and another
 * instance's lock stays held as another process sees it ({@code probe-byte}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LockWaitInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void anInterruptedWaitForTheFileLockGetsItAndLeavesTheOtherInstancesLockHeld() throws Exception {
        interruptedWaitFor(0, lock -> lock.runExclusive(() -> { }));
    }

    @Test
    void anInterruptedWaitForTheForceLockGetsItAndLeavesTheOtherInstancesLockHeld() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        // Not done at first: the writer waits for the force lock (held by the child), then finds itself covered.
        interruptedWaitFor(BucketLock.FORCE_LOCK, lock -> lock.awaitForced(() -> checks.incrementAndGet() > 1,
                () -> { }));
        assertThat(checks.get()).isEqualTo(2);
    }

    @Test
    void openingTheSlotTableOnAnInterruptedThreadLeavesTheOtherInstancesSlotLockHeld() throws Exception {
        Path dir = tmp.resolve("bucket");
        Files.createDirectories(dir);
        Path file = dir.resolve(SlotTable.NAME);
        try (SlotTable first = SlotTable.open(dir, FileModes.OWNER)) {
            long token = SlotTable.newToken();
            int slot = first.claim(token);
            assertThat(slot).isNotNegative();
            Thread.currentThread().interrupt();
            try (SlotTable second = SlotTable.open(dir, FileModes.OWNER)) {
                assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
                assertThat(second.get(slot, SlotTable.OWNER)).isEqualTo(token);
            } finally {
                Thread.interrupted();
            }
            assertThat(probe(file, SlotTable.base(slot) + SlotTable.LOCK))
                    .as("the first instance's slot lock, seen by another process").isEqualTo("HELD");
            assertThat(first.owns(slot, token)).isTrue();
        }
    }

    @Test
    void aProcessWithoutABootIdNeitherResetsNorOverwritesATableOfAKnownBoot() throws Exception {
        Path dir = tmp.resolve("bucket");
        Files.createDirectories(dir);
        long[] boot = {0x1234L, 0x5678L};
        try (SlotTable known = SlotTable.open(dir, FileModes.OWNER, boot)) {
            long token = SlotTable.newToken();
            int slot = known.claim(token);
            known.set(slot, SlotTable.STATE, SlotTable.POSTED);
            try (SlotTable unknown = SlotTable.open(dir, FileModes.OWNER, new long[2])) {
                assertThat(unknown.get(slot, SlotTable.STATE)).as("not reset").isEqualTo(SlotTable.POSTED);
                assertThat(unknown.get(slot, SlotTable.OWNER)).isEqualTo(token);
            }
            assertThat(header(known, SlotTable.BOOT_AT)).isEqualTo(boot[0]);
            assertThat(header(known, SlotTable.BOOT_AT + 8)).isEqualTo(boot[1]);

            // Another format is still reset by a process without a boot id, and the known id is kept.
            setHeader(known, SlotTable.FORMAT_AT, 0);
            try (SlotTable unknown = SlotTable.open(dir, FileModes.OWNER, new long[2])) {
                assertThat(unknown.get(slot, SlotTable.STATE)).as("reset for its format").isEqualTo(SlotTable.FREE);
            }
            assertThat(header(known, SlotTable.FORMAT_AT)).isEqualTo(SlotTable.FORMAT);
            assertThat(header(known, SlotTable.BOOT_AT)).isEqualTo(boot[0]);
            assertThat(header(known, SlotTable.BOOT_AT + 8)).isEqualTo(boot[1]);
        }
    }

    /** A word of the table's header (slot fields are relative to the slot's base). */
    private static long header(SlotTable t, int at) {
        return t.get(0, at - SlotTable.base(0));
    }

    private static void setHeader(SlotTable t, int at, long v) {
        t.set(0, at - SlotTable.base(0), v);
    }

    /** What a waiter does with the lock; throws what the lock calls throw. */
    private interface Waiter {
        void run(BucketLock lock) throws Exception;
    }

    /**
     * A child holds byte {@code position} of the lock file; a thread of the second instance waits for it in
     * {@code waiter} and is interrupted; the first instance holds the compaction lock meanwhile.
     */
    private void interruptedWaitFor(long position, Waiter waiter) throws Exception {
        Path dir = tmp.resolve("bucket");
        Files.createDirectories(dir);
        Path file = dir.resolve(BucketLock.NAME);
        try (BucketLock first = BucketLock.open(dir, FileModes.OWNER);
             BucketLock second = BucketLock.open(dir, FileModes.OWNER);
             ChildJvm holder = ChildJvm.start("holder", tmp.resolve("logs"), "lock-byte", file.toString(),
                     Long.toString(position))) {
            assertThat(holder.nextLine(60, TimeUnit.SECONDS)).as(holder.stderrTail()).isEqualTo("READY");
            assertThat(holder.nextLine(60, TimeUnit.SECONDS)).as(holder.stderrTail()).isEqualTo("HOLDING");
            assertThat(first.lockCompaction(true)).isTrue();
            try {
                AtomicBoolean keptInterrupt = new AtomicBoolean();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try {
                        waiter.run(second);
                        keptInterrupt.set(Thread.currentThread().isInterrupted());
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "lock-waiter");
                t.start();
                awaitBlockedOn(file);
                t.interrupt();
                assertThat(probe(file, BucketLock.COMPACTION_LOCK)).as("the first instance's lock, while waiting")
                        .isEqualTo("HELD");
                holder.send("GO");
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).isFalse();
                assertThat(failure.get()).isNull();
                assertThat(keptInterrupt.get()).as("the interrupt is the thread's status").isTrue();
                assertThat(probe(file, BucketLock.COMPACTION_LOCK)).as("the first instance's lock, after")
                        .isEqualTo("HELD");
                boolean[] ran = new boolean[1];
                second.runExclusive(() -> ran[0] = true);
                assertThat(ran[0]).as("the shared channel is open").isTrue();
            } finally {
                first.unlockCompaction();
            }
        }
    }

    private String probe(Path file, long position) throws Exception {
        return LockProbes.probe(tmp.resolve("logs"), file, position);
    }
}
