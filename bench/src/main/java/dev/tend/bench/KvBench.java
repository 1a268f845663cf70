package dev.tend.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static dev.tend.bench.KvScenarioContext.INFO;

/**
 * The Tend KV benchmark: every scenario in one process, then one table of figures next to their targets.
 * Run it with {@code bench/run [--quick] [--big|--no-big] [--dir DIR]}; see {@link BenchOptions#USAGE} and
 * {@code docs/benchmarks.md}.
 *
 * <p>This class is the frame: the header, each scenario under its heading and the watchdog, the summary. The
 * scenarios are in {@link KvWriteScenarios} (1-3), {@link KvReadScenarios} (4, 7), {@link KvWatchScenarios} (5, 6),
 * {@link KvOpenScenarios} (8, 9), {@link NatsComparison} (10) and {@link MultiProcessWrites} (11); they share a
 * {@link KvScenarioContext}.
 */
public final class KvBench {

    private final BenchOptions options;
    private final Path data;
    private final PrintStream out = System.out;
    private final KvScenarioContext context;
    /** Guarded by {@code this}: the watchdog's thread adds to it. */
    private final List<String> errors = new ArrayList<>();
    private final Watchdog watchdog = new Watchdog(out, this::timedOut);
    private NatsComparison comparison;

    private KvBench(BenchOptions options, Path data) {
        this.options = options;
        this.data = data;
        this.context = new KvScenarioContext(options, data, out);
    }

