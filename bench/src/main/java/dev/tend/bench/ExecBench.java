package dev.tend.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.load.MachineLoader;
import dev.tend.watchers.exec.ExecWatcherFactory;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exec watcher's overhead, run by {@code bench/exec}: how much later than a plain {@link ProcessBuilder} a command
 * starts and finishes when the exec watcher runs it (template, splitting, lookup, environment, the
 * {@code WATCHER_DATA}/{@code WATCHER_FACTS} files, {@code setsid}, output capture, the state event). Each sample is a
 * pair, one direct start and one through a real machine, so drift cancels out; overhead is their difference.
 *
 * <ul>
 *   <li><b>decide &rarr; child running</b>: from the state change that asks for a run (the bench calls
 *       {@code machine.transition}) to the moment the command reads the clock: it is {@code date '+{"t":%s%N}'}, which
 *       prints {@code CLOCK_REALTIME} in nanoseconds, read back through {@code parse_as_data}. The direct start is timed
 *       the same way, so the command's own start-up (exec, dynamic linking) is in both and cancels out.</li>
 *   <li><b>trigger &rarr; outcome</b>: from the same state change to the published state event, for {@code true};
 *       the direct run is start, read the output to its end, wait for the exit.</li>
 * </ul>
 * Target: at most 5 ms of overhead (p50: the typical run; p99 is printed too, and on a shared machine it mostly
 * measures the machine, as the plain starts' own p99 shows).
 */
public final class ExecBench {

    static final String USAGE = """
            usage: bench/exec [--quick] [--samples N] [--dir DIR] [--keep]

              --quick       100 samples after 20 warm-up pairs: a smoke run, figures indicative only
              --samples N   measured pairs per scenario (default 1,000, after 200 warm-up pairs)
              --dir DIR     make the machine and state directories inside DIR (default: java.io.tmpdir)
              --keep        keep them afterwards
            """;

    private static final long TARGET_OVERHEAD_US = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out = System.out;
    private final FigureTable table = new FigureTable("SCENARIO", "FIGURE", "TARGET", "VERDICT");
    private final Path data;
    private final boolean quick;
    private final int samples;
    private final int warmup;

    private ExecBench(Path data, boolean quick, int samples, int warmup) {
        this.data = data;
        this.quick = quick;
        this.samples = samples;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean keep = false;
        int samples = 0;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--keep" -> keep = true;
                    case "--dir" -> dir = Path.of(Support.optionValue(args, ++i));
                    case "--samples" -> samples = Support.positive(Support.optionValue(args, ++i));
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option \"" + args[i] + "\"");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench/exec: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        if (samples == 0) {
            samples = quick ? 100 : 1_000;
        }
        int warmup = quick ? 20 : 200;
        Files.createDirectories(dir);
        Path data = Files.createTempDirectory(dir.toAbsolutePath(), "tend-bench-exec-");
        int status;
        try {
            status = new ExecBench(data, quick, samples, warmup).run();
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
        try (Rig rig = new Rig(data)) {
            status |= startLatency(rig);
            status |= totalOverhead(rig);
        } catch (Exception e) {
            status = 1;
            out.println("   ERROR: " + Support.oneLine(e));
            table.add("exec watcher", "ERROR: " + Support.oneLine(e), "", "ERROR");
        }
        out.println();
        table.print(out);
        out.flush();
        return status;
    }

    private void header() {
        Runtime rt = Runtime.getRuntime();
        out.println("Tend exec watcher benchmark — " + (quick ? "QUICK smoke run (figures indicative only)" : "full run"));
        out.println("date:    " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        out.println("machine: " + rt.availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version"));
        out.println("java:    " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", options " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.println("data:    " + data);
        out.println("samples: " + Support.count(samples) + " pairs per scenario, after " + Support.count(warmup)
                + " warm-up pairs");
        out.flush();
    }

    /** decide -> child running: the child's own clock reading minus the wall clock when the run was asked for. */
    private int startLatency(Rig rig) throws Exception {
        out.println();
        out.println("== decide -> child running: date '+{\"t\":%s%N}' reads CLOCK_REALTIME when it runs");
        Machine machine = rig.machine("start", "date '+{\"t\":%s%N}'", true);
        Path dataFile = data.resolve("state/machines/start/machine_data.json");
        long[] watcher = new long[samples];
        long[] direct = new long[samples];
        long[] overhead = new long[samples];
        for (int i = -warmup; i < samples; i++) {
            long d0 = Support.wallMicros();
            long dChild = directDate();
            long w0 = Support.wallMicros();
            rig.trigger(machine);
            long wChild = JSON.readTree(dataFile.toFile()).get("t").asLong() / 1_000;
            if (i >= 0) {
                direct[i] = dChild - d0;
                watcher[i] = wChild - w0;
                overhead[i] = watcher[i] - direct[i];
            }
        }
        return report("exec start", "decide -> child running", watcher, direct, overhead);
    }

    /** trigger -> outcome: the state event of a run of {@code true}, against a plain start, drain and wait. */
    private int totalOverhead(Rig rig) throws Exception {
        out.println();
        out.println("== trigger -> outcome published: true (PATH lookup), output captured, state event");
        Machine machine = rig.machine("total", "true", false);
        long[] watcher = new long[samples];
        long[] direct = new long[samples];
        long[] overhead = new long[samples];
        for (int i = -warmup; i < samples; i++) {
            long d0 = System.nanoTime();
            directTrue();
            long d1 = System.nanoTime();
            long w0 = System.nanoTime();
            long w1 = rig.trigger(machine);
            if (i >= 0) {
                direct[i] = (d1 - d0) / 1_000;
                watcher[i] = (w1 - w0) / 1_000;
                overhead[i] = watcher[i] - direct[i];
            }
        }
        return report("exec total", "trigger -> outcome", watcher, direct, overhead);
    }

    private int report(String name, String what, long[] watcher, long[] direct, long[] overhead) {
        long[] w = sorted(watcher);
        long[] d = sorted(direct);
        long[] o = sorted(overhead);
        out.println("   through the exec watcher: " + detail(w));
        out.println("   plain ProcessBuilder:     " + detail(d));
        out.println("   overhead (paired):        " + detail(o));
        boolean pass = Support.percentile(o, 50) <= TARGET_OVERHEAD_US;
        table.add(name + " overhead (" + what + ")", "p50 " + Support.micros(Support.percentile(o, 50)) + ", p99 "
                + Support.micros(Support.percentile(o, 99)), "p50 <= 5 ms", pass ? "PASS" : "FAIL");
        table.add(name + " (watcher / plain)", "p50 " + Support.micros(Support.percentile(w, 50)) + " / "
                + Support.micros(Support.percentile(d, 50)) + ", p99 " + Support.micros(Support.percentile(w, 99))
                + " / " + Support.micros(Support.percentile(d, 99)), "-", "-");
        return pass ? 0 : 1;
    }

    private static long[] sorted(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** Percentiles of microsecond samples (an overhead may be negative: the watcher's run of a pair was faster). */
    private static String detail(long[] sorted) {
        return "n=" + Support.count(sorted.length) + ": p50 " + Support.micros(Support.percentile(sorted, 50))
                + ", p90 " + Support.micros(Support.percentile(sorted, 90)) + ", p99 "
                + Support.micros(Support.percentile(sorted, 99)) + ", max "
                + Support.micros(sorted[sorted.length - 1]);
    }

    /** @return the child's clock reading, in microseconds since the epoch */
    private static long directDate() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/date", "+%s%N").redirectErrorStream(true).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes()).strip();
        }
        p.waitFor();
        return Long.parseLong(text) / 1_000;
    }

    private static void directTrue() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/true").redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            in.readAllBytes();
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("/usr/bin/true failed");
        }
    }

    /**
     * Machines with one exec watcher, active in both states of {@code a <-> b}; each trigger is an operator transition
     * (never delayed by loop protection), which makes the watcher run once.
     */
    private static final class Rig implements AutoCloseable {
        private static final AtomicInteger THREADS = new AtomicInteger();

        private final Path data;
        private final WatcherRegistry registry = WatcherRegistry.of(List.of(new ExecWatcherFactory()));
        private final BlockingQueue<Long> outcomes = new ArrayBlockingQueue<>(16);
        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                named("tend-bench-scheduler"));
        private final ExecutorService blocking = Executors.newCachedThreadPool(named("tend-bench-blocking"));
        private final MachineEnvironment environment;
        private Machine current;

        Rig(Path data) {
            this.data = data;
            this.environment = MachineEnvironment.builder()
                    .identity("bench")
                    .watchers(registry)
                    .stateDirectory(data.resolve("state"))
                    .events(e -> {
                        if (e instanceof WatcherStateEvent s) {
                            long now = System.nanoTime();
                            if (!"success".equals(s.fields().get("previous_outcome"))) {
                                System.err.println("bench/exec: a run failed: " + s.fields());
                            }
                            outcomes.offer(now);
                        }
                    })
                    .scheduler(scheduler)
                    .blockingExecutor(blocking)
                    .build();
        }

        Machine machine(String name, String command, boolean parseAsData) throws Exception {
            if (current != null) {
                current.stop();
            }
            Path dir = Files.createDirectories(data.resolve("machines").resolve(name));
            Files.writeString(dir.resolve("machine.yaml"), """
                    name: %s
                    version: "1.0.0"
                    initial_state: a
                    transitions:
                      - {name: ab, from: [a], destination: b}
                      - {name: ba, from: [b], destination: a}
                    watchers:
                      - name: run
                        type: exec
                        properties:
                          command: %s
                          parse_as_data: %s
                    """.formatted(name, JSON.writeValueAsString(command), parseAsData));
            current = Machines.create(new MachineLoader(registry).load(dir), environment);
            current.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (current.status().startTime() == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the machine's watchers did not start in 30 s");
                }
                Thread.sleep(1);
            }
            return current;
        }

        /** Changes the state, which runs the command; returns when its state event was published (nanoTime). */
        long trigger(Machine machine) throws Exception {
            machine.transition(machine.state().equals("a") ? "ab" : "ba");
            Long at = outcomes.poll(30, TimeUnit.SECONDS);
            if (at == null) {
                throw new IllegalStateException("no outcome within 30 s");
            }
            return at;
        }

        @Override
        public void close() {
            if (current != null) {
                current.stop();
            }
            blocking.shutdownNow();
            scheduler.shutdownNow();
            registry.close();
        }

        private static ThreadFactory named(String prefix) {
            return r -> {
                Thread t = new Thread(r, prefix + "-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }
}
