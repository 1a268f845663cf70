package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.machine.control.ControlClient;
import dev.tend.machine.control.ControlException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet watch benchmark, run by {@code bench/fleet-watch}: a real agent ({@code bin/tend agent} in a process of
 * its own, with its own state directory and socket) runs N machines, each with one kv watcher in watch mode over ten
 * buckets: two machines in three watch a key of their own, the others a filter shared by a group ({@code g<n>.*}).
 * This process is the writer: it puts a machine's own key and takes the time until the agent's event stream (its
 * control socket) reports that machine's transition. Reported: the agent's threads and RSS (from /proc), its heap
 * after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), and put-to-transition p50/p99, with the embedded
 * store and with NATS (a nats-server started here).
 */
public final class FleetWatchBench {
    static final String USAGE = """
            usage: bench/fleet-watch [--machines N] [--samples N] [--backends embedded,nats] [--dir DIR] [--keep]

              --machines N   machines, each with a kv watcher (default 10000)
              --samples N    put -> transition samples, one put at a time (default 300)
              --backends L   embedded, nats or both (default embedded,nats)
              --dir DIR      make the data directory inside DIR (default: java.io.tmpdir)
              --keep         keep the data directory afterwards
            """;
    private static final int BUCKETS = 10;
    private static final int GROUPS = 100;
    private static final long TARGET_THREADS = 64;
    private static final long TARGET_HEAP_MIB = 256;
    private static final long TARGET_P99_MS = 100;
    private static final Duration READY_DEADLINE = Duration.ofMinutes(10);
    private static final Pattern TRANSITION = Pattern.compile(
            "\"type\":\"dev\\.tend\\.machine\\.v1\\.transition\".*\"machine\":\"(m\\d+)\"");

    private final PrintStream out = System.out;
    private final Path root;
    private final Path data;
    private final int machines;
    private final int samples;
    private final List<String> backends;
    private final boolean keep;
    private final FigureTable table = new FigureTable("BACKEND", "FIGURE", "VALUE", "TARGET", "VERDICT");

    private FleetWatchBench(Path root, Path data, int machines, int samples, List<String> backends, boolean keep) {
        this.root = root;
        this.data = data;
        this.machines = machines;
        this.samples = samples;
        this.backends = backends;
        this.keep = keep;
    }

