package dev.tend.bench;

import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rollout benchmark, run by {@code bench/fleet-rollout}: N real agents ({@code bin/tend agent
 * --manage-machines}, each in a process of its own with its own state directory, socket, machines directory and
 * facts) on one nats-server started here; three in four have the fact {@code role: web} that the published machine's
 * {@code match} asks for. Each round packs and publishes (with {@code bin/tend fleet publish}) a new version of the
 * machine {@code hello} and takes, for every matching node, the time from the specification's write (its store time)
 * until that node's agent logs {@code machine hello VERSION loaded from ...} (the new version unpacked and started).
 * Reported: p50 and max of the first round (the first install, on agents just started) and of the others (version
 * bumps), printed, not asserted; the agents' RSS (sum and median, from /proc) and the load average.
 */
public final class FleetRolloutBench {
    static final String USAGE = """
            usage: bench/fleet-rollout [--agents N] [--rounds N] [--check-interval DUR] [--dir DIR] [--keep]

              --agents N          agents (default 20); three in four match the published machine
              --rounds N          versions published one after the other (default 4): the first installs the
                                  machine, the others bump its version
              --check-interval D  the agents' --machines-check-interval (default 2s, the shortest it takes)
              --dir DIR           make the data directory inside DIR (default: java.io.tmpdir)
              --keep              keep the data directory afterwards
            """;
    private static final long TARGET_MAX_MS = 5_000;
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(120);
    private static final Duration START_DEADLINE = Duration.ofMinutes(5);

    private final PrintStream out = System.out;
    private final Path root;
    private final Path data;
    private final int agents;
    private final int rounds;
    private final String checkInterval;
    private final FigureTable table = new FigureTable("FIGURE", "VALUE", "TARGET", "VERDICT");

    /** One agent: its process, log, and whether the published machine's match accepts it. */
    private record Agent(String identity, Process process, Path log, Path machines, boolean matches) {
    }

    private FleetRolloutBench(Path root, Path data, int agents, int rounds, String checkInterval) {
        this.root = root;
        this.data = data;
        this.agents = agents;
        this.rounds = rounds;
        this.checkInterval = checkInterval;
    }

    public static void main(String[] args) throws Exception {
        int agents = 20;
        int rounds = 4;
        String checkInterval = "2s";
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        boolean keep = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--agents" -> agents = Support.positiveOption(args, ++i);
                    case "--rounds" -> rounds = Support.positiveOption(args, ++i);
                    case "--check-interval" -> checkInterval = Support.optionValue(args, ++i);
                    case "--dir" -> dir = Path.of(Support.optionValue(args, ++i));
                    case "--keep" -> keep = true;
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> {
                        System.err.println("bench/fleet-rollout: unknown argument " + args[i]);
                        System.err.print(USAGE);
                        System.exit(2);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            Support.badOption("bench/fleet-rollout", e.getMessage());
        }
        Path root = Path.of(System.getProperty("tend.root", ".")).toAbsolutePath().normalize();
        Support.requireDirectory("bench/fleet-rollout", dir);
        Path data;
        try {
            data = Files.createTempDirectory(dir, "tend-fleet-rollout-");
        } catch (IOException e) {
            System.err.println("bench/fleet-rollout: cannot make a directory in " + dir + ": " + e);
            System.exit(2);
            return;
        }
        try {
            new FleetRolloutBench(root, data, agents, rounds, checkInterval).run();
        } finally {
            if (!keep) {
                Support.deleteTree(data);
            } else {
                System.out.println("data kept in " + data);
            }
        }
    }

