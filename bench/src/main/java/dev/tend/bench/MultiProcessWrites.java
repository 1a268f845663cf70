package dev.tend.bench;

import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;
import dev.tend.kv.nats.NatsServer;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static dev.tend.bench.KvScenarioContext.INFO;

/**
 * Scenario 11: {@value #WRITERS} writer processes putting into one embedded bucket (each a child JVM, durable, its
 * own slice of the 1,000 keys, 128-byte values), beside {@value #WRITERS} NATS connections putting into one NATS KV
 * bucket of the same config (raw jnats, one thread per connection, in this JVM), in interleaved rounds: each round
 * runs one window of each, the order alternating. The writer processes are long-lived ({@link WriterFleet}): started
 * once, measured once as fresh processes (after {@link #warmTogetherMillis()} of writing together), then warmed up
 * until their JIT compilers settle (as in processes that write for hours; NATS's clients run in this JVM, warm from
 * the first round, and its server is compiled ahead of time), then idle between their windows; each window says how
 * their CPU per put splits between the writer thread, the JIT, the collector and the rest, and each NATS window how
 * much CPU the idle writers used meanwhile. Each figure is the total puts per second of a window and the
 * p99 of every put's latency pooled over the measured windows. The verdict: the embedded rate at least twice NATS's
 * (median of the rounds' ratios) with an embedded p99 of at most 10 ms.
 *
 * <p>First it measures what one write costs with the files alone ({@link WriterProcess#probe}): the wait for the
 * file lock, the append, the force, the notify write and the release, in one process and in {@value #WRITERS};
 * then the engine's puts in one writer process alone. Each round also runs three windows of {@value #WRITERS} child JVMs writing with raw file calls, no engine: that
 * probe again, and the hand-off pattern ({@link HandoffProbe}) with one round per hold and with up to
 * {@value #STAY_ROUNDS}. Every child window reports the children's CPU time per write (all their threads), user and
 * system, and the writer threads' context switches.
 */
final class MultiProcessWrites {
    static final int WRITERS = 8;
    private static final double TARGET_RATIO = 2.0;
    private static final long TARGET_P99_MICROS = 10_000;
    /** How many rounds a holder of the second hand-off probe serves at most while writes are posted. */
    private static final int STAY_ROUNDS = 8;
    private static final String[] PROBE_STEPS = {"wait for lock", "append", "force", "notify", "release"};

    private final KvScenarioContext context;
    private final BenchOptions options;
    private final Path dir;
    private final String[] keys = Support.keys(Support.KEYS);
    private final Logger jnatsLog = Logger.getLogger("io.nats.client");
    private int windowCount;

    MultiProcessWrites(KvScenarioContext context, Path dir) {
        this.context = context;
        this.options = context.options();
        this.dir = dir;
    }

    private long windowMillis() {
        return Math.max(options.quick() ? 1_000 : 2_000, options.blockMillis() * 2);
    }