    public static void main(String[] args) throws Exception {
        int machines = 10_000;
        int samples = 300;
        List<String> backends = List.of("embedded", "nats");
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        boolean keep = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--machines" -> machines = Support.positiveOption(args, ++i);
                    case "--samples" -> samples = Support.positiveOption(args, ++i);
                    case "--backends" -> backends = List.of(Support.optionValue(args, ++i).split(","));
                    case "--dir" -> dir = Path.of(Support.optionValue(args, ++i));
                    case "--keep" -> keep = true;
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> {
                        System.err.println("bench/fleet-watch: unknown argument " + args[i]);
                        System.err.print(USAGE);
                        System.exit(2);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            Support.badOption("bench/fleet-watch", e.getMessage());
        }
        for (String backend : backends) {
            if (!backend.equals("embedded") && !backend.equals("nats")) {
                Support.badOption("bench/fleet-watch", "--backends takes embedded and nats, not \"" + backend + "\"");
            }
        }
        Support.requireDirectory("bench/fleet-watch", dir);
        Path root = Path.of(System.getProperty("tend.root", ".")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory(dir, "tend-fleet-watch-");
        new FleetWatchBench(root, data, machines, samples, backends, keep).run();
    }

    private void run() throws Exception {
        out.printf("fleet watch: %,d machines with a kv watcher each over %d buckets, %d samples; data in %s%n",
                machines, BUCKETS, samples, data);
        Path machinesDir = data.resolve("machines");
        writeMachines(machinesDir);
        try {
            for (String backend : backends) {
                switch (backend) {
                    case "embedded" -> scenario("embedded", "file://" + data.resolve("kv"), machinesDir);
                    case "nats" -> {
                        try (NatsProcess nats = NatsProcess.start(data.resolve("nats"))) {
                            scenario("nats", nats.url(), machinesDir);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown backend " + backend);
                }
            }
        } finally {
            table.print(out);
            if (!keep) {
                deleteTree(data);
            }
        }
    }

    /** Machine {@code i}: its bucket, and the key it watches or, for a group member, the key put to reach it. */
    private static String bucketOf(int i) {
        return "FLEET" + (i % BUCKETS);
    }

    private static boolean ownsKey(int i) {
        return i % 3 != 2;
    }

    private static String keyOf(int i) {
        return ownsKey(i) ? "m" + i + ".cfg" : "g" + (i % GROUPS) + ".x";
    }

    private void writeMachines(Path dir) throws IOException {
        for (int i = 0; i < machines; i++) {
            String name = String.format("m%05d", i);
            Path m = dir.resolve(name);
            Files.createDirectories(m);
            String key = ownsKey(i) ? keyOf(i) : "g" + (i % GROUPS) + ".*";
            Files.writeString(m.resolve("machine.yaml"), """
                    name: %s
                    version: "1.0.0"
                    initial_state: idle
                    transitions:
                      - name: changed
                        from: [idle, seen]
                        destination: seen
                    watchers:
                      - name: cfg
                        type: kv
                        success_transition: changed
                        properties:
                          bucket: %s
                          key: "%s"
                          mode: watch
                    """.formatted(name, bucketOf(i), key), StandardCharsets.UTF_8);
        }
    }

    private void scenario(String backend, String storeUrl, Path machinesDir) throws Exception {
        out.printf("%n== %s (%s)%n", backend, storeUrl);
        try (KvStore store = KvStore.open(storeUrl)) {
            for (int b = 0; b < BUCKETS; b++) {
                if (!store.exists("FLEET" + b)) {
                    store.create(BucketConfig.builder("FLEET" + b).history(1).build());
                }
            }
            Path state = data.resolve("state-" + backend);
            Path socket = data.resolve("agent-" + backend + ".sock");
            Path log = data.resolve("agent-" + backend + ".log");
            List<String> cmd = List.of(root.resolve("bin/tend").toString(), "agent", "--machines",
                    machinesDir.toString(), "--store", storeUrl, "--state", state.toString(), "--socket",
                    socket.toString(), "--insecure-permissions");
            long startNanos = System.nanoTime();
            Process agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                ControlClient control = new ControlClient(socket, Duration.ofSeconds(60));
                awaitSocket(socket, agent);
                Events events = new Events(control);
                try {
                    awaitReady(store, events);
                    double readySeconds = (System.nanoTime() - startNanos) / 1e9;
                    out.printf("all %,d machines running and watching after %.1f s%n", machines, readySeconds);
                    long[] latency = measure(store, events);
                    long threads = procField(agent.pid(), "Threads:");
                    long rssKib = procField(agent.pid(), "VmRSS:");
                    long heapKib = heapAfterGc(agent.pid());
                    Latency l = Latency.of(latency);
                    String p50 = Support.micros(l.p(50));
                    String p99 = Support.micros(l.p(99));
                    table.add(backend, "agent threads", Long.toString(threads), "<= " + TARGET_THREADS,
                            threads <= TARGET_THREADS ? "ok" : "MISSED");
                    table.add(backend, "heap after GC", heapKib / 1024 + " MiB", "<= " + TARGET_HEAP_MIB + " MiB",
                            heapKib / 1024 <= TARGET_HEAP_MIB ? "ok" : "MISSED");
                    table.add(backend, "RSS", rssKib / 1024 + " MiB", "", "");
                    table.add(backend, "start to all watching", String.format("%.1f s", readySeconds), "", "");
                    table.add(backend, "put -> transition p50", p50, "", "");
                    table.add(backend, "put -> transition p99", p99, "<= " + TARGET_P99_MS + " ms",
                            l.p(99) <= TARGET_P99_MS * 1000 ? "ok" : "MISSED");
                    out.printf("threads %d, heap after GC %d MiB, RSS %d MiB; put -> transition %s%n", threads,
                            heapKib / 1024, rssKib / 1024, l.detail());
                    out.println("agent threads by name: " + threadNames(agent.pid()));
                } finally {
                    events.close();
                }
            } finally {
                agent.destroy();
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
        }
    }

    private static void awaitSocket(Path socket, Process agent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!Files.exists(socket)) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("the agent exited with " + agent.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no control socket at " + socket);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until every machine is loaded, then until every bucket's watchers answer: a put to the key of one
     * machine of each bucket, whose transition must come, repeated until all answer at once.
     */
    private void awaitReady(KvStore store, Events events) throws Exception {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        ControlClient control = events.control;
        while (control.list().size() < machines) {
            check(deadline, "the machines to load");
            Thread.sleep(500);
        }
        // The last machines of each bucket start last: wait for them.
        for (int b = 0; b < BUCKETS; b++) {
            int i = lastOwner(b);
            while (true) {
                check(deadline, "machine " + i + " to watch");
                events.clear();
                store.bucket(bucketOf(i)).put(keyOf(i), "ready-" + System.nanoTime());
                if (events.await(name(i), Duration.ofSeconds(5))) {
                    break;
                }
            }
        }
        Thread.sleep(2000); // let start-up's work settle before measuring
    }

    private int lastOwner(int bucket) {
        for (int i = machines - 1; i >= 0; i--) {
            if (i % BUCKETS == bucket && ownsKey(i)) {
                return i;
            }
        }
        throw new IllegalStateException("no machine owns a key in bucket " + bucket);
    }

    private long[] measure(KvStore store, Events events) throws Exception {
        // Each sample on a machine of its own, still in its initial state: a transition to the state a machine is
        // already in is not one.
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < machines; i++) {
            if (ownsKey(i) && i != lastOwner(i % BUCKETS)) {
                owners.add(i);
            }
        }
        java.util.Collections.shuffle(owners, new Random(42));
        if (owners.size() < samples) {
            throw new IllegalArgumentException("--samples is at most " + owners.size() + " for this many machines");
        }
        Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        long[] micros = new long[samples];
        for (int s = 0; s < samples; s++) {
            int i = owners.get(s);
            Bucket b = buckets.computeIfAbsent(bucketOf(i), store::bucket);
            events.clear();
            long t0 = System.nanoTime();
            b.put(keyOf(i), "v" + s);
            if (!events.await(name(i), Duration.ofSeconds(30))) {
                throw new IllegalStateException("no transition of " + name(i) + " within 30 s");
            }
            micros[s] = (events.lastArrival - t0) / 1000;
        }
        return micros;
    }

    private static String name(int i) {
        return String.format("m%05d", i);
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    /** A field of /proc/PID/status, as a number (kB for sizes). */
    private static long procField(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }

    /** The agent's threads, counted by name with the digits taken out. */
    private static Map<String, Integer> threadNames(long pid) throws IOException {
        Map<String, Integer> names = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String n = Files.readString(t.resolve("comm")).trim().replaceAll("\\d+", "N");
                    names.merge(n, 1, Integer::sum);
                } catch (IOException e) {
                    // The thread ended meanwhile.
                }
            }
        }
        return names;
    }

    /** Heap used after a full GC, in KiB: {@code jcmd PID GC.run}, then the used sizes of {@code GC.heap_info}. */
    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long used = 0;
        Pattern p = Pattern.compile("used (\\d+)K");
        for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space") || !line.contains("total")) {
                continue;
            }
            Matcher m = p.matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(1));
            }
        }
        return used;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + text);
        }
        return text;
    }

    /** The agent's transition events, read from its control socket by a thread of this process. */
    private static final class Events implements AutoCloseable {
        private final ControlClient control;
        private final ControlClient.EventStream stream;
        private final BlockingQueue<Object[]> seen = new LinkedBlockingQueue<>();
        private final Thread reader;
        private volatile long lastArrival;

        Events(ControlClient control) throws ControlException {
            this.control = control;
            this.stream = control.events(null);
            this.reader = new Thread(this::read, "fleet-watch-events");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                String line;
                while ((line = stream.next()) != null) {
                    long now = System.nanoTime();
                    Matcher m = TRANSITION.matcher(line);
                    if (m.find()) {
                        seen.add(new Object[] {m.group(1), now});
                    }
                }
            } catch (ControlException e) {
                System.err.println("fleet-watch: the event stream ended: " + e.getMessage());
            }
        }

        void clear() {
            seen.clear();
        }

        /** Waits for a transition of {@code machine}; its arrival time goes to {@link #lastArrival}. */
        boolean await(String machine, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                Object[] e = left <= 0 ? null : seen.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    return false;
                }
                if (machine.equals(e[0])) {
                    lastArrival = (Long) e[1];
                    return true;
                }
            }
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
