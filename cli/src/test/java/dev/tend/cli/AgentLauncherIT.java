package dev.tend.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the JVM options {@code bin/tend} picks per command, read back from the JVM itself
 * ({@code -XX:+PrintCommandLineFlags} prints the flags in effect) and from a running agent's {@code /proc/<pid>}:
 * the long-running commands get the small heap, the agent its heap cap ({@code TEND_AGENT_HEAP}) and its own
 * class-data-sharing archive, the options of {@code TEND_JAVA_OPTS} win, and a broken archive costs nothing but
 * the speed-up (a truncated one is not even given to the JVM, which would die on it).
 */
class AgentLauncherIT {

    private static final Pattern FLAG = Pattern.compile("-XX:([+-]?)(\\w+)(?:=(\\S+))?");

    private static Path launcher;
    private static Path jar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findLauncherAndJar() {
        launcher = Path.of(System.getProperty("tend.launcher", "../bin/tend")).toAbsolutePath().normalize();
        jar = Path.of(System.getProperty("tend.jar", "target/tend.jar")).toAbsolutePath().normalize();
        assertThat(launcher).isExecutable();
        assertThat(jar).isRegularFile();
    }

    record Result(int code, String out, String err) {
        /** The flags {@code -XX:+PrintCommandLineFlags} printed (its line is the first of standard output). */
        Map<String, String> flags() {
            String line = out.lines().findFirst().orElse("");
            Map<String, String> flags = new java.util.HashMap<>();
            Matcher m = FLAG.matcher(line);
            while (m.find()) {
                flags.put(m.group(2), m.group(3) != null ? m.group(3) : m.group(1));
            }
            return flags;
        }
    }

