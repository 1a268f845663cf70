package dev.tend.bench;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.WatcherStatus;
import dev.tend.machine.agent.Agent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.watchers.exec.ExecWatcherFactory;
import dev.tend.watchers.kv.KvWatcherFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The kv watcher benchmark, run by {@code bench/watchers}. An agent in this JVM runs machines whose kv watcher fires a
 * transition when its key changes; another JVM writes the keys through the store, as {@code tend kv put} does, and
 * records when each write was acknowledged. A write's latency is from that acknowledgement to the machine's transition
 * event reaching a subscriber of the agent (both on the wall clock, which every process reads alike).
 *
 * <ul>
 *   <li>reaction: 20 machines, each watching its own key; the writer changes one key every 150 ms (each key every 3 s,
 *       so no poll interval merges two writes and loop protection never delays a machine); after 40 warm-up writes,
 *       p50/p99 per write.</li>
 *   <li>fan-out: 1,000 machines each watching its own key; the writer puts every key once with 8 threads; the time from
 *       the first acknowledgement until every machine transitioned.</li>
 * </ul>
 * Each scenario runs in {@code mode: watch} and in {@code mode: poll} with a 1 s interval, side by side. Target: watch
 * mode's reaction p99 at most 50 ms across processes.
 */
public final class WatcherBench {

    static final String USAGE = """
            usage: bench/watchers [--quick] [--samples N] [--machines N] [--dir DIR] [--keep]

              --quick       40 reaction samples and 200 machines: a smoke run, figures indicative only
              --samples N   reaction writes per mode (default 200)
              --machines N  machines of the fan-out scenario (default 1000)
              --dir DIR     make the data directory inside DIR (default: java.io.tmpdir)
              --keep        keep the data directory afterwards
            """;

    private static final long TARGET_WATCH_P99_US = 50_000;
    private static final int REACTION_MACHINES = 20;
    private static final long GAP_MS = 150;
    /** Two writes per key before the measured ones, so the JIT has compiled the path (not measured). */
    private static final int WARM_UP_WRITES = 2 * REACTION_MACHINES;
    private static final String POLL_INTERVAL = "1s";
    private static final String BUCKET = "BENCH";
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    private final PrintStream out = System.out;
    private final Path data;
    private final boolean quick;
    private final int samples;
    private final int fanOut;
    private final Map<String, String[]> rows = new HashMap<>();