    public static void main(String[] args) throws IOException {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
            MultiProcessWrites.checkEnvironment();
        } catch (BenchOptions.HelpRequested help) {
            System.out.print(BenchOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Files.createDirectories(options.dataParent());
        Path data = Files.createTempDirectory(options.dataParent().toAbsolutePath(), "tend-bench-");
        KvBench bench = new KvBench(options, data);
        int status;
        try {
            bench.header();
            bench.runAll();
            bench.summary();
            status = bench.errors.isEmpty() ? 0 : 1;
        } finally {
            ChildJvm.killAll();
            if (!options.keep()) {
                Support.deleteTree(data);
            }
        }
        // The engine's threads must not keep the JVM alive after the report.
        System.exit(status);
    }

    private void runAll() {
        KvWriteScenarios writes = new KvWriteScenarios(context);
        KvReadScenarios reads = new KvReadScenarios(context);
        KvWatchScenarios watches = new KvWatchScenarios(context);
        KvOpenScenarios opens = new KvOpenScenarios(context);
        scenario(1, "raw disk force rate", "append 128-byte records + FileChannel.force(false)", writes::rawForce);
        scenario(2, "sequential durable put", "embedded store, one thread, default durability", writes::sequentialPut);
        scenario(3, "put, 8 threads", "8 threads on one store (group commit)", writes::parallelPut);
        scenario(4, "get", "1 and 2 threads", reads::get);
        scenario(5, "watch latency, in-process", "put() return -> listener, same JVM", watches::watchInProcess);
        scenario(6, "watch latency, cross-process", "a child JVM puts, this JVM watches", watches::watchCrossProcess);
        scenario(7, "history(key), 5 entries", "history() on keys with 5 entries", reads::history);
        scenario(8, "open " + Support.count(options.openKeys()) + " keys",
                "open (replay) time: KvStore.open + bucket(name) + first get", opens::open);
        if (options.big()) {
            scenario(9, "open " + Support.count(options.bigKeys()) + " keys, -Xmx512m",
                    Support.count(options.bigKeys()) + " keys of 128 bytes opened in a child JVM with -Xmx512m",
                    opens::big);
        } else if (options.selected(9)) {
            context.row("9. open " + Support.count(options.bigKeys()) + " keys, -Xmx512m",
                    "not run (" + (options.quick() ? "quick run; --big runs it" : "--no-big") + ")",
                    "opens within 512 MB heap", INFO);
        }
        scenario(10, "embedded vs NATS", "embedded, Tend on NATS and raw jnats KeyValue on one nats-server,"
                + " in interleaved rounds", this::nats);
        scenario(11, "put, " + MultiProcessWrites.WRITERS + " processes", MultiProcessWrites.WRITERS
                + " writer processes on one embedded bucket vs " + MultiProcessWrites.WRITERS
                + " NATS connections, in interleaved rounds",
                () -> new MultiProcessWrites(context, context.dir("11-processes")).run());
    }

    private interface Body {
        void run() throws Exception;
    }

    private void scenario(int number, String label, String title, Body body) {
        if (!options.selected(number)) {
            return;
        }
        out.println();
        out.println("== " + number + ". " + label + ": " + title);
        long t0 = System.nanoTime();
        Duration limit = number == 9 ? Duration.ofMinutes(60)
                : number == 10 || number == 11
                ? Duration.ofMinutes(10).plusSeconds(options.rounds() * options.blockMillis() / 10)
                : options.quick() ? Duration.ofMinutes(5) : Duration.ofMinutes(20);
        watchdog.arm(number + ". " + label, limit);
        try {
            body.run();
        } catch (Throwable t) {
            String line = Support.oneLine(t);
            synchronized (this) {
                errors.add(number + ". " + label + ": " + line);
                context.row(number + ". " + label, "ERROR: " + abbreviate(line, 60), "", "ERROR");
            }
            out.println("   ERROR: " + line);
            t.printStackTrace(out);
        } finally {
            watchdog.disarm();
            out.println(Support.fixed("   (scenario took %.1f s)", (System.nanoTime() - t0) / 1e9));
            out.flush();
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** Scenario 10; its own table is printed after the main one. */
    private void nats() throws Exception {
        NatsComparison c = new NatsComparison(context, context.dir("10-nats"));
        try {
            c.run();
        } finally {
            synchronized (this) {
                comparison = c;
            }
            for (NatsComparison.Verdict v : c.verdicts()) {
                context.row(v.scenario(), v.figure(), "Tend <= +"
                        + Math.round(NatsComparison.TARGET_OVERHEAD * 100) + "% over raw jnats", v.verdict());
            }
        }
    }

    /** Called by the watchdog's thread when a scenario hangs, before it halts the JVM. */
    private void timedOut(String scenario, Duration limit) {
        synchronized (this) {
            errors.add(scenario + ": timed out after " + limit.toMinutes() + " min");
            context.row(scenario, "TIMEOUT after " + limit.toMinutes() + " min", "", "ERROR");
        }
        summary();
        ChildJvm.killAll();
        if (!options.keep()) {
            try {
                Support.deleteTree(data);
            } catch (RuntimeException e) {
                out.println("could not delete " + data + ": " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Header and summary

    private void header() throws IOException {
        Runtime rt = Runtime.getRuntime();
        FileStore fs = Files.getFileStore(data);
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        out.println("Tend KV benchmark — " + (options.quick() ? "QUICK smoke run (figures indicative only)"
                : "full run") + ", " + options.runs() + " measured run(s) per throughput scenario");
        out.println("date:    " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        out.println("machine: " + rt.availableProcessors() + " CPUs, " + memTotal() + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        out.println("java:    " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Support.mib(rt.maxMemory())
                + (jvmArgs.isEmpty() ? "" : ", options " + String.join(" ", jvmArgs)));
        out.println("data:    " + data + " on " + fs + " [" + fs.type() + "], "
                + (options.keep() ? "kept afterwards" : "deleted at the end (--keep keeps it)"));
        out.println("load:    " + loadAverage() + " (other work on the host skews every figure)");
        out.println("values:  " + Support.VALUE_SIZE + " bytes; working set " + Support.count(Support.KEYS)
                + " keys; puts per run " + Support.count(options.putOps()) + ", warm-up "
                + Support.count(options.warmPuts()));
        out.flush();
    }

    /** The 1, 5 and 15 minute load averages, from /proc/loadavg. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load average " + f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "load average unknown";
        }
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D+", ""));
                    return Support.fixed("%.1f GiB", kb / 1048576.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall through
        }
        return "? GiB";
    }

    private synchronized void summary() {
        out.println();
        out.println("== Summary" + (options.quick() ? " (QUICK run: small counts — indicative only)" : ""));
        context.printTable();
        if (comparison != null) {
            out.println();
            out.println("== Embedded vs NATS: median over " + options.rounds() + " interleaved rounds (min-max);"
                    + " Tend vs jnats = Tend on NATS's extra time per operation over raw jnats, median of the"
                    + " rounds' ratios (min..max), target <= +" + Math.round(NatsComparison.TARGET_OVERHEAD * 100)
                    + "%");
            comparison.table().print(out);
        }
        out.println("At the end: " + loadAverage() + "; " + Runtime.getRuntime().availableProcessors() + " CPUs.");
        if (!errors.isEmpty()) {
            out.println("Errors:");
            errors.forEach(e -> out.println("  " + e));
        }
        out.flush();
    }
}
