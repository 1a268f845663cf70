package dev.tend.kv.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** How the lock-wait tests see locks from outside: /proc/locks, and a child JVM probing one byte. */
final class LockProbes {

    private LockProbes() {
    }

    /** Waits until a lock request on {@code file} is blocked (a "->" line of /proc/locks for its inode). */
    static void awaitBlockedOn(Path file) throws Exception {
        String inode = ":" + Files.getAttribute(file, "unix:ino") + " ";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<String> locks = Files.readAllLines(Path.of("/proc/locks"));
            if (locks.stream().anyMatch(l -> l.contains("->") && l.contains(inode))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no lock wait on " + file + " within 60 s");
    }

    /** What a child JVM (its logs in {@code logs}) finds of the byte at {@code position} of {@code file}. */
    static String probe(Path logs, Path file, long position) throws Exception {
        try (ChildJvm p = ChildJvm.start("probe", logs, "probe-byte", file.toString(), Long.toString(position))) {
            assertThat(p.nextLine(60, TimeUnit.SECONDS)).as(p.stderrTail()).isEqualTo("READY");
            return p.nextLine(60, TimeUnit.SECONDS);
        }
    }
}
