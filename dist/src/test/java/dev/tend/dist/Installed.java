package dev.tend.dist;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An installed {@code tend} run in subprocesses as a user would: a temporary store ({@code TEND_STORE}) and home of
 * its own (no config file of the machine's user leaks in), {@code TZ=UTC}, {@code NO_COLOR}, stdin from
 * {@code /dev/null}, and no {@code TEND_JAR}: the launcher finds its jar itself. {@link #close()} ends every process it
 * started.
 */
final class Installed implements AutoCloseable {

    /** Generous: a cold JVM on a loaded CI machine. Never used to assert how long anything took. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Path launcher;
    private final Path tmp;
    private final List<Process> started = new ArrayList<>();
    private int counter;

    Installed(Path launcher, Path tmp) throws IOException {
        this.launcher = launcher;
        this.tmp = Files.createDirectories(tmp);
        Files.createDirectories(tmp.resolve("home"));
    }

    record Result(List<String> command, int code, String out, String err) {
        String describe() {
            return String.join(" ", command) + " -> exit " + code + "\n--- stdout ---\n" + out + "\n--- stderr ---\n"
                    + err;
        }
    }

    /** A process left running. */
    record Started(List<String> command, Process process, Path outFile, Path errFile) {
        String err() {
            try {
                return Files.readString(errFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        Result await() throws Exception {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end; its log:\n" + err());
            }
            return new Result(command, process.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8), err());
        }
    }

    Result run(String... args) throws Exception {
        return run(List.of(args));
    }

    Result run(List<String> args, String... env) throws Exception {
        Started s = start(args, env);
        try {
            return s.await();
        } finally {
            s.process().destroyForcibly();
        }
    }

    Started start(String... args) throws IOException {
        return start(List.of(args));
    }

    private Started start(List<String> args, String... env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("TEND_") || k.startsWith("XDG_"));
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("TEND_STORE", tmp.resolve("store").toString());
        e.put("HOME", tmp.resolve("home").toString());
        e.put("TZ", "UTC");
        e.put("LANG", "C.UTF-8");
        e.put("NO_COLOR", "1");
        for (int i = 0; i + 1 < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        int n = ++counter;
        Path out = tmp.resolve("out-" + n);
        Path err = tmp.resolve("err-" + n);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        started.add(p);
        return new Started(command, p, out, err);
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Runs a tool (dpkg-deb, tar, groff) to its end. */
    static Result exec(Path dir, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = Files.createTempFile(dir, "tool", ".out");
        Path err = Files.createTempFile(dir, "tool", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end");
        }
        return new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    /** Polls until the condition holds; fails after the timeout, or at once when the process ended. */
    static void eventually(String what, BooleanSupplier condition, Started process) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.process().isAlive()) {
                throw new AssertionError("ended before " + what + "; its log:\n" + process.err());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; its log:\n" + process.err());
            }
            Thread.sleep(50);
        }
    }
}