    private void run() throws Exception {
        out.printf("fleet rollout: %d agents on one nats-server, check interval %s, %d rounds; data in %s%n", agents,
                checkInterval, rounds, data);
        out.println("load average at start: " + loadAverage());
        try (NatsProcess nats = NatsProcess.start(data.resolve("nats"));
             KvStore store = KvStore.open(nats.url())) {
            tend(nats, "fleet", "keygen", data.resolve("keys").toString());
            List<Agent> fleet = new ArrayList<>();
            try {
                for (int i = 0; i < agents; i++) {
                    fleet.add(start(nats, i));
                }
                awaitStarted(fleet);
                out.println("all agents started");
                // Round 1 installs hello on agents that have just started (cold JVMs, the machine new to them);
                // the later rounds replace a running version, the rollout an operator repeats.
                long[] first = null;
                List<Long> samples = new ArrayList<>();
                for (int r = 1; r <= rounds; r++) {
                    String version = "1." + r + ".0";
                    long[] round = sorted(round(nats, store, fleet, version));
                    out.printf("round %d (hello %s, %s): %d nodes, publish -> running p50 %s, max %s%n", r, version,
                            r == 1 ? "first install" : "version bump", round.length,
                            Support.millis(Support.percentile(round, 50)), Support.millis(round[round.length - 1]));
                    if (r == 1) {
                        first = round;
                        long[] deploy = sorted(firstDeployments(fleet));
                        if (deploy.length > 0) {
                            out.printf("round 1: the first archive deployment in each fresh agent (the archive"
                                    + " watcher's previous_run_time): p50 %s, max %s%n",
                                    Support.millis(Support.percentile(deploy, 50)),
                                    Support.millis(deploy[deploy.length - 1]));
                        }
                    } else {
                        for (long ms : round) {
                            samples.add(ms);
                        }
                    }
                }
                table.add("first install p50", Support.millis(Support.percentile(first, 50)), "", "");
                table.add("first install max", Support.millis(first[first.length - 1]), "<= " + TARGET_MAX_MS
                        + " ms", first[first.length - 1] <= TARGET_MAX_MS ? "ok" : "MISSED");
                long[] all = samples.isEmpty() ? first
                        : sorted(samples.stream().mapToLong(Long::longValue).toArray());
                long[] rss = new long[fleet.size()];
                for (int i = 0; i < fleet.size(); i++) {
                    rss[i] = rssKib(fleet.get(i).process().pid());
                }
                long[] rssSorted = sorted(rss);
                long sum = Arrays.stream(rss).sum();
                long max = all[all.length - 1];
                table.add("version bump p50", Support.millis(Support.percentile(all, 50)), "", "");
                table.add("version bump max", Support.millis(max), "<= " + TARGET_MAX_MS + " ms",
                        max <= TARGET_MAX_MS ? "ok" : "MISSED");
                table.add("version bump samples", Integer.toString(samples.size()), "", "");
                table.add("RSS of the " + fleet.size() + " agents, sum", sum / 1024 + " MiB", "", "");
                table.add("RSS per agent, median", Support.percentile(rssSorted, 50) / 1024 + " MiB", "", "");
                table.add("RSS per agent, max", rssSorted[rssSorted.length - 1] / 1024 + " MiB", "", "");
                out.println("load average at the end: " + loadAverage());
            } finally {
                for (Agent a : fleet) {
                    a.process().destroy();
                }
                for (Agent a : fleet) {
                    if (!a.process().waitFor(30, TimeUnit.SECONDS)) {
                        a.process().destroyForcibly();
                    }
                }
            }
        }
        table.print(out);
    }

    private Agent start(NatsProcess nats, int i) throws IOException {
        String identity = String.format("node%02d", i);
        boolean matches = i % 4 != 3;
        Path home = Files.createDirectories(data.resolve("nodes/" + identity));
        Path machines = Files.createDirectories(home.resolve("machines"));
        Path facts = home.resolve("facts.yaml");
        Files.writeString(facts, "role: " + (matches ? "web" : "db") + "\n");
        Path log = home.resolve("agent.log");
        List<String> cmd = List.of(root.resolve("bin/tend").toString(), "agent", "--machines", machines.toString(),
                "--state", home.resolve("state").toString(), "--socket", home.resolve("agent.sock").toString(),
                "--identity", identity, "--facts", facts.toString(), "--store", nats.url(), "--manage-machines",
                "--machines-signing-key", data.resolve("keys/fleet.pub").toString(), "--machines-check-interval",
                checkInterval);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Agent(identity, p, log, machines, matches);
    }