    private WatcherBench(Path data, boolean quick, int samples, int fanOut) {
        this.data = data;
        this.quick = quick;
        this.samples = samples;
        this.fanOut = fanOut;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean keep = false;
        int samples = 0;
        int machines = 0;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--keep" -> keep = true;
                    case "--dir" -> dir = Path.of(Support.optionValue(args, ++i));
                    case "--samples" -> samples = Support.positive(Support.optionValue(args, ++i));
                    case "--machines" -> machines = Support.positive(Support.optionValue(args, ++i));
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option \"" + args[i] + "\"");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench/watchers: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        samples = samples > 0 ? samples : quick ? 40 : 200;
        machines = machines > 0 ? machines : quick ? 200 : 1_000;
        Files.createDirectories(dir);
        Path data = Files.createTempDirectory(dir.toAbsolutePath(), "tend-bench-watchers-");
        int status;
        try {
            status = new WatcherBench(data, quick, samples, machines).run();
        } finally {
            if (!keep) {
                Support.deleteTree(data);
            }
        }
        System.exit(status);
    }

    private int run() {
        out.println("Tend kv watcher benchmark — " + (quick ? "QUICK smoke run (figures indicative only)" : "full run"));
        out.println("date:    " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + "; java " + System.getProperty("java.runtime.version"));
        out.println("data:    " + data);
        out.println("writer:  a second JVM on the same store; latency = its put acknowledged -> transition event");
        int status = 0;
        for (String mode : List.of("watch", "poll")) {
            status |= scenario("reaction", mode, () -> reaction(mode));
            status |= scenario("fan-out", mode, () -> fanOut(mode));
        }
        out.println();
        FigureTable table = new FigureTable("SCENARIO", "WATCH", "POLL (interval " + POLL_INTERVAL + ")", "TARGET", "VERDICT");
        String[] reaction = rows.getOrDefault("reaction", new String[2]);
        String[] fan = rows.getOrDefault("fan-out", new String[2]);
        String[] started = rows.getOrDefault("exec", new String[2]);
        table.add("put in another process -> transition, " + samples + " writes", cell(reaction[0]), cell(reaction[1]),
                "-", "-");
        table.add("put in another process -> exec command started", cell(started[0]), cell(started[1]),
                "watch p99 <= 50 ms", verdictOf(started[0]));
        table.add(Support.count(fanOut) + " machines: put every key -> all transitioned", cell(fan[0]), cell(fan[1]),
                "-", "-");
        table.print(out);
        out.flush();
        return status;
    }

    private interface Scenario {
        String run() throws Exception;
    }

    /** Runs one scenario and files its figure under its row and mode's column. */
    private int scenario(String row, String mode, Scenario scenario) {
        out.println();
        out.println("== " + row + ", mode: " + mode);
        int column = mode.equals("watch") ? 0 : 1;
        String figure;
        int status = 0;
        try {
            figure = scenario.run();
        } catch (Exception e) {
            figure = "ERROR: " + Support.oneLine(e);
            out.println("   " + figure);
            status = 1;
        }
        rows.computeIfAbsent(row, r -> new String[2])[column] = figure;
        return status;
    }

    private String reaction(String mode) throws Exception {
        try (Rig rig = new Rig(data.resolve("reaction-" + mode), mode, REACTION_MACHINES, true)) {
            List<String> commits = rig.write(List.of("paced", String.valueOf(REACTION_MACHINES),
                    String.valueOf(samples), String.valueOf(GAP_MS), String.valueOf(WARM_UP_WRITES)));
            Latency l = Latency.of(rig.latencies(commits));
            out.println("   -> transition:      " + l.detail());
            Latency started = Latency.of(rig.execLatencies(commits));
            out.println("   -> command started: " + started.detail());
            rows.computeIfAbsent("exec", r -> new String[2])[mode.equals("watch") ? 0 : 1] = started.summary();
            return l.summary();
        }
    }

    private String fanOut(String mode) throws Exception {
        try (Rig rig = new Rig(data.resolve("fanout-" + mode), mode, fanOut, false)) {
            List<String> commits = rig.write(List.of("burst", String.valueOf(fanOut), "8"));
            long[] micros = rig.latencies(commits);
            long first = commits.stream().mapToLong(WatcherBench::commitMicros).min().orElseThrow();
            long lastCommit = commits.stream().mapToLong(WatcherBench::commitMicros).max().orElseThrow();
            long lastTransition = rig.lastTransitionMicros();
            out.println("   writer: " + Support.count(fanOut) + " puts acknowledged in "
                    + Support.micros(lastCommit - first) + "; per key: " + Latency.of(micros).detail());
            String figure = "all in " + Support.micros(lastTransition - first) + " (puts took "
                    + Support.micros(lastCommit - first) + ")";
            out.println("   first put acknowledged -> last machine transitioned: " + figure);
            return figure;
        }
    }

    private static long commitMicros(String line) {
        return Long.parseLong(line.split(" ")[1]);
    }

    private static boolean isWarmUp(String line) {
        return line.endsWith(" warm");
    }

    private static String cell(String figure) {
        return figure == null ? "not run" : figure;
    }

    private static String verdictOf(String watchFigure) {
        if (watchFigure == null || watchFigure.startsWith("ERROR")) {
            return "ERROR";
        }
        String p99 = watchFigure.replaceAll(".*p99 ([0-9.]+) ms.*", "$1");
        return Double.parseDouble(p99) * 1000 <= TARGET_WATCH_P99_US ? "PASS" : "FAIL";
    }

    /**
     * One agent with {@code count} machines ({@code w_<i>} watching key {@code k<i>}) on a fresh store, the transition
     * events it publishes (wall clock at arrival), and the writer JVM. With {@code exec}, each machine also has an exec
     * watcher that runs on every transition a script writing the wall clock (µs) when it starts to {@code started.txt}
     * in its directory: the put's commit to the command starting, across processes, as an operator's machine sees it.
     */
    private final class Rig implements AutoCloseable {
        private final Path dir;
        private final KvStore store;
        private final WatcherRegistry registry = WatcherRegistry.of(List.of(new KvWatcherFactory(),
                new ExecWatcherFactory()));
        private final Path machinesDir;
        private final Agent agent;
        private final AutoCloseable subscription;
        private final Map<String, List<Long>> transitions = new ConcurrentHashMap<>();

        Rig(Path dir, String mode, int count, boolean exec) throws Exception {
            this.dir = dir;
            Path machines = Files.createDirectories(dir.resolve("machines"));
            this.machinesDir = machines;
            for (int i = 0; i < count; i++) {
                Path m = Files.createDirectories(machines.resolve("w_" + i));
                Files.writeString(m.resolve("machine.yaml"), machine(i, mode, exec));
                if (exec) {
                    Path script = m.resolve("started.sh");
                    Files.writeString(script, "#!/bin/sh\ndate +%s%6N >> started.txt\n");
                    script.toFile().setExecutable(true);
                }
            }
            store = KvStore.builder().directory(dir.resolve("kv")).build();
            store.create(BucketConfig.builder(BUCKET).build());
            agent = Agent.builder(MachineSettings.builder().stateDirectory(dir.resolve("state")).identity("bench")
                    .watchers(registry).store(() -> store).build()).machines(machines).strictPermissions(false).build();
            subscription = agent.subscribe(e -> {
                if (e instanceof TransitionEvent t && t.transition().equals("changed")) {
                    long now = Support.wallMicros();
                    String key = "k" + t.machine().substring(2);
                    transitions.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(now);
                }
            });
            long t0 = System.nanoTime();
            agent.start();
            awaitReady(count);
            out.println("   " + Support.count(count) + " machines started and read their keys in "
                    + Support.millis((System.nanoTime() - t0) / 1e6));
        }

        private String machine(int i, String mode, boolean exec) {
            String interval = mode.equals("poll") ? "    interval: " + POLL_INTERVAL + "\n" : "";
            String run = exec ? "  - {name: run, type: exec, properties: {command: ./started.sh}}\n" : "";
            return """
                    name: w_%d
                    version: "1.0.0"
                    initial_state: a
                    transitions:
                      - {name: changed, from: [a], destination: b}
                      - {name: changed, from: [b], destination: a}
                    watchers:
                      - name: key
                        type: kv
                        state_match: [a, b]
                        success_transition: changed
                    %s    properties: {bucket: %s, key: k%d, mode: %s}
                    %s""".formatted(i, interval, BUCKET, i, mode, run);
        }

        /** Every machine loaded, its watcher started and past its first read. */
        private void awaitReady(int count) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                List<Machine> machines = agent.machines();
                long ready = machines.stream().filter(m -> m.status().startTime() != null)
                        .filter(m -> m.status().watchers().stream().anyMatch(w -> w.name().equals("key") && isRead(w)))
                        .count();
                if (ready == count) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + ready + " of " + count + " machines ready");
                }
                Thread.sleep(20);
            }
        }

        private boolean isRead(WatcherStatus w) {
            Object state = w.state().get("state");
            return state != null && !"unknown".equals(state);
        }

        /** Runs the writer JVM with these arguments; returns its {@code key commit-micros} lines. */
        List<String> write(List<String> args) throws IOException, InterruptedException {
            Path result = dir.resolve("writes.txt");
            Path log = dir.resolve("writer.log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    KvWriterChild.class.getName(), args.get(0), dir.resolve("kv").toString(), BUCKET));
            cmd.addAll(args.subList(1, args.size()));
            cmd.add(result.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the writer did not finish within " + DEADLINE);
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("the writer failed: " + Files.readString(log).strip());
                }
            } finally {
                p.destroyForcibly();
            }
            return Files.readAllLines(result);
        }

        /**
         * Pairs each key's writes with its machine's transitions, in order, once all arrived; the latencies of the
         * measured writes, in microseconds.
         */
        long[] latencies(List<String> commits) throws InterruptedException {
            Map<String, List<String>> byKey = new HashMap<>();
            for (String line : commits) {
                byKey.computeIfAbsent(line.substring(0, line.indexOf(' ')), k -> new ArrayList<>()).add(line);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (arrived(byKey.keySet()) < commits.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + arrived(byKey.keySet()) + " of " + commits.size()
                            + " transitions arrived within 60 s of the last write");
                }
                Thread.sleep(5);
            }
            long[] micros = new long[(int) commits.stream().filter(l -> !isWarmUp(l)).count()];
            int n = 0;
            for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
                List<Long> seen = transitions.get(e.getKey());
                synchronized (seen) {
                    if (seen.size() != e.getValue().size()) {
                        throw new IllegalStateException(e.getKey() + ": " + e.getValue().size() + " writes but "
                                + seen.size() + " transitions");
                    }
                    for (int i = 0; i < seen.size(); i++) {
                        String write = e.getValue().get(i);
                        if (!isWarmUp(write)) {
                            micros[n++] = seen.get(i) - commitMicros(write);
                        }
                    }
                }
            }
            return micros;
        }

        /**
         * Pairs each key's writes with the start times its machine's script wrote, in order, once all are there; the
         * latencies of the measured writes, in microseconds.
         */
        long[] execLatencies(List<String> commits) throws IOException, InterruptedException {
            Map<String, List<String>> byKey = new HashMap<>();
            for (String line : commits) {
                byKey.computeIfAbsent(line.substring(0, line.indexOf(' ')), k -> new ArrayList<>()).add(line);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<Long> micros = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
                Path started = machinesDir.resolve("w_" + e.getKey().substring(1)).resolve("started.txt");
                List<String> lines = List.of();
                while (lines.size() < e.getValue().size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(e.getKey() + ": " + e.getValue().size() + " writes but "
                                + lines.size() + " command starts within 60 s");
                    }
                    Thread.sleep(5);
                    lines = Files.exists(started) ? Files.readAllLines(started) : List.of();
                }
                for (int i = 0; i < e.getValue().size(); i++) {
                    String write = e.getValue().get(i);
                    if (!isWarmUp(write)) {
                        micros.add(Long.parseLong(lines.get(i).strip()) - commitMicros(write));
                    }
                }
            }
            return micros.stream().mapToLong(Long::longValue).toArray();
        }

        private int arrived(java.util.Set<String> keys) {
            int total = 0;
            for (String k : keys) {
                List<Long> seen = transitions.get(k);
                total += seen == null ? 0 : seen.size();
            }
            return total;
        }

        long lastTransitionMicros() {
            return transitions.values().stream().flatMap(l -> {
                synchronized (l) {
                    return new ArrayList<>(l).stream();
                }
            }).mapToLong(Long::longValue).max().orElseThrow();
        }

        @Override
        public void close() throws Exception {
            subscription.close();
            agent.close();
            registry.close();
            store.close();
        }
    }
}
