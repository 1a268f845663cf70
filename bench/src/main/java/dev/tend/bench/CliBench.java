package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The start-up benchmark of the {@code tend} command ({@code bench/cli}, see docs/benchmarks.md): prepares two buckets
 * of 100,000 keys and a running agent with one machine, then times whole processes, interleaved, N rounds: a
 * hello-world JVM as a user starts one ({@code java -cp DIR Hello}, the JVM's defaults: the floor), the same with
 * bin/tend's JVM options, and each short {@code tend} command of the target ({@code --version}, {@code --help}, the kv
 * reads and writes, the machine commands against the agent). Each output is checked. Reports the median and spread of
 * each and judges every tend command against the target: a median of at most 2x the floor's. With {@code --before JAR}
 * each tend command also runs with another build's jar (and its archive) on a copy of the buckets, interleaved with
 * the rest, so a change is measured before and after in one run.
 */
public final class CliBench {

    /** bin/tend's JVM options for a short command (keep in step with the launcher). */
    static final List<String> LAUNCHER_OPTS = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData");
    static final String VALUE = "myservice";
    static final double TARGET_RATIO = 2.0;
    static final String MACHINE = "ping";

    /** How a command's stdout is checked. */
    private enum Match { EXACT, PREFIX }

    /**
     * One command to time: its argv for the n-th call (0 first, warm-up rounds included), its environment, and the
     * stdout it must print. {@code judged}: a tend command the target applies to.
     */
    private record Cmd(String name, IntFunction<List<String>> argv, Map<String, String> env, String expect,
                       Match match, boolean judged) {
    }

