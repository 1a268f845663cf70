package dev.tend.kv.embedded;

import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wait for a force ({@link BucketLock#awaitForced}): a writer whose batch is not yet forced while another
 * process forces (holds byte 3 exclusively) waits for byte 3 shared and, woken when the forcer lets go, returns
 * without forcing when the force covered it, or forces once when it did not; another process's shared hold (a writer
 * waiting the same way) does not keep it from forcing; another store instance of this JVM forcing is waited for
 * the same way. The other process is a child JVM holding byte 3 with a plain file lock ({@link ChildMain},
 * {@code force-lock}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ForceLockTest {
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path tmp;

    /** A writer's wait for its force in a thread of its own, counting the checks and the forces it makes. */
    private static final class Waiter {
        final AtomicBoolean covered = new AtomicBoolean();
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger forces = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;

        Waiter(BucketLock lock) {
            thread = new Thread(() -> {
                try {
                    lock.awaitForced(() -> {
                        checks.incrementAndGet();
                        return covered.get();
                    }, () -> {
                        forces.incrementAndGet();
                        covered.set(true);
                    });
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "force-waiter");
            thread.start();
        }

        /** Waits until the waiter has checked its batch at least {@code n} times. */
        void awaitChecks(int n) throws InterruptedException {
            while (checks.get() < n && thread.isAlive()) {
                Thread.sleep(5);
            }
        }

        void join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(thread.isAlive()).as("the waiter returned").isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    private BucketLock openLock() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bucket"));
        return BucketLock.open(dir, FileModes.OWNER);
    }

    private ChildJvm holdByte3(String mode) throws Exception {
        ChildJvm child = ChildJvm.start("force-lock-" + mode, tmp.resolve("logs"), "force-lock",
                tmp.resolve("bucket").resolve(BucketLock.NAME).toString(), mode);
        awaitLine(child, "HOLDING");
        return child;
    }

    @Test
    void aWriterThatAnotherProcesssForceCoveredReturnsWithoutForcing() throws Exception {
        try (BucketLock lock = openLock(); ChildJvm forcer = holdByte3("exclusive")) {
            Waiter w = new Waiter(lock);
            w.awaitChecks(1);
            assertThat(w.forces).as("no force while another process forces").hasValue(0);
            w.covered.set(true); // the other process's force covered the batch: it raised the forced mark
            forcer.send("GO");
            w.join();
            assertThat(w.forces).hasValue(0);
            assertThat(forcer.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as(forcer.stderrTail()).isZero();
        }
    }

    @Test
    void aWriterThatAnotherProcesssForceDidNotCoverForcesOnce() throws Exception {
        try (BucketLock lock = openLock(); ChildJvm forcer = holdByte3("exclusive")) {
            Waiter w = new Waiter(lock);
            w.awaitChecks(1);
            assertThat(w.forces).hasValue(0);
            forcer.send("GO"); // the batch was appended after that force began: it is not covered
            w.join();
            assertThat(w.forces).hasValue(1);
            assertThat(forcer.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as(forcer.stderrTail()).isZero();
        }
    }

    @Test
    void anotherProcesssSharedHoldDoesNotKeepAWriterFromForcing() throws Exception {
        try (BucketLock lock = openLock(); ChildJvm waiter = holdByte3("shared")) {
            Waiter w = new Waiter(lock);
            // The shared waits are granted at once beside the other shared holder; then it waits exclusively.
            w.awaitChecks(5);
            assertThat(w.forces).as("no force while another process holds byte 3").hasValue(0);
            waiter.send("GO");
            w.join();
            assertThat(w.forces).hasValue(1);
            assertThat(waiter.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as(waiter.stderrTail()).isZero();
        }
    }

    @Test
    void aWriterOfAnotherStoreInstanceInThisJvmWaitsForItsForce() throws Exception {
        try (BucketLock first = openLock(); BucketLock second = BucketLock.open(tmp.resolve("bucket"),
                FileModes.OWNER)) {
            AtomicBoolean covered = new AtomicBoolean();
            AtomicInteger forces = new AtomicInteger();
            CountDownLatch forcing = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread forcer = new Thread(() -> {
                try {
                    first.awaitForced(covered::get, () -> {
                        forcing.countDown();
                        try {
                            finish.await(WAIT_SECONDS, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException();
                        }
                        forces.incrementAndGet();
                        covered.set(true);
                    });
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "force-forcer");
            forcer.start();
            assertThat(forcing.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            AtomicInteger checks = new AtomicInteger();
            Thread waiter = new Thread(() -> {
                try {
                    second.awaitForced(() -> {
                        checks.incrementAndGet();
                        return covered.get();
                    }, () -> {
                        forces.incrementAndGet();
                        covered.set(true);
                    });
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "force-waiter");
            waiter.start();
            while (checks.get() < 1 && waiter.isAlive()) {
                Thread.sleep(5);
            }
            finish.countDown();
            forcer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(forcer.isAlive() || waiter.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
            assertThat(forces).as("one force covered both").hasValue(1);
        }
    }

    private static void awaitLine(ChildJvm child, String prefix) throws InterruptedException {
        while (true) {
            String line = child.nextLine(WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null || line.equals(ChildJvm.EOF) || line.startsWith("ERROR")) {
                throw new AssertionError("child: expected " + prefix + "..., got " + line + child.stderrTail());
            }
            if (line.startsWith(prefix)) {
                return;
            }
        }
    }
}