    private ProcessBuilder builder(Consumer<Map<String, String>> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        for (String v : List.of("TEND_JAR", "TEND_JAVA_OPTS", "TEND_CDS", "TEND_AGENT_HEAP", "TEND_STORE",
                "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            pb.environment().remove(v);
        }
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("TEND_JAR", jar.toString());
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        pb.environment().put("XDG_RUNTIME_DIR", tmp.toString());
        env.accept(pb.environment());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        return pb;
    }

    private Result run(Consumer<Map<String, String>> env, String... args) throws Exception {
        ProcessBuilder pb = builder(env, args);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tend " + String.join(" ", args) + " did not finish in 60s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The flags in effect for {@code tend ARGS} (a command's --help: the JVM starts as for the command itself). */
    private Map<String, String> flags(Consumer<Map<String, String>> env, String... args) throws Exception {
        Result r = run(env.andThen(e -> e.merge("TEND_JAVA_OPTS", "-XX:+PrintCommandLineFlags",
                (a, b) -> b + " " + a)), args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err().lines().filter(l -> !l.contains(" DEBUG "))).as("stderr, --debug's lines aside").isEmpty();
        return r.flags();
    }

    private static final Consumer<Map<String, String>> NONE = env -> { };

    @Test
    void theAgentGetsASmallSerialHeapWithACapAndTheFullJit() throws Exception {
        for (String[] command : List.of(new String[] {"agent", "--help"}, new String[] {"machine", "run", "--help"},
                new String[] {"--debug", "agent", "--help"})) {
            Map<String, String> f = flags(NONE, command);
            assertThat(f).as(Arrays.toString(command))
                    .containsEntry("UseSerialGC", "+")
                    .containsEntry("MaxHeapSize", Long.toString(256L << 20))
                    .containsEntry("InitialHeapSize", Long.toString(8L << 20))
                    .containsEntry("NewSize", Long.toString(2L << 20))
                    .containsEntry("MaxHeapFreeRatio", "40")
                    .containsEntry("CompileThresholdScaling", "3.000000")
                    .doesNotContainKey("TieredStopAtLevel");
        }
    }

    @Test
    void kvWatchAndEventsFollowGetTheSmallHeapWithoutACap() throws Exception {
        for (String[] command : List.of(new String[] {"kv", "watch", "--help"},
                new String[] {"machine", "events", "--follow", "--help"})) {
            Map<String, String> f = flags(NONE, command);
            assertThat(f).as(Arrays.toString(command))
                    .containsEntry("UseSerialGC", "+")
                    .containsEntry("InitialHeapSize", Long.toString(8L << 20))
                    .containsEntry("NewSize", Long.toString(2L << 20))
                    .containsEntry("TieredStopAtLevel", "1");
            assertThat(Long.parseLong(f.get("MaxHeapSize"))).as(Arrays.toString(command))
                    .isGreaterThan(256L << 20);
        }
    }

    @Test
    void aKvWatchThatStaysDoesWithoutTheShortCommandsArchive() throws Exception {
        Path jsa = jar.resolveSibling("tend.jsa");
        assertThat(jsa).as("the build writes the short commands' archive beside the jar").isRegularFile();
        assertThat(flags(NONE, "kv", "watch", "--help")).doesNotContainKey("SharedArchiveFile");
        assertThat(flags(NONE, "kv", "watch", "--once", "--help")).containsEntry("SharedArchiveFile", jsa.toString());
        assertThat(flags(NONE, "kv", "get", "--help")).containsEntry("SharedArchiveFile", jsa.toString());
    }

    @Test
    void shortCommandsKeepTheDefaultCollectorAndHeap() throws Exception {
        for (String[] command : List.of(new String[] {"--version"}, new String[] {"kv", "get", "--help"},
                new String[] {"machine", "events", "--help"})) {
            Map<String, String> f = flags(NONE, command);
            assertThat(f).as(Arrays.toString(command))
                    .containsEntry("UseG1GC", "+")
                    .containsEntry("TieredStopAtLevel", "1")
                    .containsEntry("CompileThresholdScaling", "2.000000")
                    .doesNotContainKey("UseSerialGC")
                    .doesNotContainKey("NewSize")
                    .doesNotContainKey("MaxHeapFreeRatio");
        }
    }

    @Test
    void tendAgentHeapRaisesTheCap() throws Exception {
        assertThat(flags(env -> env.put("TEND_AGENT_HEAP", "512m"), "agent", "--help"))
                .containsEntry("MaxHeapSize", Long.toString(512L << 20));
        assertThat(flags(env -> env.put("TEND_AGENT_HEAP", "2g"), "agent", "--help"))
                .containsEntry("MaxHeapSize", Long.toString(2L << 30));
    }

    @Test
    void tendJavaOptsWinOverTheLaunchersChoice() throws Exception {
        Map<String, String> f = flags(env -> {
            env.put("TEND_AGENT_HEAP", "512m");
            env.put("TEND_JAVA_OPTS", "-Xmx1g -XX:TieredStopAtLevel=1");
        }, "agent", "--help");
        assertThat(f).containsEntry("MaxHeapSize", Long.toString(1L << 30)).containsEntry("TieredStopAtLevel", "1");
        // Another collector replaces the serial one rather than conflicting with it.
        assertThat(flags(env -> env.put("TEND_JAVA_OPTS", "-XX:+UseG1GC"), "agent", "--help"))
                .containsEntry("UseG1GC", "+").doesNotContainKey("UseSerialGC");
    }

    @Test
    void optionsFromTheEnvironmentKeepTheJvmStrict() throws Exception {
        // Unrecognised options are only ignored when every option is bin/tend's own (the native heap trim, unknown
        // to older JDK 17 updates): a misspelt option of the operator's stops the JVM, and the trim is left out.
        for (String var : List.of("TEND_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            Result r = run(env -> env.put(var, "-XX:NoSuchTendOption=1"), "agent", "--help");
            assertThat(r.code()).as(var).isNotZero();
            assertThat(r.err()).as(var).contains("NoSuchTendOption");
        }
        assertThat(flags(NONE, "agent", "--help")).doesNotContainKey("TrimNativeHeapInterval")
                .doesNotContainKey("IgnoreUnrecognizedVMOptions");
    }

    @Test
    void aBadTendAgentHeapIsOneLineAndExitStatus2() throws Exception {
        for (String bad : List.of("lots", "512", "8m", "2gb", "-1g", "1g5")) {
            Result r = run(env -> env.put("TEND_AGENT_HEAP", bad), "agent", "--help");
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.out()).as(bad).isEmpty();
            assertThat(r.err()).as(bad).hasLineCount(1)
                    .isEqualTo("tend: TEND_AGENT_HEAP is \"" + bad + "\"; give a heap size of at least 16m, as for "
                            + "-Xmx: 512m, 2g\n");
        }
        // Only the agent reads it.
        Result r = run(env -> env.put("TEND_AGENT_HEAP", "lots"), "--version");
        assertThat(r.code()).isZero();
    }

    @Test
    void aRunningAgentUsesItsArchiveAndOptions() throws Exception {
        Path agentJsa = Path.of(jar.toString().replaceAll("\\.jar$", "") + "-agent.jsa");
        assertThat(agentJsa).as("the build writes the agent's archive beside the jar").isRegularFile();
        Path machines = Files.createDirectories(tmp.resolve("machines"));
        ProcessBuilder pb = builder(env -> env.put("TEND_STORE", tmp.resolve("kv").toString()), "agent",
                "--machines", machines.toString(), "--state", tmp.resolve("state").toString(),
                "--socket", tmp.resolve("agent.sock").toString(), "--plugins", tmp.resolve("plugins").toString(),
                "--insecure-permissions");
        Path out = tmp.resolve("agent.out");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            awaitOutput(p, out, "agent started");
            String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"))
                    .replace('\0', ' ');
            assertThat(cmdline).contains(" -XX:+UseSerialGC ", " -Xmx256m ", " -XX:SharedArchiveFile=" + agentJsa + " ")
                    .doesNotContain("ArchiveRelocationMode", "TieredStopAtLevel");
            // No option from the environment: the native heap trimmed, on a JVM that does not know how too.
            assertThat(cmdline).contains(" -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000 ");
            // Mapped: the JVM took the archive (it ignores one that does not match, silently). A static archive,
            // in place of the JDK's own.
            assertThat(Files.readString(Path.of("/proc", Long.toString(p.pid()), "maps")))
                    .contains(agentJsa.toString()).doesNotContain("classes.jsa");
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void theAgentsArchiveHoldsTheClassesOfTheCoreWatcherTypes() throws Exception {
        // The class list the build made the agent's static archive of: the JDK's classes too, the five core watcher
        // types' (the examples it trains on), none of what only the training's other JVMs run.
        Path list = Path.of(jar.toString().replaceAll("\\.jar$", "") + "-agent.classlist");
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith("@")) {
                classes.add(line.split(" ", 2)[0]);
            }
        }
        assertThat(classes).contains("java/lang/Object", "dev/tend/cli/agent/AgentCommand",
                "dev/tend/watchers/exec/ExecWatcher", "dev/tend/watchers/file/FileWatcher",
                "dev/tend/watchers/kv/WatchingKvWatcher", "dev/tend/watchers/schedule/ScheduleWatcher",
                "dev/tend/watchers/timer/TimerWatcher");
        assertThat(classes).as("the expression watcher's JEXL, the store's writes, the machine commands' client")
                .noneMatch(c -> c.startsWith("org/apache/commons/jexl3/")
                        || c.equals("dev/tend/kv/embedded/BatchWriter") || c.startsWith("dev/tend/cli/machine/"));
        // Every class of the archive is resident in every agent: what only some agents run stays in the jar.
        assertThat(classes).as("the NATS client and an archive deployment's unpacking")
                .noneMatch(c -> c.startsWith("io/nats/") || c.startsWith("org/apache/commons/compress/"));
    }

    @Test
    void aBrokenArchiveDoesNotStopStartUp() throws Exception {
        // A jar of its own (a link) with archives beside it that are not archives: garbage, empty, unreadable.
        Path dir = Files.createDirectories(tmp.resolve("build"));
        Path link = Files.createSymbolicLink(dir.resolve("tend.jar"), jar);
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(42).nextBytes(garbage);
        for (byte[] content : List.of(garbage, new byte[0], "not an archive\n".getBytes(StandardCharsets.UTF_8))) {
            Files.write(dir.resolve("tend-agent.jsa"), content);
            Files.write(dir.resolve("tend.jsa"), content);
            // With the build's markers, written after them: the JVM itself is given these and ignores them.
            markComplete(dir.resolve("tend-agent.jsa"));
            markComplete(dir.resolve("tend.jsa"));
            for (String[] command : List.of(new String[] {"agent", "--help"}, new String[] {"--version"})) {
                Result r = run(env -> env.put("TEND_JAR", link.toString()), command);
                assertThat(r.code()).as("%s with %d bytes: %s", Arrays.toString(command), content.length, r.err())
                        .isZero();
                assertThat(r.err()).isEmpty();
                assertThat(r.out()).isNotEmpty();
            }
        }
        // The agent's archive of another jar (the real one, built for the real jar's path): ignored too.
        Files.copy(Path.of(jar.toString().replaceAll("\\.jar$", "") + "-agent.jsa"), dir.resolve("tend-agent.jsa"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        markComplete(dir.resolve("tend-agent.jsa"));
        Result r = run(env -> env.put("TEND_JAR", link.toString()), "agent", "--help");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aTruncatedArchiveDoesNotCrashStartUp() throws Exception {
        // The JVM maps an archive's regions before it checks the jar it was built for, and dies with SIGBUS
        // (JDK 17.0.15) when they run past the end of the file: bin/tend does not give it an archive without the
        // build's marker, nor one changed since the marker was written. Real archives, cut at half, beside a link to
        // the jar.
        Path built = jar.resolveSibling("tend.jsa");
        Path builtAgent = jar.resolveSibling("tend-agent.jsa");
        assertThat(built.resolveSibling("tend.jsa.complete")).as("the build marks its archives complete").isRegularFile();
        assertThat(builtAgent.resolveSibling("tend-agent.jsa.complete")).isRegularFile();
        Path dir = Files.createDirectories(tmp.resolve("cut"));
        Path link = Files.createSymbolicLink(dir.resolve("tend.jar"), jar);
        Path jsa = dir.resolve("tend.jsa");
        Path agentJsa = dir.resolve("tend-agent.jsa");
        // Without markers (a build stopped before writing them), then with markers older than the archives (a
        // complete archive truncated, or a copy cut short, after its marker).
        for (boolean marked : List.of(false, true)) {
            if (marked) {
                markComplete(jsa);
                markComplete(agentJsa);
                Files.setLastModifiedTime(jsa.resolveSibling("tend.jsa.complete"),
                        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
                Files.setLastModifiedTime(agentJsa.resolveSibling("tend-agent.jsa.complete"),
                        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            }
            writeFirstHalf(built, jsa);
            writeFirstHalf(builtAgent, agentJsa);
            for (String[] command : List.of(new String[] {"agent", "--help"}, new String[] {"machine", "run", "--help"},
                    new String[] {"--version"}, new String[] {"kv", "get", "--help"})) {
                Result r = run(env -> env.put("TEND_JAR", link.toString()), command);
                assertThat(r.code()).as("%s, marked %s: %s", Arrays.toString(command), marked, r.err()).isZero();
                assertThat(r.err()).isEmpty();
                assertThat(r.out()).isNotEmpty();
            }
        }
    }

    private static void writeFirstHalf(Path from, Path to) throws IOException {
        byte[] whole = Files.readAllBytes(from);
        Files.write(to, Arrays.copyOf(whole, whole.length / 2));
    }

    /** The marker the build writes beside an archive once it is in place. */
    private static void markComplete(Path archive) throws IOException {
        Path marker = archive.resolveSibling(archive.getFileName() + ".complete");
        Files.deleteIfExists(marker);
        Files.createFile(marker);
    }

    private static void awaitOutput(Process p, Path out, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
            assertThat(p.isAlive()).as("the agent ended: %s", Files.readString(out)).isTrue();
            assertThat(System.nanoTime()).as("no \"%s\" within 60 s: %s", text, Files.readString(out))
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
