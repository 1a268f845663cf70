package dev.tend.cli.e2e;

import dev.tend.kv.nats.NatsServer;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real {@code bin/tend} in subprocesses, as a user would: a temporary store ({@code TEND_STORE}), a home
 * of its own (no config file of the machine's user leaks in), {@code TZ=UTC}, {@code NO_COLOR}, stdin from a
 * file or {@code /dev/null} (never a terminal). Every process it starts is destroyed by {@link #close()}.
 */
final class Tend implements AutoCloseable {

    /** The store the commands use: a temporary embedded store, or a fresh nats-server of the test's own. */
    enum Backend {
        EMBEDDED, NATS
    }

    /** Generous: a cold JVM on a loaded CI machine. Never used to assert how long anything took. */
    static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);

    private final Path launcher;
    private final Path jar;
    private final Path tmp;
    private final Path store;
    /** What TEND_STORE says: the embedded store's path, or the NATS server's URL. */
    private final String storeUrl;
    /** The NATS server this instance started and stops, or null. */
    private final NatsServer nats;
    private final List<Process> started = new ArrayList<>();
    private int counter;

    Tend(Path tmp) throws IOException {
        this(tmp, null);
    }

    private Tend(Path tmp, NatsServer nats) throws IOException {
        this.launcher = Path.of(System.getProperty("tend.launcher", "../bin/tend")).toAbsolutePath().normalize();
        this.jar = Path.of(System.getProperty("tend.jar", System.getenv().getOrDefault("TEND_JAR",
                "target/tend.jar"))).toAbsolutePath().normalize();
        assertThat(launcher).as("bin/tend").isExecutable();
        assertThat(jar).as("the shaded jar (build it first)").isRegularFile();
        this.tmp = tmp;
        this.store = tmp.resolve("store");
        this.nats = nats;
        this.storeUrl = nats == null ? store.toString() : nats.url();
        Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("io"));
    }

    /** Commands on {@code backend}; for NATS, on a new {@code nats-server} that {@link #close()} stops. */
    static Tend on(Backend backend, Path tmp) throws IOException {
        if (backend == Backend.EMBEDDED) {
            return new Tend(tmp);
        }
        NatsServer server = NatsServer.start();
        try {
            return new Tend(tmp, server);
        } catch (IOException | RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
    }

    /** The embedded store's directory (unused when the commands run on NATS). */
    Path store() {
        return store;
    }

    /** The store as TEND_STORE gives it to every command. */
    String storeUrl() {
        return storeUrl;
    }

    Path tmp() {
        return tmp;
    }

    /** What one run printed and returned. */
    record Result(List<String> args, int code, byte[] stdout, String err) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String command() {
            return "tend " + String.join(" ", args);
        }

        /** For assertion messages. */
        String describe() {
            return command() + " -> exit " + code + "\n--- stdout ---\n" + out() + "\n--- stderr ---\n" + err;
        }
    }

    private ProcessBuilder builder(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.remove("TEND_JAVA_OPTS");
        e.keySet().removeIf(k -> k.startsWith("TEND_NATS_")); // the machine's NATS settings must not leak in
        e.put("TEND_JAR", jar.toString());
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("TEND_STORE", storeUrl);
        e.put("HOME", tmp.resolve("home").toString());
        e.put("XDG_DATA_HOME", tmp.resolve("home/.local/share").toString());
        e.put("XDG_CONFIG_HOME", tmp.resolve("home/.config").toString());
        e.put("TZ", "UTC");
        e.put("LANG", "C.UTF-8");
        e.put("NO_COLOR", "1");
        e.putAll(env);
        e.values().removeIf(v -> v == null);
        pb.directory(tmp.toFile());
        return pb;
    }

    Result run(String... args) throws Exception {
        return run(null, Map.of(), args);
    }

    Result runWithInput(byte[] stdin, String... args) throws Exception {
        return run(stdin, Map.of(), args);
    }

    Result run(byte[] stdin, Map<String, String> env, String... args) throws Exception {
        List<String> list = List.of(args);
        ProcessBuilder pb = builder(list, env);
        int n = ++counter;
        Path out = tmp.resolve("io/out-" + n);
        Path err = tmp.resolve("io/err-" + n);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        } else {
            Path in = tmp.resolve("io/in-" + n);
            Files.write(in, stdin);
            pb.redirectInput(in.toFile());
        }
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        started.add(p);
        try {
            if (!p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("tend " + String.join(" ", args) + " did not finish in "
                        + PROCESS_TIMEOUT.toSeconds() + "s");
            }
        } finally {
            destroy(p);
        }
        return new Result(list, p.exitValue(), Files.readAllBytes(out),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A process left running (a watch), its output going to files. */
    final class Background {
        final Process process;
        final Path out;
        final Path err;
        final List<String> args;

        Background(Process process, Path out, Path err, List<String> args) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.args = args;
        }

        /**
         * True once the process runs a thread whose name starts {@code tend-}: the store names its threads so and
         * starts none for a plain command, so for a watch this means it has started watching. Reads Linux's
         * {@code /proc}, where a thread's name is cut to 15 characters.
         */
        boolean runsATendThread() {
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()),
                    "task"))) {
                return tasks.anyMatch(t -> {
                    try {
                        return Files.readString(t.resolve("comm")).startsWith("tend-");
                    } catch (IOException e) {
                        return false; // the thread ended meanwhile
                    }
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                return false; // not started yet, or ended
            }
        }

        String out() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String err() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Waits for it to end; the result's exit code, output and error. */
        Result await() throws Exception {
            try {
                if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("tend " + String.join(" ", args) + " did not finish in "
                            + PROCESS_TIMEOUT.toSeconds() + "s; stdout so far: " + out() + " stderr: " + err());
                }
            } finally {
                destroy(process);
            }
            return new Result(args, process.exitValue(), Files.readAllBytes(out), err());
        }
    }

    Background start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** As {@link #start(String...)}, with these variables added to (or, as null, removed from) the environment. */
    Background start(Map<String, String> env, String... args) throws IOException {
        List<String> list = List.of(args);
        ProcessBuilder pb = builder(list, env);
        int n = ++counter;
        Path out = tmp.resolve("io/out-" + n);
        Path err = tmp.resolve("io/err-" + n);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        started.add(p);
        return new Background(p, out, err, list);
    }

    /**
     * Waits until an agent's log has its start line, which it writes once its control socket listens and its
     * machines are loaded: the cheap condition to wait on before asking the agent anything through a process.
     */
    static void awaitStarted(Background agent) throws InterruptedException {
        eventually("the agent's start line", () -> {
            String log;
            try {
                log = agent.err();
            } catch (IOException e) {
                return false;
            }
            if (!agent.process.isAlive()) {
                throw new AssertionError("the agent ended before it started; its log:\n" + log);
            }
            return log.contains("agent started: ");
        });
    }

    /** Something a test does that may start processes and fail. */
    interface Action {
        void run() throws Exception;
    }

    /**
     * Does {@code action} until {@code seen} holds, for what only a listener that may not be listening yet can see
     * (a follower whose JVM is still starting): after each time, looks every 50 ms for up to a second before doing
     * it again, so that waiting does not start processes back to back. Fails after the process timeout.
     */
    static void repeatUntil(String what, Action action, BooleanSupplier seen) throws Exception {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (true) {
            action.run();
            long again = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            do {
                if (seen.getAsBoolean()) {
                    return;
                }
                Thread.sleep(50);
            } while (System.nanoTime() < again);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
        }
    }

    /** Polls until the condition holds; fails after the process timeout. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void destroy(Process p) {
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        started.forEach(Tend::destroy);
        if (nats != null) {
            nats.close();
        }
    }

    // ---- assertions shared by the tests

    /** An error: exactly one line on stderr starting {@code tend: }, no stack trace, nothing on stdout. */
    static void assertOneLineError(Result r, int code) {
        assertThat(r.code()).as(r.describe()).isEqualTo(code);
        assertThat(r.err()).as(r.describe()).startsWith("tend: ").endsWith("\n").hasLineCount(1)
                .doesNotContain("Exception", "\tat ");
        assertThat(r.out()).as(r.describe()).isEmpty();
    }

    static void assertOk(Result r) {
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.err()).as(r.describe()).isEmpty();
    }
}
