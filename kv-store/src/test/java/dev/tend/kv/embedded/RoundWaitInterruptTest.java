package dev.tend.kv.embedded;

import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tend.kv.embedded.LockProbes.awaitBlockedOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer waiting for a hand-off round ({@link BucketLock#awaitRound}) that is interrupted: the wait ends with the
 * interrupt kept as the thread's status, and the bucket's locks this process holds stay held (the JDK closes the
 * channel of an interrupted lock wait, which lets go of every OS lock of the process on that file: the wait uses
 * the wake file, not the lock file). The round's holder is a child JVM holding the round's byte ({@link ChildMain},
 * {@code lock-byte}); another one tells whether the file lock is still held ({@code probe-byte}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RoundWaitInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void anInterruptedRoundWaitKeepsTheFileLockAndTheNextWaitWorks() throws Exception {
        Path dir = tmp.resolve("bucket");
        Files.createDirectories(dir);
        Path wake = dir.resolve(BucketLock.WAKE_NAME);
        try (BucketLock lock = BucketLock.open(dir, FileModes.OWNER);
             ChildJvm round = ChildJvm.start("round-holder", tmp.resolve("logs"), "lock-byte", wake.toString(),
                     Long.toString(BucketLock.WAKE_LOCK))) {
            assertThat(round.nextLine(60, TimeUnit.SECONDS)).as(round.stderrTail()).isEqualTo("READY");
            assertThat(round.nextLine(60, TimeUnit.SECONDS)).as(round.stderrTail()).isEqualTo("HOLDING");
            lock.lockShared(); // this process holds the file lock (byte 0 of lock) meanwhile
            try {
                AtomicBoolean keptInterrupt = new AtomicBoolean();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread waiter = new Thread(() -> {
                    try {
                        lock.awaitRound(0);
                        keptInterrupt.set(Thread.currentThread().isInterrupted());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "round-waiter");
                waiter.start();
                awaitBlockedOn(wake);
                waiter.interrupt();
                waiter.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(waiter.isAlive()).isFalse();
                assertThat(failure.get()).isNull();
                assertThat(keptInterrupt.get()).as("the interrupt is the thread's status").isTrue();

                assertThat(probe(dir.resolve(BucketLock.NAME), 0)).as("the file lock is still held").isEqualTo("HELD");
            } finally {
                lock.unlock();
            }
            assertThat(probe(dir.resolve(BucketLock.NAME), 0)).isEqualTo("FREE");

            // The wake file is opened again: a wait returns once the holder lets go.
            Thread next = new Thread(() -> {
                try {
                    lock.awaitRound(0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "round-waiter-2");
            next.start();
            awaitBlockedOn(wake);
            round.send("GO");
            next.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(next.isAlive()).isFalse();
        }
    }

    private String probe(Path file, long position) throws Exception {
        return LockProbes.probe(tmp.resolve("logs"), file, position);
    }
}