    private CliBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 20;
        int keys = 100_000;
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        boolean keep = false;
        List<String> only = List.of();
        Path before = null;
        Path root = Path.of(System.getProperty("tend.root", ".")).toAbsolutePath().normalize();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Support.positiveOption(args, ++i);
                    case "--keys" -> keys = Support.positiveOption(args, ++i);
                    case "--dir" -> base = Path.of(Support.optionValue(args, ++i));
                    case "--keep" -> keep = true;
                    case "--quick" -> runs = 5;
                    case "--only" -> only = List.of(Support.optionValue(args, ++i).split(","));
                    case "--before" -> before = Path.of(Support.optionValue(args, ++i)).toAbsolutePath();
                    case "-h", "--help" -> {
                        System.out.println("usage: bench/cli [--runs N] [--keys N] [--quick] [--dir DIR] [--keep] "
                                + "[--only WORD,WORD...] [--before JAR]");
                        return;
                    }
                    default -> {
                        System.err.println("bench/cli: unknown option " + args[i]);
                        System.exit(2);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            Support.badOption("bench/cli", e.getMessage());
        }
        Support.requireDirectory("bench/cli", base);
        if (before != null && !Files.isRegularFile(before)) {
            Support.badOption("bench/cli", "--before " + before + ": no such file");
        }
        Path launcher = root.resolve("bin/tend");
        Path jar = Path.of(System.getenv().getOrDefault("TEND_JAR", root.resolve("cli/target/tend.jar").toString()));
        String jarName = jar.toString();
        Path jsa = Path.of(jarName.substring(0, jarName.length() - ".jar".length()) + ".jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = System.getProperty("java.class.path").split(File.pathSeparator)[0];

        Path dir = Files.createTempDirectory(base, "tend-cli-bench");
        Process agent = null;
        try {
            Path store = dir.resolve("kv");
            System.out.printf(Locale.ROOT, "tend CLI start-up benchmark, %s%n", java);
            System.out.printf(Locale.ROOT, "jar %s, archive %s%s%n", jar, jsa, Files.isRegularFile(jsa) ? ""
                    : " (missing)");
            System.out.printf(Locale.ROOT, "store %s: writing buckets CFG and UPD of %,d keys each...%n", store,
                    keys);
            long t0 = System.nanoTime();
            fill(store, keys);
            System.out.printf(Locale.ROOT, "  written in %.1f s; CFG: %s%n", (System.nanoTime() - t0) / 1e9,
                    listing(store.resolve("CFG")));
            Path beforeStore = dir.resolve("kv-before");
            if (before != null) {
                copyTree(store, beforeStore);
                System.out.printf(Locale.ROOT, "before: jar %s on a copy of the buckets, %s%n", before, beforeStore);
            }

            Map<String, String> env = new HashMap<>(Map.of("TEND_JAR", jar.toString(), "TEND_STORE",
                    store.toString(), "NO_COLOR", "1", "TZ", "UTC", "HOME", dir.resolve("home").toString()));
            Path socket = dir.resolve("agent.sock");
            agent = startAgent(launcher, env, dir, socket);

            String tend = launcher.toString();
            List<Cmd> cmds = new ArrayList<>();
            cmds.add(new Cmd("java Hello (floor)", n -> List.of(java, "-cp", classes, Hello.class.getName()),
                    Map.of(), "hello\n", Match.EXACT, false));
            List<String> helloOpts = new ArrayList<>(List.of(java));
            helloOpts.addAll(LAUNCHER_OPTS);
            helloOpts.addAll(List.of("-cp", classes, Hello.class.getName()));
            cmds.add(new Cmd("java Hello, bin/tend's options", n -> helloOpts, Map.of(), "hello\n", Match.EXACT,
                    false));
            cmds.add(tendCmd("tend --version", env, "tend ", Match.PREFIX, tend, "--version"));
            cmds.add(tendCmd("tend --help", env, "Usage: tend ", Match.PREFIX, tend, "--help"));
            cmds.add(tendCmd("kv put", env, "v2\n", Match.EXACT, tend, "kv", "put", "CFG", "key.1", "v2"));
            cmds.add(new Cmd("kv create", n -> List.of(tend, "kv", "create", "CFG", "new." + n, "v"), env, "v\n",
                    Match.EXACT, true));
            // Only updates write to UPD, so the key's latest revision is the bucket's: keys + 1 after the fill.
            int updBase = keys + 1;
            cmds.add(new Cmd("kv update", n -> List.of(tend, "kv", "update", "UPD", "counter", "u" + n,
                    "--revision", Long.toString(updBase + n)), env, null, Match.EXACT, true));
            cmds.add(new Cmd("kv del", n -> List.of(tend, "kv", "del", "CFG", "key." + (2 + n), "-f"), env, "",
                    Match.EXACT, true));
            cmds.add(tendCmd("kv get", env, "CFG > username revision ", Match.PREFIX, tend, "kv", "get", "CFG",
                    "username"));
            cmds.add(tendCmd("kv get --json", env, "{\n", Match.PREFIX, tend, "kv", "get", "CFG", "username",
                    "--json"));
            cmds.add(tendCmd("kv get --raw", env, VALUE, Match.EXACT, tend, "kv", "get", "CFG", "username",
                    "--raw"));
            cmds.add(new Cmd("kv get --raw, no CDS", n -> List.of(tend, "kv", "get", "CFG", "username", "--raw"),
                    with(env, "TEND_CDS", "0"), VALUE, Match.EXACT, false));
            cmds.add(tendCmd(String.format(Locale.ROOT, "kv keys (%,d keys)", keys + 1), env, "key.", Match.PREFIX,
                    tend, "kv", "keys", "CFG"));
            cmds.add(tendCmd("kv keys, a filter", env, "username\n", Match.EXACT, tend, "kv", "keys", "CFG",
                    "username"));
            cmds.add(tendCmd("kv ls", env, "", Match.PREFIX, tend, "kv", "ls"));
            cmds.add(tendCmd("kv info", env, "CFG Key-Value Store", Match.PREFIX, tend, "kv", "info", "CFG"));
            cmds.add(tendCmd("kv history", env, "", Match.PREFIX, tend, "kv", "history", "CFG", "username"));
            String sock = socket.toString();
            cmds.add(tendCmd("machine list", env, "", Match.PREFIX, tend, "machine", "list", "--socket", sock));
            cmds.add(tendCmd("machine info", env, "", Match.PREFIX, tend, "machine", "info", MACHINE, "--socket",
                    sock));
            cmds.add(tendCmd("machine transition", env, MACHINE + ": IDLE -> IDLE via poke\n", Match.EXACT, tend,
                    "machine", "transition", MACHINE, "poke", "--socket", sock));
            if (!only.isEmpty()) {
                List<String> words = only;
                cmds.removeIf(c -> c.judged() && words.stream().noneMatch(c.name()::contains));
            }
            if (before != null) {
                List<Cmd> earlier = new ArrayList<>();
                for (Cmd c : cmds) {
                    if (c.judged()) {
                        Map<String, String> e = with(with(c.env(), "TEND_JAR", before.toString()), "TEND_STORE",
                                beforeStore.toString());
                        earlier.add(new Cmd(c.name() + " (before)", c.argv(), e, c.expect(), c.match(), false));
                    }
                }
                cmds.addAll(earlier);
            }

            int warmup = 2;
            int[] calls = new int[cmds.size()];
            long[][] times = new long[cmds.size()][runs];
            for (int r = -warmup; r < runs; r++) {
                for (int k = 0; k < cmds.size(); k++) {
                    int c = Math.floorMod(k + r, cmds.size()); // rotate the order, so no command always goes first
                    long ns = run(cmds.get(c), calls[c]++);
                    if (r >= 0) {
                        times[c][r] = ns;
                    }
                }
            }
            double floor = median(times[0]);
            System.out.printf(Locale.ROOT, "%n%d runs each, interleaved, after %d warm-up rounds; load average %s%n%n",
                    runs, warmup, loadAverage());
            System.out.printf(Locale.ROOT, "| %-30s | %9s | %17s | %8s | %s |%n", "Command", "Median", "p10 - p90",
                    "vs hello", "Verdict");
            System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%n", "-".repeat(32), "-".repeat(11), "-".repeat(19),
                    "-".repeat(10), "-".repeat(9));
            int failed = 0;
            for (int c = 0; c < cmds.size(); c++) {
                long[] t = times[c].clone();
                Arrays.sort(t);
                double med = median(t);
                String verdict = "";
                if (cmds.get(c).judged()) {
                    boolean pass = med <= TARGET_RATIO * floor;
                    failed += pass ? 0 : 1;
                    verdict = (pass ? "PASS" : "FAIL") + " (target <= " + TARGET_RATIO + "x)";
                }
                System.out.printf(Locale.ROOT, "| %-30s | %6.0f ms | %5.0f - %5.0f ms | %7.2fx | %s |%n",
                        cmds.get(c).name(), med / 1e6, pct(t, 0.1) / 1e6, pct(t, 0.9) / 1e6, med / floor, verdict);
            }
            System.out.printf(Locale.ROOT, "%n%s%n", failed == 0 ? "every command within the target"
                    : failed + " command(s) over the target");
        } finally {
            if (agent != null) {
                agent.destroy();
                agent.waitFor();
            }
            if (keep) {
                System.out.println("kept " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    private static Cmd tendCmd(String name, Map<String, String> env, String expect, Match match, String... argv) {
        List<String> a = List.of(argv);
        return new Cmd(name, n -> a, env, expect, match, true);
    }

    private static Map<String, String> with(Map<String, String> env, String k, String v) {
        Map<String, String> m = new HashMap<>(env);
        m.put(k, v);
        return m;
    }

    /**
     * Fills bucket CFG with {@code keys} keys of 128 bytes and {@code username}, and UPD with as many and
     * {@code counter}; closing writes the index snapshots.
     */
    static void fill(Path dir, int keys) {
        byte[] v = new byte[128];
        Arrays.fill(v, (byte) 'x');
        try (KvStore s = KvStore.builder().directory(dir).durability(Durability.RELAXED).build()) {
            Bucket b = s.create(BucketConfig.builder("CFG").history(5).build());
            Bucket u = s.create(BucketConfig.builder("UPD").history(5).build());
            for (int i = 0; i < keys; i++) {
                b.put("key." + i, v);
                u.put("key." + i, v);
            }
            b.put("username", VALUE.getBytes(StandardCharsets.UTF_8));
            u.put("counter", v);
        }
    }

    /**
     * Starts {@code tend agent} on one machine, {@value #MACHINE}, whose {@code poke} leads from IDLE back to IDLE
     * (a schedule watcher that never fires in the run keeps it valid), and waits for it to answer on its socket.
     */
    private static Process startAgent(Path launcher, Map<String, String> env, Path dir, Path socket)
            throws IOException, InterruptedException {
        Path machines = dir.resolve("machines");
        Files.createDirectories(machines.resolve(MACHINE));
        Files.writeString(machines.resolve(MACHINE).resolve("machine.yaml"), """
                name: ping
                version: "1.0.0"
                initial_state: IDLE
                transitions:
                  - name: poke
                    from: [IDLE]
                    destination: IDLE
                watchers:
                  - name: tick
                    type: schedule
                    state_match: [IDLE]
                    success_transition: poke
                    properties:
                      schedules: ["0 0 1 1 *"]
                      duration: 1m
                """);
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "agent", "--machines", machines.toString(),
                "--state", dir.resolve("state").toString(), "--socket", socket.toString(), "--insecure-permissions")
                .redirectOutput(dir.resolve("agent.log").toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process agent = pb.start();
        Cmd probe = new Cmd("machine info (waiting for the agent)", n -> List.of(launcher.toString(), "machine",
                "info", MACHINE, "--socket", socket.toString()), env, null, Match.EXACT, false);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("tend agent exited: " + Files.readString(dir.resolve("agent.log")));
            }
            if (tryRun(probe, 0) >= 0) {
                return agent;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tend agent did not answer within 60 s: "
                        + Files.readString(dir.resolve("agent.log")));
            }
            Thread.sleep(200);
        }
    }

