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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The start-up benchmark of the {@code tend} command ({@code bench/cli}, see docs/benchmarks.md): prepares a bucket
 * of 100,000 keys, then times whole processes, interleaved, N rounds: a hello-world JVM as a user starts one
 * ({@code java -cp DIR Hello}, the JVM's defaults: the floor) and with bin/tend's JVM options, {@code bin/tend
 * --version} and {@code bin/tend kv get CFG username --raw}, each with and without tend's class-data-sharing
 * archive. Reports the median and spread of each and judges {@code kv get} against the target: at most 2x the floor.
 *
 * <p>When the build has no {@code tend kv get} yet, {@link KvGetProbe} stands in for it: the same library calls in a
 * JVM started with bin/tend's options and archive.
 */
public final class CliBench {

    /** bin/tend's JVM options (keep in step with the launcher). */
    static final List<String> LAUNCHER_OPTS = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData");
    /** The options bin/tend adds when it uses the archive (keep in step with the launcher). */
    static final List<String> ARCHIVE_OPTS = List.of("-Xlog:cds=off,cds+dynamic=off", "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0");
    static final String VALUE = "myservice";
    static final double TARGET_RATIO = 2.0;

    private record Cmd(String name, List<String> argv, Map<String, String> env, String expect, boolean prefix) {
    }

    private CliBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 20;
        int keys = 100_000;
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        boolean keep = false;
        Path root = Path.of(System.getProperty("tend.root", ".")).toAbsolutePath().normalize();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--dir" -> base = Path.of(args[++i]);
                case "--keep" -> keep = true;
                case "--quick" -> runs = 5;
                case "-h", "--help" -> {
                    System.out.println("usage: bench/cli [--runs N] [--keys N] [--quick] [--dir DIR] [--keep]");
                    return;
                }
                default -> {
                    System.err.println("bench/cli: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path launcher = root.resolve("bin/tend");
        Path jar = Path.of(System.getenv().getOrDefault("TEND_JAR", root.resolve("cli/target/tend.jar").toString()));
        Path jsa = Path.of(jar.toString().replaceAll("\\.jar$", "") + ".jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String benchCp = System.getProperty("java.class.path");
        String classes = benchCp.split(File.pathSeparator)[0];

        Path dir = Files.createTempDirectory(base, "tend-cli-bench");
        try {
            System.out.printf(Locale.ROOT, "tend CLI start-up benchmark, %s%n", java);
            System.out.printf(Locale.ROOT, "jar %s, archive %s%s%n", jar, jsa, Files.isRegularFile(jsa) ? "" : " (missing)");
            System.out.printf(Locale.ROOT, "store %s: writing %,d keys...%n", dir, keys);
            long t0 = System.nanoTime();
            fill(dir, keys);
            System.out.printf(Locale.ROOT, "  written in %.1f s; files: %s%n", (System.nanoTime() - t0) / 1e9,
                    listing(dir.resolve("CFG")));

            Map<String, String> env = Map.of("TEND_JAR", jar.toString(), "TEND_STORE", dir.toString(), "NO_COLOR", "1");
            List<Cmd> cmds = new ArrayList<>();
            cmds.add(new Cmd("java Hello (floor)", List.of(java, "-cp", classes, Hello.class.getName()), Map.of(),
                    "hello\n", false));
            List<String> helloOpts = new ArrayList<>(List.of(java));
            helloOpts.addAll(LAUNCHER_OPTS);
            helloOpts.addAll(List.of("-cp", classes, Hello.class.getName()));
            cmds.add(new Cmd("java Hello, bin/tend's options", helloOpts, Map.of(), "hello\n", false));
            List<String> version = List.of(launcher.toString(), "--version");
            cmds.add(new Cmd("tend --version", version, with(env, "TEND_CDS", "1"), "tend ", true));
            cmds.add(new Cmd("tend --version, no CDS", version, with(env, "TEND_CDS", "0"), "tend ", true));
            List<String> get = List.of(launcher.toString(), "kv", "get", "CFG", "username", "--raw");
            // Does this build have `tend kv get`? (Asked by running it: picocli answers --help even for unknown words.)
            boolean haveGet = run(new Cmd("tend kv get --raw", get, env, VALUE, false), null) >= 0;
            if (haveGet) {
                cmds.add(new Cmd("tend kv get --raw", get, with(env, "TEND_CDS", "1"), VALUE, false));
                cmds.add(new Cmd("tend kv get --raw, no CDS", get, with(env, "TEND_CDS", "0"), VALUE, false));
            } else {
                System.out.println("this build has no `tend kv get`: timing its library equivalent, "
                        + KvGetProbe.class.getSimpleName() + ", with bin/tend's JVM options");
                for (boolean cds : new boolean[] {true, false}) {
                    List<String> probe = new ArrayList<>(List.of(java));
                    probe.addAll(LAUNCHER_OPTS);
                    if (cds && Files.isRegularFile(jsa)) {
                        probe.add("-XX:SharedArchiveFile=" + jsa);
                        probe.addAll(ARCHIVE_OPTS);
                    }
                    probe.addAll(List.of("-cp", jar + File.pathSeparator + classes, KvGetProbe.class.getName(),
                            dir.toString(), "CFG", "username"));
                    cmds.add(new Cmd("kv get (library probe)" + (cds ? "" : ", no CDS"), probe, Map.of(), VALUE, false));
                }
            }

            int warmup = 2;
            long[][] times = new long[cmds.size()][runs];
            for (int r = -warmup; r < runs; r++) {
                for (int k = 0; k < cmds.size(); k++) {
                    int c = Math.floorMod(k + r, cmds.size()); // rotate the order, so no command always goes first
                    long ns = run(cmds.get(c), cmds.get(c).expect());
                    if (ns < 0) {
                        throw new IllegalStateException(cmds.get(c).name() + " failed");
                    }
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
            for (int c = 0; c < cmds.size(); c++) {
                long[] t = times[c].clone();
                Arrays.sort(t);
                double med = median(t);
                String verdict = "";
                if (cmds.get(c).name().contains("get") && !cmds.get(c).name().contains("no CDS")) {
                    verdict = med <= TARGET_RATIO * floor ? "PASS" : "FAIL";
                    verdict += " (target <= " + TARGET_RATIO + "x)";
                }
                System.out.printf(Locale.ROOT, "| %-30s | %6.0f ms | %5.0f - %5.0f ms | %7.2fx | %s |%n",
                        cmds.get(c).name(), med / 1e6, pct(t, 0.1) / 1e6, pct(t, 0.9) / 1e6, med / floor, verdict);
            }
        } finally {
            if (keep) {
                System.out.println("kept " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    private static Map<String, String> with(Map<String, String> env, String k, String v) {
        Map<String, String> m = new java.util.HashMap<>(env);
        m.put(k, v);
        return m;
    }

    /** Fills bucket CFG with {@code keys} keys of 128 bytes and {@code username}; closing writes the index snapshot. */
    static void fill(Path dir, int keys) {
        byte[] v = new byte[128];
        Arrays.fill(v, (byte) 'x');
        try (KvStore s = KvStore.builder().directory(dir).durability(Durability.RELAXED).build()) {
            Bucket b = s.create(BucketConfig.builder("CFG").history(5).build());
            for (int i = 0; i < keys; i++) {
                b.put("key." + i, v);
            }
            b.put("username", VALUE.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Runs one command; returns its wall time in ns, or -1 when it failed or printed something else. */
    private static long run(Cmd cmd, String expect) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd.argv()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
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
        if (expect != null) {
            String s = new String(out, StandardCharsets.UTF_8);
            if (cmd.prefix() ? !s.startsWith(expect) : !s.equals(expect)) {
                System.err.printf("%s printed %s, expected %s%n", cmd.name(), quote(s), quote(expect));
                return -1;
            }
        }
        return ns;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
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

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
