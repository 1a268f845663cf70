package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The memory of tend's long-running processes ({@code bench/agent}, see docs/benchmarks.md): whole processes started
 * the way an operator starts them, before and after, interleaved, and for each the time until it is ready, its
 * resident set once settled (VmRSS, and how much of it is anonymous memory and mapped files), its threads and its
 * heap after a full collection. Scenarios: the agent idle with the five example machines (embedded store, their
 * buckets created, so every kv watcher has its watch open); {@code tend kv watch} on a bucket of 100,000 keys (the
 * process holds the bucket open and has printed every key); with {@code --sizes}, the agent with that many small
 * machines (two states, one timer watcher each), for sizing the heap.
 *
 * <p>"after" is {@code bin/tend} as it is. "before" starts the same jar with the JVM options bin/tend gave these
 * commands at commit 12409c4, {@link #BEFORE_AGENT} and {@link #BEFORE_SHORT}, and the same class-data-sharing archive
 * {@code tend.jsa} (a later build's archive may hold more classes than that commit's did).
 */
public final class AgentMemoryBench {

    /** bin/tend's options for {@code tend agent} and {@code tend machine run} at 12409c4, with tend.jsa. */
    static final List<String> BEFORE_AGENT = List.of("-Xshare:auto", "-XX:-UsePerfData",
            "-XX:SharedArchiveFile=%JSA%", "-Xlog:cds=off,cds+dynamic=off");
    /** bin/tend's options for every other command (here {@code tend kv watch}) at 12409c4, with tend.jsa. */
    static final List<String> BEFORE_SHORT = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData",
            "-XX:SharedArchiveFile=%JSA%", "-Xlog:cds=off,cds+dynamic=off", "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0");
    /** The target of both judged scenarios (issue 12): at most 64 MiB resident. */
    static final long TARGET_RSS_KIB = 64 * 1024;
    /** Variables of the caller's environment that would change what bin/tend does; never passed on. */
    static final List<String> CLEARED = List.of("TEND_JAVA_OPTS", "TEND_CDS", "TEND_AGENT_HEAP", "TEND_STORE",
            "TEND_STORE_MODE", "TEND_EVENTS_PREFIX", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final PrintStream out = System.out;
    private final Path root;
    private final Path launcher;
    private final Path jar;
    private final Path jsa;
    private final Path java;
    private final Path jcmd;
    private final Path dir;
    private final int settleMs;

    private record Variant(String name, boolean before) {
    }

    private record Sample(double startMs, JvmProcess.Memory memory, String options) {
    }

    private AgentMemoryBench(Path root, Path jar, Path dir, int settleMs) {
        this.root = root;
        this.launcher = root.resolve("bin/tend");
        this.jar = jar;
        this.jsa = Path.of(jar.toString().replaceAll("\\.jar$", "") + ".jsa");
        Path home = Path.of(System.getProperty("java.home"));
        this.java = home.resolve("bin/java");
        this.jcmd = home.resolve("bin/jcmd");
        this.dir = dir;
        this.settleMs = settleMs;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int keys = 100_000;
        int settle = 10;
        List<Integer> sizes = new ArrayList<>();
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        boolean keep = false;
        boolean skipExamples = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rounds" -> rounds = Support.positiveOption(args, ++i);
                    case "--keys" -> keys = Support.positiveOption(args, ++i);
                    case "--settle" -> settle = Support.positiveOption(args, ++i);
                    case "--sizes" -> {
                        String list = Support.optionValue(args, ++i);
                        for (String n : list.split(",")) {
                            try {
                                sizes.add(Support.positive(n.trim()));
                            } catch (IllegalArgumentException e) {
                                throw new IllegalArgumentException("--sizes needs positive numbers separated by"
                                        + " commas, not \"" + list + "\"");
                            }
                        }
                    }
                    case "--sizes-only" -> skipExamples = true;
                    case "--quick" -> {
                        rounds = 1;
                        settle = 5;
                    }
                    case "--dir" -> base = Path.of(Support.optionValue(args, ++i));
                    case "--keep" -> keep = true;
                    case "-h", "--help" -> {
                        System.out.println("usage: bench/agent [--rounds N] [--settle SECONDS] [--keys N] "
                                + "[--sizes N,N...] [--sizes-only] [--quick] [--dir DIR] [--keep]");
                        return;
                    }
                    default -> {
                        System.err.println("bench/agent: unknown option " + args[i]);
                        System.exit(2);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            Support.badOption("bench/agent", e.getMessage());
        }
        Support.requireDirectory("bench/agent", base);
        Path root = Path.of(System.getProperty("tend.root", ".")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getenv().getOrDefault("TEND_JAR", root.resolve("cli/target/tend.jar").toString()));
        Path dir = Files.createTempDirectory(base, "tend-agent-bench");
        try {
            new AgentMemoryBench(root, jar, dir, settle * 1000).run(rounds, keys, sizes, skipExamples);
        } finally {
            if (keep) {
                System.out.println("kept " + dir);
            } else {
                Support.deleteTree(dir);
            }
        }
    }

    private void run(int rounds, int keys, List<Integer> sizes, boolean skipExamples) throws Exception {
        out.printf(Locale.ROOT, "tend long-running processes: memory and start-up, %s%n", java);
        out.printf(Locale.ROOT, "jar %s, archives %s%n", jar, archives());
        out.printf(Locale.ROOT, "before: the options of bin/tend at 12409c4 (agent: %s; kv watch: %s)%n",
                String.join(" ", BEFORE_AGENT), String.join(" ", BEFORE_SHORT));
        out.printf(Locale.ROOT, "after: %s; load average %s%n", launcher, loadAverage());
        Path store = dir.resolve("kv");
        List<Variant> variants = List.of(new Variant("before", true), new Variant("after", false));
        Map<String, List<Sample>> results = new LinkedHashMap<>();
        if (!skipExamples) {
            long t0 = System.nanoTime();
            prepareStore(store, keys);
            out.printf(Locale.ROOT, "store %s: buckets CFG, FLEET, MOTD (the examples') and BIG (%,d keys) in %.1f s%n",
                    store, keys, (System.nanoTime() - t0) / 1e9);
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < variants.size(); k++) {
                    Variant v = variants.get(Math.floorMod(k + r, variants.size()));
                    Sample s = examplesAgent(v, store, r);
                    results.computeIfAbsent("agent, 5 examples|" + v.name(), x -> new ArrayList<>()).add(s);
                    report("agent, 5 examples", v, r, s);
                }
                for (int k = 0; k < variants.size(); k++) {
                    Variant v = variants.get(Math.floorMod(k + r, variants.size()));
                    Sample s = kvWatch(v, store, keys, r);
                    results.computeIfAbsent("kv watch, " + count(keys) + " keys|" + v.name(), x -> new ArrayList<>())
                            .add(s);
                    report("kv watch, " + count(keys) + " keys", v, r, s);
                }
            }
        }
        for (int size : sizes) {
            Path machines = writeMachines(size);
            for (Variant v : variants) {
                Sample s = sizedAgent(v, machines, size);
                results.computeIfAbsent("agent, " + count(size) + " machines|" + v.name(), x -> new ArrayList<>())
                        .add(s);
                report("agent, " + count(size) + " machines", v, 0, s);
            }
        }
        table(results);
    }

    private String archives() {
        List<String> found = new ArrayList<>();
        for (Path p : List.of(jsa, Path.of(jar.toString().replaceAll("\\.jar$", "") + "-agent.jsa"))) {
            found.add(p.getFileName() + (Files.isRegularFile(p) ? "" : " (missing)"));
        }
        return String.join(", ", found);
    }

    private static void prepareStore(Path store, int keys) {
        byte[] v = new byte[Support.VALUE_SIZE];
        Arrays.fill(v, (byte) 'x');
        try (KvStore s = KvStore.builder().directory(store).durability(Durability.RELAXED).build()) {
            for (String name : List.of("CFG", "FLEET", "MOTD")) {
                s.create(BucketConfig.builder(name).build());
            }
            Bucket big = s.create(BucketConfig.builder("BIG").history(5).build());
            for (int i = 0; i < keys; i++) {
                big.put("key." + i, v);
            }
        }
    }

    /** The argv of a tend command, started the variant's way. */
    private List<String> argv(Variant v, boolean agent, List<String> args) {
        List<String> argv = new ArrayList<>();
        if (v.before()) {
            argv.add(java.toString());
            for (String o : agent ? BEFORE_AGENT : BEFORE_SHORT) {
                if (o.contains("%JSA%")) {
                    if (!Files.isRegularFile(jsa)) {
                        continue;
                    }
                    o = o.replace("%JSA%", jsa.toString());
                } else if (o.startsWith("-Xlog:cds") && !Files.isRegularFile(jsa)) {
                    continue;
                }
                argv.add(o);
            }
            argv.addAll(List.of("-cp", jar.toString(), "dev.tend.cli.Main"));
        } else {
            argv.add(launcher.toString());
        }
        argv.addAll(args);
        return argv;
    }

    private Map<String, String> env(Path store, Path run) {
        return Map.of("TEND_JAR", jar.toString(), "TEND_STORE", store.toString(), "NO_COLOR", "1",
                "XDG_CONFIG_HOME", run.resolve("config").toString(), "XDG_RUNTIME_DIR", run.toString());
    }

    private List<String> agentArgs(Path machines, Path run) {
        return List.of("agent", "--machines", machines.toString(), "--state", run.resolve("state").toString(),
                "--socket", run.resolve("agent.sock").toString(), "--plugins", run.resolve("plugins").toString());
    }

    /**
     * The example machines issue 12's figure is about (the examples directory has grown since: a figure over time
     * needs the same machines).
     */
    private static final List<String> FIVE_EXAMPLES = List.of("deployer", "fleet", "maintenance", "motd", "nightly");

    private Sample examplesAgent(Variant v, Path store, int round) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run-examples-" + v.name() + "-" + round));
        Path machines = run.resolve("machines");
        for (String example : FIVE_EXAMPLES) {
            copyTree(root.resolve("examples/machines").resolve(example), machines.resolve(example));
        }
        String marker = "agent started: " + FIVE_EXAMPLES.size() + " machines";
        return measure(argv(v, true, agentArgs(machines, run)), env(store, run), run, marker,
                OutputSoFar -> OutputSoFar.seen(), 120_000);
    }

    private Sample kvWatch(Variant v, Path store, int keys, int round) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run-watch-" + v.name() + "-" + round));
        // Ready when it has printed the last value of every key.
        return measure(argv(v, false, List.of("kv", "watch", "BIG")), env(store, run), run, "",
                so -> so.lines() >= keys, 300_000);
    }

    private Sample sizedAgent(Variant v, Path machines, int size) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run-" + size + "-" + v.name()));
        Path store = run.resolve("kv");
        return measure(argv(v, true, agentArgs(machines, run)), env(store, run), run,
                "agent started: " + size + " machines", JvmProcess.OutputSoFar::seen, 600_000);
    }

    private Sample measure(List<String> argv, Map<String, String> env, Path run, String marker,
            Predicate<JvmProcess.OutputSoFar> ready, long timeoutMs) throws Exception {
        Files.createDirectories(run.resolve("plugins"));
        Files.createDirectories(run.resolve("config"));
        Path output = run.resolve("output.txt");
        try (JvmProcess p = JvmProcess.start(argv, env, CLEARED, output)) {
            double startMs = p.awaitReady(marker, ready, timeoutMs);
            String options = p.jvmOptions();
            Thread.sleep(settleMs);
            JvmProcess.Memory m = p.memory(jcmd);
            return new Sample(startMs, m, options);
        } finally {
            Files.deleteIfExists(output); // a kv watch of 100,000 keys writes about 15 MB
        }
    }

    /** {@code size} directories {@code m_<i>}, each a two-state machine whose timer watcher waits a day. */
    private Path writeMachines(int size) throws IOException {
        Path machines = Files.createDirectories(dir.resolve("machines-" + size));
        for (int i = 0; i < size; i++) {
            Path d = Files.createDirectories(machines.resolve(String.format(Locale.ROOT, "m_%05d", i)));
            Files.writeString(d.resolve("machine.yaml"), """
                    name: m_%d
                    version: "1.0.0"
                    initial_state: idle
                    transitions:
                      - name: go
                        from: [idle]
                        destination: busy
                      - name: back
                        from: [busy]
                        destination: idle
                    watchers:
                      - name: later
                        type: timer
                        state_match: [idle]
                        fail_transition: go
                        properties:
                          timer: 24h
                    """.formatted(i), StandardCharsets.UTF_8);
        }
        return machines;
    }

    private void report(String scenario, Variant v, int round, Sample s) {
        JvmProcess.Memory m = s.memory();
        out.printf(Locale.ROOT, "  %-28s %-6s round %d: ready %,7.0f ms, RSS %6.1f MiB (anon %.1f, files %.1f), "
                        + "%3d threads, heap after GC %5.1f MiB of %5.1f MiB committed%n", scenario, v.name(), round + 1,
                s.startMs(), mib(m.rssKib()), mib(m.anonKib()), mib(m.fileKib()), m.threads(), mib(m.heapUsedKib()),
                mib(m.heapCommittedKib()));
        if (round == 0) {
            out.printf(Locale.ROOT, "      JVM options: %s%n", s.options());
        }
    }

    private void table(Map<String, List<Sample>> results) {
        out.printf(Locale.ROOT, "%nMedians (min - max) per scenario and variant; load average %s%n%n",
                loadAverage());
        out.printf(Locale.ROOT, "| %-26s | %-6s | %-26s | %-26s | %-24s | %-7s | %-20s |%n", "Process", "JVM",
                "Ready", "RSS", "Heap after GC", "Threads", "Verdict");
        out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(28), "-".repeat(8), "-".repeat(28),
                "-".repeat(28), "-".repeat(26), "-".repeat(9), "-".repeat(22));
        for (Map.Entry<String, List<Sample>> e : results.entrySet()) {
            String[] key = e.getKey().split("\\|");
            List<Sample> ss = e.getValue();
            double[] start = ss.stream().mapToDouble(Sample::startMs).sorted().toArray();
            double[] rss = ss.stream().mapToDouble(s -> mib(s.memory().rssKib())).sorted().toArray();
            double[] heap = ss.stream().mapToDouble(s -> mib(s.memory().heapUsedKib())).sorted().toArray();
            double[] threads = ss.stream().mapToDouble(s -> s.memory().threads()).sorted().toArray();
            String verdict = "";
            if (!key[0].contains("machines")) {
                verdict = (median(rss) <= TARGET_RSS_KIB / 1024.0 ? "PASS" : "FAIL") + " (RSS <= 64 MiB)";
            }
            out.printf(Locale.ROOT, "| %-26s | %-6s | %-26s | %-26s | %-24s | %7.0f | %-20s |%n", key[0], key[1],
                    range(start, "%,.0f", " ms"), range(rss, "%.1f", " MiB"), range(heap, "%.1f", " MiB"),
                    median(threads), verdict);
        }
    }

    private static String range(double[] sorted, String fmt, String unit) {
        String med = String.format(Locale.ROOT, fmt, median(sorted)) + unit;
        if (sorted.length < 2) {
            return med;
        }
        return med + " (" + String.format(Locale.ROOT, fmt, sorted[0]) + " - "
                + String.format(Locale.ROOT, fmt, sorted[sorted.length - 1]) + ")";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double mib(long kib) {
        return kib / 1024.0;
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
