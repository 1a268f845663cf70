package dev.tend.kv.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link ChildMain} on the test classpath. Its stdout lines are read by a thread into a queue
 * (so a killed child's last lines, already in the pipe, are still seen); its stderr goes to a file shown on
 * failure. Always {@link #close()} it (in a finally): that kills the process if it still runs.
 */
final class ChildJvm implements AutoCloseable {
    /** Marks the end of the child's stdout in the queue. */
    static final String EOF = "\u0000EOF";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final String name;

    private ChildJvm(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::pump, "child-stdout-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code java -cp <test classpath> dev.tend.kv.embedded.ChildMain args...}. */
    static ChildJvm start(String name, Path workDir, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        // Quick start-up: the children are short-lived and the test starts many of them.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(testClasspath());
        cmd.add(ChildMain.class.getName());
        cmd.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path err = workDir.resolve(name + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE);
        return new ChildJvm(name, pb.start(), err);
    }

    /**
     * The classpath the tests run with. Surefire (with its default manifest-only booter jar) rewrites
     * {@code java.class.path} to the real test classpath and also sets {@code surefire.test.class.path}; prefer
     * the latter, and fail loudly if all we have is the booter jar.
     */
    static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        if (cp.contains("surefirebooter") && !cp.contains(java.io.File.pathSeparator)) {
            throw new IllegalStateException("the test classpath is only surefire's booter jar (" + cp
                    + "); set useManifestOnlyJar=false in kv-store/pom.xml");
        }
        return cp;
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("!! stdout read failed: " + e);
        } finally {
            lines.add(EOF);
        }
    }

    /** The next stdout line, {@link #EOF} once the child closed stdout, or null after the timeout. */
    String nextLine(long timeout, TimeUnit unit) throws InterruptedException {
        String line = lines.poll(timeout, unit);
        if (EOF.equals(line)) {
            lines.add(EOF); // stay at EOF for later calls
        }
        return line;
    }

    /** Every remaining stdout line until the child closes stdout (call after it exited or was killed). */
    List<String> drain(long timeout, TimeUnit unit) throws InterruptedException {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("child " + name + ": stdout not closed within " + timeout + " " + unit
                        + stderrTail());
            }
            if (EOF.equals(line)) {
                lines.add(EOF);
                return out;
            }
            out.add(line);
        }
    }

    /** Writes a line to the child's stdin. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * SIGKILL on Unix. Through the process handle: {@code Process.destroyForcibly()} sends the same signal but
     * also closes our end of the child's stdout, which would lose acknowledgements still in the pipe.
     */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the child to exit; returns its exit code, or throws after the timeout. */
    int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            throw new IllegalStateException("child " + name + " still running after " + timeout + " " + unit
                    + stderrTail());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** The end of the child's stderr, for failure messages. */
    String stderrTail() {
        try {
            if (!Files.exists(stderr)) {
                return "";
            }
            String s = Files.readString(stderr, StandardCharsets.UTF_8);
            if (s.isBlank()) {
                return "";
            }
            return "\n--- stderr of child " + name + " ---\n" + (s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s);
        } catch (IOException e) {
            return "\n(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