    private static void awaitStarted(List<Agent> fleet) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        for (Agent a : fleet) {
            while (!read(a.log()).contains("agent started: ")) {
                if (!a.process().isAlive()) {
                    throw new IllegalStateException(a.identity() + " ended: " + read(a.log()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(a.identity() + " did not start");
                }
                Thread.sleep(50);
            }
        }
    }

    /** Publishes hello VERSION; the milliseconds from the specification's write to each matching node running it. */
    private long[] round(NatsProcess nats, KvStore store, List<Agent> fleet, String version) throws Exception {
        Path src = Files.createDirectories(data.resolve("src/hello"));
        Files.writeString(src.resolve("machine.yaml"), """
                name: hello
                version: %s
                initial_state: IDLE
                transitions:
                  - name: tick
                    from: [IDLE]
                    destination: IDLE
                watchers:
                  - name: ticker
                    type: timer
                    state_match: [IDLE]
                    fail_transition: tick
                    properties:
                      timer: 1h
                """.formatted(version));
        Path list = data.resolve("fleet.yaml");
        Files.writeString(list, """
                - name: hello
                  directory: src/hello
                  match: 'get_fact("role") == "web"'
                """);
        tend(nats, "fleet", "publish", list.toString(), "--signing-key", data.resolve("keys/fleet.seed").toString());
        Entry spec = store.bucket("CHORIA_PLUGINS").get("plugins").orElseThrow();
        Instant written = spec.created();
        String line = "machine hello " + version + " loaded from ";
        List<Agent> waiting = new ArrayList<>(fleet.stream().filter(Agent::matches).toList());
        long[] ms = new long[waiting.size()];
        int n = 0;
        long deadline = System.nanoTime() + ROUND_DEADLINE.toNanos();
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                Agent a = it.next();
                if (read(a.log()).contains(line)) {
                    ms[n++] = Duration.between(written, Instant.now()).toMillis();
                    it.remove();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("hello " + version + " did not run on "
                        + waiting.stream().map(Agent::identity).toList() + " within " + ROUND_DEADLINE);
            }
            Thread.sleep(10);
        }
        for (Agent a : fleet) {
            if (!a.matches() && Files.exists(a.machines().resolve("hello"))) {
                throw new IllegalStateException("hello installed on " + a.identity() + ", which does not match");
            }
        }
        return ms;
    }

    /** Runs bin/tend with these arguments against the server; fails on a non-zero exit. */
    private void tend(NatsProcess nats, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/tend").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(data.toFile()).redirectErrorStream(true);
        pb.environment().put("TEND_STORE", nats.url());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tend " + String.join(" ", args) + " failed: " + output);
        }
    }

    /**
     * For each matching agent, its first deployment of {@code hello} in milliseconds: the {@code previous_run_time}
     * (fetch, check, unpack and swap; the log shows it as a Go duration, {@code 1.2s}, older builds in nanoseconds) of
     * the first {@code downloaded} event its manager machine's archive watcher logged; agents whose log lacks one are
     * left out.
     */
    private static long[] firstDeployments(List<Agent> fleet) throws IOException {
        Pattern runTime = Pattern.compile("previous_outcome=downloaded, previous_run_time=([0-9][^,}\\s]*)");
        List<Long> ms = new ArrayList<>();
        for (Agent a : fleet) {
            if (!a.matches()) {
                continue;
            }
            for (String line : read(a.log()).split("\n")) {
                Matcher m = runTime.matcher(line);
                if (line.contains("mm_hello archive watcher download") && m.find()) {
                    String t = m.group(1).replace("\u00b5s", "us"); // Go writes microseconds as µs
                    try {
                        ms.add(t.chars().allMatch(Character::isDigit) ? Long.parseLong(t) / 1_000_000
                                : dev.tend.units.Durations.parse(t).toMillis());
                    } catch (RuntimeException e) {
                        System.err.printf("fleet rollout: %s: cannot read previous_run_time %s%n", a.log(), t);
                    }
                    break;
                }
            }
        }
        return ms.stream().mapToLong(Long::longValue).toArray();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static long[] sorted(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    private static long rssKib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
    }
}