    void run() throws Exception {
        jnatsLog.setLevel(Level.WARNING);
        probe(1);
        probe(WRITERS);
        Path storeDir = Files.createDirectories(dir.resolve("embedded"));
        try (KvStore store = Support.openStore(storeDir, Durability.DURABLE)) {
            store.create(KvScenarioContext.config("mp", 5));
        }
        embeddedAlone(storeDir);
        NatsServer server = null;
        String url = options.natsUrl();
        List<Connection> connections = new ArrayList<>();
        KeyValueManagement kvm = null;
        String natsBucket = "tb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff))
                + "-mp";
        try {
            if (options.nats()) {
                if (url == null) {
                    server = NatsServer.start();
                    url = server.url();
                }
                for (int i = 0; i < WRITERS; i++) {
                    connections.add(Nats.connect(Options.builder().server(url).connectionName("tend-bench-mp-" + i)
                            .build()));
                }
                kvm = connections.get(0).keyValueManagement();
                kvm.create(KeyValueConfiguration.builder().name(natsBucket).maxHistoryPerKey(5)
                        .storageType(StorageType.File).replicas(1).build());
            } else {
                context.detail("NATS column SKIPPED: --no-nats");
            }
            List<KeyValue> kvs = new ArrayList<>();
            for (Connection c : connections) {
                kvs.add(c.keyValue(natsBucket));
            }
            int rounds = options.rounds();
            context.detail(WRITERS + " long-lived child JVMs putting (DURABLE) into one embedded bucket vs " + WRITERS
                    + " NATS connections (raw jnats, a thread each) into one NATS bucket (history 5, file storage);"
                    + " each writer on its own " + keys.length / WRITERS + " keys, values " + Support.VALUE_SIZE
                    + " bytes; " + rounds + " measured rounds after a warm-up round, windows of " + windowMillis()
                    + " ms, order alternating");
            WriterFleet fleet = WriterFleet.start(storeDir, "mp", dir.resolve("writers"), WRITERS, windowMillis(),
                    childOptions());
            try {
                measure(fleet, kvs);
            } finally {
                fleet.close();
            }
        } finally {
            if (kvm != null) {
                try {
                    kvm.delete(natsBucket);
                } catch (Exception e) {
                    context.detail("could not delete NATS bucket " + natsBucket + ": " + Support.oneLine(e));
                }
            }
            for (Connection c : connections) {
                c.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * The rounds, with the long-lived writers: one window of them after {@link #warmTogetherMillis()} of writing
     * together (fresh processes, their JIT still compiling), then warm-up until their JIT settles, then the rounds.
     */
    private void measure(WriterFleet fleet, List<KeyValue> kvs) throws Exception {
        Thread.sleep(warmTogetherMillis());
        fleet.warm(false);
        Window fresh = embeddedWindow(fleet);
        context.detail(Support.fixed("  fresh writer processes (%.0f s of writing together, then a window): %s"
                + " writes/s, %s%s", warmTogetherMillis() / 1e3, Support.count(fresh.rate()),
                Latency.of(fresh.latencies()).summary(), fresh.extra()));
        context.detail("  " + fleet.warmUntilSettled(Duration.ofSeconds(10), SETTLED_JIT_SHARE, settleMax()));
        fleet.warm(false);
        int rounds = options.rounds();
        Kind[] kinds = Kind.values();
        double[][] rates = new double[kinds.length][rounds];
        List<List<Window>> windows = new ArrayList<>();
        for (Kind k : kinds) {
            windows.add(new ArrayList<>());
        }
        for (int r = -1; r < rounds; r++) {
            for (int j = 0; j < kinds.length; j++) {
                Kind kind = kinds[Math.floorMod(j + r, kinds.length)];
                if (kind == Kind.NATS && kvs.isEmpty()) {
                    continue;
                }
                Window w = switch (kind) {
                    case EMBEDDED -> embeddedWindow(fleet);
                    case NATS -> natsWindow(kvs, fleet);
                    case RAW_PROBE -> rawProbeWindow();
                    case HANDOFF_PROBE -> handoffWindow(1);
                    case HANDOFF_PROBE_STAY -> handoffWindow(STAY_ROUNDS);
                };
                if (r >= 0) {
                    rates[kind.ordinal()][r] = w.rate();
                    windows.get(kind.ordinal()).add(w);
                }
                context.detail(Support.fixed("  round %s, %s: %s writes/s, %s%s", r < 0 ? "warm-up" : r + 1,
                        kind.label, Support.count(w.rate()), Latency.of(w.latencies()).summary(), w.extra()));
            }
        }
        for (Kind kind : List.of(Kind.RAW_PROBE, Kind.HANDOFF_PROBE, Kind.HANDOFF_PROBE_STAY)) {
            List<Window> ws = windows.get(kind.ordinal());
            context.detail(kind.label + ": " + new Runs(rates[kind.ordinal()]).detail() + "; latency "
                    + Latency.of(pooled(ws.stream().map(Window::latencies).toList())).detail()
                    + Support.fixed("; CPU per write (8 processes, all threads) median %.0f us",
                    Support.median(ws.stream().mapToDouble(Window::cpuMicrosPerOp).toArray())));
            if (!kvs.isEmpty()) {
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratios[r] = rates[kind.ordinal()][r] / rates[Kind.NATS.ordinal()][r];
                }
                context.detail(Support.fixed("%s / NATS per round: %s; median %.2fx", kind.label,
                        Arrays.stream(ratios).mapToObj(x -> Support.fixed("%.2fx", x))
                                .collect(Collectors.joining(" / ")), Support.median(ratios)));
            }
        }
        List<Window> embeddedWindows = windows.get(Kind.EMBEDDED.ordinal());
        context.detail(Support.fixed("embedded: CPU per put (8 processes, all threads) median %.0f us",
                Support.median(embeddedWindows.stream().mapToDouble(Window::cpuMicrosPerOp).toArray())));
        double[] embeddedRates = rates[Kind.EMBEDDED.ordinal()];
        double[] natsRates = rates[Kind.NATS.ordinal()];
        List<long[]> embeddedLatencies = embeddedWindows.stream().map(Window::latencies).toList();
        List<long[]> natsLatencies = windows.get(Kind.NATS.ordinal()).stream().map(Window::latencies).toList();
        report(embeddedRates, natsRates, pooled(embeddedLatencies), kvs.isEmpty() ? null : pooled(natsLatencies));
    }

    private void report(double[] embedded, double[] nats, long[] embeddedLat, long[] natsLat) {
        Runs e = new Runs(embedded);
        Latency el = Latency.of(embeddedLat);
        context.detail("embedded, " + WRITERS + " processes: " + e.detail() + "; latency " + el.detail());
        String figure = Support.count(e.median()) + " puts/s, p99 " + Support.micros(el.p(99));
        if (natsLat == null) {
            context.row("11. put, " + WRITERS + " processes", figure, "(NATS skipped)", INFO);
            return;
        }
        Runs n = new Runs(nats);
        Latency nl = Latency.of(natsLat);
        double[] ratios = new double[embedded.length];
        for (int r = 0; r < ratios.length; r++) {
            ratios[r] = embedded[r] / nats[r];
        }
        double ratio = Support.median(ratios);
        context.detail("NATS, " + WRITERS + " connections: " + n.detail() + "; latency " + nl.detail());
        context.detail("embedded / NATS per round: " + Arrays.stream(ratios)
                .mapToObj(x -> Support.fixed("%.2fx", x)).collect(Collectors.joining(" / "))
                + Support.fixed("; median %.2fx", ratio));
        boolean pass = ratio >= TARGET_RATIO && el.p(99) <= TARGET_P99_MICROS;
        context.row("11. put, " + WRITERS + " processes vs NATS " + WRITERS + " conns",
                figure + Support.fixed(" = %.2fx NATS (%s puts/s, p99 %s)", ratio, Support.count(n.median()),
                        Support.micros(nl.p(99))),
                Support.fixed(">= %.0fx NATS, p99 <= %d ms", TARGET_RATIO, TARGET_P99_MICROS / 1000),
                options.quick() ? "n/a (quick)" : KvScenarioContext.verdict(pass));
    }

    private static long[] pooled(List<long[]> parts) {
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    /** What a round measures, one window each. */
    private enum Kind {
        EMBEDDED("embedded, " + WRITERS + " processes"),
        NATS("NATS, " + WRITERS + " connections"),
        RAW_PROBE("raw probe, " + WRITERS + " processes"),
        HANDOFF_PROBE("hand-off probe, " + WRITERS + " processes, 1 round per hold"),
        HANDOFF_PROBE_STAY("hand-off probe, " + WRITERS + " processes, up to " + STAY_ROUNDS + " rounds per hold");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * One window: its total rate, every write's latency in microseconds, the CPU time of the writer processes per
     * write (-1 when they run in this JVM) and a note.
     */
    private record Window(double rate, long[] latencies, double cpuMicrosPerOp, String note) {
        Window(double rate, long[] latencies) {
            this(rate, latencies, -1, "");
        }

        String extra() {
            return (cpuMicrosPerOp < 0 ? "" : Support.fixed("; CPU %.0f us per write", cpuMicrosPerOp))
                    + (note.isEmpty() ? "" : "; " + note);
        }
    }

    /** The children's results and their CPU time in the window, summed. */
    private record Results(List<long[][]> series, ProcessCpu cpu) {
        long ops() {
            return series.stream().mapToLong(r -> r[0].length).sum();
        }

        double cpuMicrosPerOp() {
            return ops() == 0 ? -1 : cpu.cpuNanos() / 1e3 / ops();
        }

        /**
         * User and system CPU (10 ms ticks), its split by thread group, and the writer threads' context switches, per
         * write.
         */
        String perOp() {
            double n = Math.max(1, ops());
            return Support.fixed("user %.0f us + system %.0f us (writer thread %.0f, JIT %.0f, GC %.0f,"
                    + " lock waits %.0f, other %.0f), context switches %.1f voluntary %.1f involuntary",
                    cpu.userTicks() * 1e4 / n, cpu.systemTicks() * 1e4 / n, cpu.writerNanos() / 1e3 / n,
                    cpu.jitNanos() / 1e3 / n, cpu.gcNanos() / 1e3 / n, cpu.lockWaitNanos() / 1e3 / n,
                    (cpu.cpuNanos() - cpu.writerNanos() - cpu.jitNanos() - cpu.gcNanos() - cpu.lockWaitNanos())
                            / 1e3 / n,
                    cpu.voluntarySwitches() / n, cpu.involuntarySwitches() / n);
        }
    }

    /** The write path before the cross-process group commit, raw file calls: lock, append, force, notify, release. */
    private Window rawProbeWindow() throws Exception {
        Path w = Files.createDirectories(dir.resolve("window-" + (++windowCount)));
        Files.createDirectories(w.resolve("files"));
        Results results = children(w, WRITERS, i -> List.of("probe", w.resolve("files").toString()));
        long ops = results.ops();
        long[] latencies = results.series().stream().flatMapToLong(r -> {
            long[] total = new long[r[0].length];
            for (long[] step : r) {
                for (int i = 0; i < total.length; i++) {
                    total[i] += step[i];
                }
            }
            return Arrays.stream(total).map(x -> x / 1_000);
        }).toArray();
        return new Window(ops / (windowMillis() / 1e3), latencies, results.cpuMicrosPerOp(),
                Support.fixed("%.0f forces/s; ", ops / (windowMillis() / 1e3)) + results.perOp());
    }

    /**
     * The hand-off pattern ({@link HandoffProbe}): one append and one force per round for every posted write, a
     * holder serving at most {@code maxRounds} rounds before another process may hold.
     */
    private Window handoffWindow(int maxRounds) throws Exception {
        Path w = Files.createDirectories(dir.resolve("window-" + (++windowCount)));
        Files.createDirectories(w.resolve("files"));
        Results results = children(w, WRITERS, i -> List.of("handoff", w.resolve("files").toString(),
                Integer.toString(i), Integer.toString(maxRounds)));
        long ops = results.ops();
        long rounds = 0;
        long served = 0;
        long forceNanos = 0;
        long turns = 0;
        long held = 0;
        for (long[][] r : results.series()) {
            for (int i = 0; i < r[0].length; i++) {
                held += r[1][i];
                rounds += r[2][i];
                forceNanos += r[3][i];
                turns += r[4][i];
                served += r[5][i];
            }
        }
        long[] latencies = results.series().stream().flatMapToLong(r -> Arrays.stream(r[0]).map(x -> x / 1_000))
                .toArray();
        double seconds = windowMillis() / 1e3;
        return new Window(ops / seconds, latencies, results.cpuMicrosPerOp(),
                Support.fixed("%.0f forces/s, %.2f writes per force, force mean %.0f us", rounds / seconds,
                        rounds == 0 ? 0 : (double) served / rounds, rounds == 0 ? 0 : forceNanos / 1e3 / rounds)
                        + Support.fixed("; %.0f%% served by their own hold, %.2f turns per write; ",
                        held * 100.0 / Math.max(1, ops), (double) turns / Math.max(1, ops)) + results.perOp());
    }

    private Window embeddedWindow(WriterFleet fleet) throws Exception {
        WriterFleet.WindowResult r = fleet.window(Duration.ofMinutes(2));
        Results results = new Results(r.series(), r.cpu());
        List<long[]> lat = new ArrayList<>();
        for (long[][] series : results.series()) {
            lat.add(series[0]);
        }
        return new Window(results.ops() / (windowMillis() / 1e3), pooled(lat), results.cpuMicrosPerOp(),
                results.perOp());
    }

    private Window natsWindow(List<KeyValue> kvs, WriterFleet idle) throws Exception {
        long idleCpu = idle.threadGroupNanos(false);
        int slice = keys.length / WRITERS;
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        long[][] lat = new long[WRITERS][];
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long window = TimeUnit.MILLISECONDS.toNanos(windowMillis());
        for (int i = 0; i < WRITERS; i++) {
            int me = i;
            KeyValue kv = kvs.get(i);
            String[] own = Arrays.copyOfRange(keys, i * slice, (i + 1) * slice);
            Thread t = new Thread(() -> {
                long[] mine = new long[1 << 14];
                int ops = 0;
                long stamp = (long) me << 40;
                try {
                    start.await();
                    long end = System.nanoTime() + window;
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        kv.put(own[ops % own.length], Support.value(stamp++));
                        if (ops == mine.length) {
                            mine = Arrays.copyOf(mine, ops * 2);
                        }
                        mine[ops++] = (System.nanoTime() - now) / 1_000;
                    }
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
                lat[me] = Arrays.copyOf(mine, ops);
            }, "bench-mp-nats-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (error.get() != null) {
            throw new IllegalStateException("a NATS writer failed: " + Support.oneLine(error.get()), error.get());
        }
        long ops = Arrays.stream(lat).mapToLong(l -> l.length).sum();
        return new Window(ops / (windowMillis() / 1e3), pooled(Arrays.asList(lat)), -1, Support.fixed(
                "the idle embedded writer processes used %.0f ms of CPU meanwhile",
                (idle.threadGroupNanos(false) - idleCpu) / 1e6));
    }

    /** The cost of each step of a write with the files alone, in {@code processes} processes at once. */
    private void probe(int processes) throws Exception {
        Path w = Files.createDirectories(dir.resolve("probe-" + processes));
        Files.createDirectories(w.resolve("files"));
        Results all = children(w, processes, i -> List.of("probe", w.resolve("files").toString()));
        List<long[][]> results = all.series();
        long ops = 0;
        StringBuilder steps = new StringBuilder();
        for (int s = 0; s < PROBE_STEPS.length; s++) {
            int step = s;
            long[] nanos = results.stream().flatMapToLong(r -> Arrays.stream(r[step])).map(x -> x / 1_000).toArray();
            Latency l = Latency.of(nanos);
            steps.append(s == 0 ? "" : "; ").append(PROBE_STEPS[s]).append(" p50 ").append(Support.micros(l.p(50)))
                    .append(" p99 ").append(Support.micros(l.p(99)))
                    .append(Support.fixed(" mean %.0f us", Arrays.stream(nanos).average().orElse(0)));
        }
        for (long[][] r : results) {
            ops += r[0].length;
        }
        context.detail(Support.fixed("probe, %d process%s (lock byte 0, append 150 bytes, force, notify, release;"
                + " raw file calls): %s writes/s", processes, processes == 1 ? "" : "es",
                Support.count(ops / (windowMillis() / 1e3))) + "; " + steps
                + Support.fixed("; CPU %.0f us per write, ", all.cpuMicrosPerOp()) + all.perOp());
    }

    /** The engine's puts in one writer process alone: what a put costs it with nobody to wait for or catch up on. */
    private void embeddedAlone(Path storeDir) throws Exception {
        Path w = Files.createDirectories(dir.resolve("alone"));
        Results r = children(w, 1, i -> List.of("put", storeDir.toString(), "mp", "0", "1"));
        Latency l = Latency.of(r.series().get(0)[0]);
        context.detail(Support.fixed("embedded, 1 process alone: %s puts/s, %s; CPU %.0f us per put, ",
                Support.count(r.ops() / (windowMillis() / 1e3)), l.summary(), r.cpuMicrosPerOp()) + r.perOp());
    }

    /** The share of one core the writers' JIT compilers may use for their warm-up to count as settled. */
    private static final double SETTLED_JIT_SHARE = 0.05;

    /**
     * The longest warm-up of the long-lived writers: 240 s (20 s in a quick run), or the seconds of
     * {@code TEND_BENCH_SETTLE_S}.
     */
    private Duration settleMax() {
        return Duration.ofSeconds(envCount("TEND_BENCH_SETTLE_S", options.quick() ? 20 : 240, "seconds"));
    }

    /** Refuses, with one line, a {@code TEND_BENCH_WARM_MS} or {@code TEND_BENCH_SETTLE_S} that is not a number. */
    static void checkEnvironment() {
        warmTogetherMillis();
        envCount("TEND_BENCH_SETTLE_S", 0, "seconds");
    }

    /** The whole number {@code name} says in the environment, {@code otherwise} when unset; one line when not one. */
    private static long envCount(String name, long otherwise, String unit) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a whole number of " + unit + ", not \"" + v + "\"");
    }

    /**
     * How long the children write together, once all are ready, before a window starts: 3 s, or the milliseconds of
     * {@code TEND_BENCH_WARM_MS}.
     */
    private static long warmTogetherMillis() {
        return envCount("TEND_BENCH_WARM_MS", 3_000, "milliseconds");
    }

    private interface ChildArgs {
        List<String> of(int index);
    }

    /**
     * The child JVMs' options: a 256 MiB heap, then those of {@code TEND_BENCH_CHILD_OPTS} (space-separated), for
     * example {@code -Dtend.kv.handoff=false} to run the engine's writers on the direct path (the hand-off is the
     * default), or a profiler's.
     */
    private static List<String> childOptions() {
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        String extra = System.getenv("TEND_BENCH_CHILD_OPTS");
        if (extra != null && !extra.isBlank()) {
            opts.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        return opts;
    }

    /**
     * Starts {@code n} children with {@code args} + START_FILE WINDOW_MS RESULT, waits until each printed READY,
     * lets them write together for {@link #warmTogetherMillis()} more, starts them together half a second after that,
     * and returns their results.
     */
    private Results children(Path w, int n, ChildArgs args) throws Exception {
        Path startFile = w.resolve("start");
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<Path> results = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            List<String> a = new ArrayList<>(args.of(i));
            a.add(startFile.toString());
            a.add(Long.toString(windowMillis()));
            Path result = w.resolve("result-" + i);
            a.add(result.toString());
            Path log = w.resolve("child-" + i + ".log");
            processes.add(ChildJvm.start(childOptions(), a, log));
            logs.add(log);
            results.add(result);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        for (int i = 0; i < n; i++) {
            while (!Files.exists(logs.get(i)) || !Files.readString(logs.get(i)).contains(WriterProcess.READY)) {
                if (!processes.get(i).isAlive()) {
                    throw new IllegalStateException("writer " + i + " exited before it was ready: "
                            + tail(logs.get(i)));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("writer " + i + " not ready after 3 minutes");
                }
                Thread.sleep(20);
            }
        }
        // Every child keeps writing until the start file appears: all of them together for a while, so that their
        // JIT has compiled the write path (as in a long-running writer) before the window; NATS's clients run in
        // this JVM, warm since the first round.
        Thread.sleep(warmTogetherMillis());
        Path tmp = w.resolve("start.tmp");
        Files.writeString(tmp, Long.toString(System.currentTimeMillis() + 500));
        Files.move(tmp, startFile);
        List<long[][]> out = new ArrayList<>();
        ProcessCpu cpu = ProcessCpu.NONE;
        for (int i = 0; i < n; i++) {
            ChildJvm.Outcome o = ChildJvm.await(processes.get(i), t0, logs.get(i), Duration.ofMinutes(2));
            if (!o.ok()) {
                throw new IllegalStateException("writer " + i + " failed (exit " + o.exitCode() + "): " + o.tail(5));
            }
            out.add(WriterProcess.readResult(results.get(i)));
            cpu = cpu.plus(ProcessCpu.read(results.get(i)));
        }
        return new Results(out, cpu);
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