    /** Runs one command; returns its wall time in ns, or fails when it failed or printed something else. */
    private static long run(Cmd cmd, int n) throws IOException, InterruptedException {
        long ns = tryRun(cmd, n);
        if (ns < 0) {
            throw new IllegalStateException(cmd.name() + " failed: " + cmd.argv().apply(n));
        }
        return ns;
    }

    /** Runs one command; returns its wall time in ns, or -1 when it failed or printed something else. */
    private static long tryRun(Cmd cmd, int n) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd.argv().apply(n)).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(cmd.env());
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            out = b.toByteArray();
        }
        int rc = p.waitFor();
        long ns = System.nanoTime() - t0;
        if (rc != 0) {
            return -1;
        }
        if (cmd.expect() != null) {
            String s = new String(out, StandardCharsets.UTF_8);
            if (cmd.match() == Match.PREFIX ? !s.startsWith(cmd.expect()) : !s.equals(cmd.expect())) {
                System.err.printf("%s printed %s, expected %s%n", cmd.name(), quote(s), quote(cmd.expect()));
                return -1;
            }
        }
        return ns;
    }

    private static String quote(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return "\"" + shown.replace("\n", "\\n") + "\"";
    }

    private static double median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    private static double pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static String listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return String.join(", ", s.sorted().map(p -> {
                try {
                    return p.getFileName() + " " + Files.size(p) / 1024 + " KiB";
                } catch (IOException e) {
                    return p.getFileName().toString();
                }
            }).toList());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
