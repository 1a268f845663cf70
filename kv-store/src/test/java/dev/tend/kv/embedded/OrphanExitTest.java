package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A writer child whose parent is gone ends by itself ({@link OrphanExit}) rather than putting for ever. */
class OrphanExitTest {

    @Test
    @Timeout(120)
    void aWriterChildEndsWhenItsParentIsGone(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("child.out");
        try (KvStore store = ChildMain.open(dir.resolve("store"))) {
            store.create(BucketConfig.builder("orphan").build());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The shell starts the writer, prints its pid and waits for it; once the writer puts, the shell is killed
        // and the writer is orphaned, as a killed test JVM's children are.
        String script = "\"$0\" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -cp \"$1\" "
                + ChildMain.class.getName() + " multi \"$2\" orphan 0 1 kept >\"$3\" 2>&1 </dev/null & echo $!; wait";
        Process shell = new ProcessBuilder("sh", "-c", script, java, ChildJvm.testClasspath(),
                dir.resolve("store").toString(), out.toString()).redirectErrorStream(true).start();
        String pidLine = new java.io.BufferedReader(new java.io.InputStreamReader(shell.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
        long pid = Long.parseLong(pidLine.trim());
        Optional<ProcessHandle> child = ProcessHandle.of(pid);
        try {
            waitFor(() -> contains(out, "ACK"), 60, "the child's first ACK in " + out + ": " + text(out));
            assertThat(child.map(ProcessHandle::isAlive)).contains(true);
            shell.toHandle().destroyForcibly();
            assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
            waitFor(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), 60, "the orphan to exit");
        } finally {
            shell.toHandle().destroyForcibly();
            child.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().anyMatch(l -> l.startsWith(text));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done, int seconds, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

}
