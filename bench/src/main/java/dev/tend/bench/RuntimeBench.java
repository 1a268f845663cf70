package dev.tend.bench;

import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.Agent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machine runtime benchmark, run by {@code bench/runtime}: one agent per size loads that many small machines from a
 * machines directory (load time until every machine's watchers started, heap after a full GC), and on the largest one
 * the latency from a watcher's {@code fire} to the transition being applied, measured by the {@link TransitionEvent}
 * the machine publishes. The JVM runs with bin/tend's agent options and {@code -Xmx512m}, so "within 512 MB" is the
 * heap limit itself. Targets: 10,000 machines load in at most 10 s within 512 MB; p99 latency at most 1 ms. Then, in
 * the same JVM, {@link MachineFileScenarios}: machine files of the size limit, validated in at most 1 s.
 */
public final class RuntimeBench {

    static final String USAGE = """
            usage: bench/runtime [--quick] [--sizes N,N...] [--samples N] [--dir DIR] [--keep] [--files-only]

              --quick       sizes 100 and 1,000, 1,000 latency samples: a smoke run, figures indicative only
              --sizes L     machine counts to load, one agent each (default 1000,10000); latency on the largest
              --samples N   measured latency samples (default: one per machine of the largest size, at most 10,000)
              --dir DIR     make the data directory inside DIR (default: java.io.tmpdir)
              --keep        keep the data directory afterwards
              --files-only  only the machine files of the size limit (validate and load times), no agent
            """;

    private static final double TARGET_LOAD_10K_MS = 10_000;
    private static final long TARGET_P99_US = 1_000;
    private static final Duration STARTED_DEADLINE = Duration.ofMinutes(5);

    private final PrintStream out = System.out;
    private final FigureTable table = new FigureTable("SCENARIO", "FIGURE", "TARGET", "VERDICT");
    private final Path data;
    private final boolean quick;
    private final List<Integer> sizes;
    private final int samples;

    private RuntimeBench(Path data, boolean quick, List<Integer> sizes, int samples) {
        this.data = data;
        this.quick = quick;
        this.sizes = sizes;
        this.samples = samples;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean keep = false;
        boolean filesOnly = false;
        List<Integer> sizes = null;
        int samples = 0;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--keep" -> keep = true;
                    case "--files-only" -> filesOnly = true;
                    case "--dir" -> dir = Path.of(Support.optionValue(args, ++i));
                    case "--samples" -> samples = Support.positive(Support.optionValue(args, ++i));
                    case "--sizes" -> {
                        sizes = new ArrayList<>();
                        for (String s : Support.optionValue(args, ++i).split(",")) {
                            sizes.add(Support.positive(s.trim()));
                        }
                    }
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option \"" + args[i] + "\"");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench/runtime: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        if (sizes == null) {
            sizes = quick ? List.of(100, 1_000) : List.of(1_000, 10_000);
        }
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (samples == 0) {
            samples = Math.min(largest, quick ? 1_000 : 10_000);
        }
        Files.createDirectories(dir);
        Path data = Files.createTempDirectory(dir.toAbsolutePath(), "tend-bench-runtime-");
        int status;
        try {
            RuntimeBench bench = new RuntimeBench(data, quick, filesOnly ? List.of() : sizes,
                    Math.min(samples, largest));
            status = bench.run();
        } finally {
            if (!keep) {
                Support.deleteTree(data);
            }
        }
        System.exit(status);
    }

    private int run() throws Exception {
        header();
        int status = 0;
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        for (int size : sizes) {
            try {
                load(size, size == largest);
            } catch (Exception | OutOfMemoryError e) {
                status = 1;
                out.println("   ERROR: " + Support.oneLine(e));
                table.add("load " + Support.count(size) + " machines", "ERROR: " + Support.oneLine(e), "", "ERROR");
            }
        }
        try {
            new MachineFileScenarios(data.resolve("files"), out, table).run();
        } catch (Exception | OutOfMemoryError e) {
            status = 1;
            out.println("   ERROR: " + Support.oneLine(e));
            table.add("machine files of the limit", "ERROR: " + Support.oneLine(e), "", "ERROR");
        }
        out.println();
        table.print(out);
        out.flush();
        return status;
    }

    private void header() {
        Runtime rt = Runtime.getRuntime();
        out.println("Tend runtime benchmark — " + (quick ? "QUICK smoke run (figures indicative only)" : "full run"));
        out.println("date:    " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        out.println("machine: " + rt.availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version"));
        out.println("java:    " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Support.mib(rt.maxMemory()) + ", options "
                + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.println("load:    " + Support.fixed("%.1f", ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()) + " (1-minute load average at the start; others' work slows every figure)");
        out.println("data:    " + data);
        out.println(sizes.isEmpty() ? "sizes:   none (--files-only)" : "sizes:   " + sizes + " machines (one agent "
                + "each); latency: " + Support.count(samples) + " samples on the largest");
        out.flush();
    }

    /** One agent with {@code size} machines: load time, heap, and (on the largest) latency. */
    private void load(int size, boolean measureLatency) throws Exception {
        out.println();
        out.println("== " + Support.count(size) + " machines");
        Path machines = data.resolve("machines-" + size);
        writeMachines(machines, size);
        BenchWatchers watchers = new BenchWatchers();
        long heapBefore = heapAfterGc();
        long t0 = System.nanoTime();
        Agent agent = Agent.builder(MachineSettings.builder()
                        .stateDirectory(data.resolve("state-" + size))
                        .identity("bench")
                        .watchers(WatcherRegistry.of(List.of(watchers)))
                        .build())
                .machines(machines)
                .strictPermissions(false)
                .build();
        try {
            agent.start();
            long loadedNanos = System.nanoTime() - t0;
            watchers.awaitStarted(size);
            long startedNanos = System.nanoTime() - t0;
            if (agent.machines().size() != size) {
                throw new IllegalStateException("only " + agent.machines().size() + " of " + size + " machines loaded");
            }
            double ms = startedNanos / 1e6;
            out.println("   loaded (agent.start() returned): " + Support.millis(loadedNanos / 1e6)
                    + "; every watcher started: " + Support.millis(ms) + " ("
                    + Support.count(size / (startedNanos / 1e9)) + " machines/s)");
            long heap = heapAfterGc();
            out.println("   heap after full GC: " + Support.mib(heap) + " (before the agent: " + Support.mib(heapBefore)
                    + "; " + Support.fixed("%.1f", (heap - heapBefore) / 1024.0 / size) + " KiB per machine)");
            long scan0 = System.nanoTime();
            agent.rescan();
            out.println("   one full rescan, nothing changed (the periodic scan's cost): "
                    + Support.millis((System.nanoTime() - scan0) / 1e6));
            boolean big = size >= 10_000;
            table.add("load " + Support.count(size) + " machines", Support.millis(ms) + ", heap " + Support.mib(heap),
                    big ? "<= 10 s, within 512 MB" : "-", big ? verdict(ms <= TARGET_LOAD_10K_MS) : "-");
            if (measureLatency) {
                latency(agent, watchers, size);
            }
        } finally {
            long c0 = System.nanoTime();
            agent.close();
            out.println("   close (every machine stopped): " + Support.millis((System.nanoTime() - c0) / 1e6));
        }
    }

    /**
     * Fires {@code go} on every machine once (warm-up), then {@code back} on {@link #samples} machines, one at a time,
     * each timed from the watcher's fire to the transition event. One or two transitions per machine stay far below
     * loop protection's burst (20 in 10 s), which would otherwise delay them on purpose.
     */
    private void latency(Agent agent, BenchWatchers watchers, int size) throws Exception {
        BlockingQueue<long[]> arrivals = new ArrayBlockingQueue<>(16);
        AutoCloseable subscription = agent.subscribe(e -> {
            if (e instanceof TransitionEvent t) {
                long now = System.nanoTime();
                arrivals.offer(new long[]{now, Integer.parseInt(t.machine().substring(2))});
            }
        });
        try {
            for (int i = 0; i < size; i++) {
                fireAndWait(watchers.context(i), "go", arrivals, i);
            }
            long[] micros = new long[samples];
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                long t1 = fireAndWait(watchers.context(i), "back", arrivals, i);
                micros[i] = (t1 - t0) / 1_000;
            }
            Latency l = Latency.of(micros);
            out.println("   watcher fire -> transition applied (TransitionEvent): " + l.detail());
            table.add("fire -> transition, " + Support.count(size) + " machines", l.summary(), "p99 <= 1 ms",
                    verdict(l.p(99) <= TARGET_P99_US));
        } finally {
            subscription.close();
        }
    }

    private static long fireAndWait(WatcherContext context, String event, BlockingQueue<long[]> arrivals, int machine)
            throws InterruptedException {
        context.fire(event);
        while (true) {
            long[] a = arrivals.poll(30, TimeUnit.SECONDS);
            if (a == null) {
                throw new IllegalStateException("no transition of machine m_" + machine + " via " + event + " in 30 s");
            }
            if (a[1] == machine) {
                return a[0];
            }
        }
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "FAIL";
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** {@code size} directories {@code m_<i>}, each a two-state machine with one {@code bench} watcher. */
    private void writeMachines(Path machines, int size) throws IOException {
        long t0 = System.nanoTime();
        for (int i = 0; i < size; i++) {
            Path dir = Files.createDirectories(machines.resolve(String.format("m_%05d", i)));
            Files.writeString(dir.resolve("machine.yaml"), """
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
                      - name: trigger
                        type: bench
                        state_match: [idle, busy]
                    """.formatted(i));
        }
        out.println("   wrote " + Support.count(size) + " machine directories in "
                + Support.millis((System.nanoTime() - t0) / 1e6) + " (not part of the load time)");
    }

    /** The {@code bench} watcher type: does nothing by itself; the benchmark fires through its context. */
    private static final class BenchWatchers implements WatcherFactory {
        private final Map<Integer, WatcherContext> contexts = new ConcurrentHashMap<>();
        private final AtomicInteger started = new AtomicInteger();

        WatcherContext context(int machine) {
            WatcherContext c = contexts.get(machine);
            if (c == null) {
                throw new IllegalStateException("machine m_" + machine + " has no started watcher");
            }
            return c;
        }

        void awaitStarted(int n) throws InterruptedException {
            long deadline = System.nanoTime() + STARTED_DEADLINE.toNanos();
            while (started.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + started.get() + " of " + n + " watchers started");
                }
                Thread.sleep(1);
            }
        }

        @Override
        public String type() {
            return "bench";
        }

        @Override
        public List<PropertySpec> properties() {
            return List.of();
        }

        @Override
        public Watcher create(WatcherContext context) {
            return new Watcher() {
                @Override
                public void start() {
                    contexts.put(Integer.parseInt(context.machineName().substring(2)), context);
                    started.incrementAndGet();
                }

                @Override
                public void stateChanged() {
                }

                @Override
                public void stop() {
                }

                @Override
                public Map<String, Object> currentState() {
                    return Map.of();
                }
            };
        }
    }
}
