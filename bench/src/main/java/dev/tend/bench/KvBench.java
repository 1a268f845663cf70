package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Tend KV benchmark: every scenario in one process, then one table of figures next to their targets.
 * Run it with {@code bench/run [--quick] [--big|--no-big] [--dir DIR]}; see {@link BenchOptions#USAGE} and
 * {@code docs/benchmarks.md}.
 */
public final class KvBench {

    private static final String PASS = "PASS";
    private static final String FAIL = "FAIL";
    private static final String INFO = "-";

    private static final String TARGET_SEQ = ">= 80% of raw force rate";
    private static final String TARGET_PAR = ">= 5x sequential";
    private static final double TARGET_GET = 500_000;
    private static final long TARGET_WATCH_P99_US = 1_000;
    private static final long TARGET_XWATCH_P50_US = 5_000;
    private static final double TARGET_OPEN_MS = 2_000;

    /** Keeps results the JIT could otherwise drop. */
    static volatile long sink;

    private final BenchOptions options;
    private final Path data;
    private final PrintStream out = System.out;
    private final FigureTable table = new FigureTable("SCENARIO", "FIGURE", "TARGET", "VERDICT");
    private final List<String> errors = new ArrayList<>();
    private final Watchdog watchdog = new Watchdog();
    private long stamp = 1;
    private Double rawRate;
    private Double seqRate;
    private NatsComparison comparison;

    private KvBench(BenchOptions options, Path data) {
        this.options = options;
        this.data = data;
    }

    public static void main(String[] args) throws IOException {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
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

    // ---------------------------------------------------------------------------------------------------------------
    // Orchestration and reporting

    private void runAll() {
        scenario(1, "raw disk force rate", "append 128-byte records + FileChannel.force(false)", this::rawForce);
        scenario(2, "sequential durable put", "embedded store, one thread, default durability", this::sequentialPut);
        scenario(3, "put, 8 threads", "8 threads on one store (group commit)", this::parallelPut);
        scenario(4, "get", "1 and 2 threads", this::get);
        scenario(5, "watch latency, in-process", "put() return -> listener, same JVM", this::watchInProcess);
        scenario(6, "watch latency, cross-process", "a child JVM puts, this JVM watches", this::watchCrossProcess);
        scenario(7, "history(key), 5 entries", "history() on keys with 5 entries", this::history);
        scenario(8, "open " + Support.count(options.openKeys()) + " keys",
                "open (replay) time: KvStore.open + bucket(name) + first get", this::open);
        if (options.big()) {
            scenario(9, "open " + Support.count(options.bigKeys()) + " keys, -Xmx512m",
                    Support.count(options.bigKeys()) + " keys of 128 bytes opened in a child JVM with -Xmx512m",
                    this::big);
        } else if (options.selected(9)) {
            table.add("9. open " + Support.count(options.bigKeys()) + " keys, -Xmx512m",
                    "not run (" + (options.quick() ? "quick run; --big runs it" : "--no-big") + ")",
                    "opens within 512 MB heap", INFO);
        }
        scenario(10, "embedded vs NATS", "embedded, Tend on NATS and raw jnats KeyValue on one nats-server,"
                + " in interleaved rounds", this::nats);
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
                : number == 10 ? Duration.ofMinutes(10).plusSeconds(options.rounds() * options.blockMillis() / 10)
                : options.quick() ? Duration.ofMinutes(5) : Duration.ofMinutes(20);
        watchdog.arm(number + ". " + label, limit);
        try {
            body.run();
        } catch (Throwable t) {
            String line = Support.oneLine(t);
            synchronized (this) {
                errors.add(number + ". " + label + ": " + line);
                table.add(number + ". " + label, "ERROR: " + abbreviate(line, 60), "", "ERROR");
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

    private synchronized void row(String scenario, String figure, String target, String verdict) {
        table.add(scenario, figure, target, verdict);
    }

    private void detail(String line) {
        out.println("   " + line);
        out.flush();
    }

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
        table.print(out);
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

    private static String verdict(boolean pass) {
        return pass ? PASS : FAIL;
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(data.resolve(name));
    }

    private static BucketConfig config(String name, int history) {
        return BucketConfig.builder(name).history(history).build();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. raw disk force rate

    private void rawForce() throws IOException {
        Path dir = dir("1-raw");
        int warm = Math.max(200, options.warmPuts() / 2);
        forceLoop(dir.resolve("warmup.log"), warm);
        double[] rates = new double[options.runs()];
        for (int r = 0; r < rates.length; r++) {
            long nanos = forceLoop(dir.resolve("run-" + r + ".log"), options.rawOps());
            rates[r] = options.rawOps() / (nanos / 1e9);
        }
        Runs runs = new Runs(rates);
        rawRate = runs.median();
        detail("warm-up " + Support.count(warm) + " forces; " + rates(rates.length) + " of "
                + Support.count(options.rawOps()) + " appends, each followed by force(false)");
        detail(runs.detail() + "; " + Support.micros(1e6 / runs.median()) + " per force");
        row("1. raw disk force rate", runs.figure(), "(the physical limit)", INFO);
    }

    /** Appends 128-byte records to a fresh file, forcing after each; returns the elapsed nanoseconds. */
    private static long forceLoop(Path file, int ops) throws IOException {
        ByteBuffer record = ByteBuffer.allocateDirect(Support.VALUE_SIZE);
        long t0;
        long t1;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            t0 = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                record.clear();
                record.putLong(0, i);
                while (record.hasRemaining()) {
                    ch.write(record);
                }
                ch.force(false);
            }
            t1 = System.nanoTime();
        }
        Files.delete(file);
        return t1 - t0;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. sequential durable put

    /** How many blocks a run is cut into, so that two things compared are measured alternately. */
    private int blocks() {
        return options.quick() ? 4 : 10;
    }

    private void sequentialPut() throws IOException {
        String[] keys = Support.keys(Support.KEYS);
        int blocks = blocks();
        int perBlock = Math.max(1, options.putOps() / blocks);
        int perRun = perBlock * blocks;
        double[] rates = new double[options.runs()];
        double[] pairedRaw = new double[options.runs()];
        double[] shares = new double[options.runs()];
        Path rawDir = dir("2-raw");
        long puts = 0;
        try (KvStore store = Support.openStore(dir("2-seq"), Durability.DURABLE)) {
            Bucket bucket = store.create(config("seq", 5));
            puts += putLoop(bucket, keys, 0, options.warmPuts());
            for (int r = 0; r < rates.length; r++) {
                // The disk's force rate drifts with whatever else the host does, so a run alternates blocks of raw
                // forces and blocks of puts, and the two are compared over the same stretch of time.
                long rawNanos = 0;
                long putNanos = 0;
                for (int k = 0; k < blocks; k++) {
                    Path file = rawDir.resolve("run-" + r + "-" + k + ".log");
                    if (k % 2 == 0) {
                        rawNanos += forceLoop(file, perBlock);
                    }
                    long t0 = System.nanoTime();
                    puts += putLoop(bucket, keys, k * perBlock, perBlock);
                    putNanos += System.nanoTime() - t0;
                    if (k % 2 == 1) {
                        rawNanos += forceLoop(file, perBlock);
                    }
                }
                rates[r] = perRun / (putNanos / 1e9);
                pairedRaw[r] = perRun / (rawNanos / 1e9);
                shares[r] = (double) rawNanos / putNanos;
            }
            puts += checkReadBack(bucket, keys[7]);
            checkLastRevision(bucket, puts);
        }
        Runs runs = new Runs(rates);
        seqRate = runs.median();
        double share = Support.median(shares);
        detail("store opened with default durability (DURABLE); bucket history 5; warm-up "
                + Support.count(options.warmPuts()) + " puts; " + rates(rates.length) + " of "
                + Support.count(perRun) + " puts cycling over " + Support.count(keys.length) + " keys, in " + blocks
                + " blocks alternating with blocks of as many raw forced appends");
        detail("puts: " + runs.detail() + "; " + Support.micros(1e6 / runs.median()) + " per put");
        detail("raw forces alternating with them: " + new Runs(pairedRaw).detail());
        detail("put rate / raw rate per run: " + Arrays.stream(shares)
                .mapToObj(x -> Support.fixed("%.0f%%", x * 100)).toList() + Support.fixed("; median %.0f%%",
                share * 100) + (rawRate == null ? ""
                : Support.fixed("; vs scenario 1's median %.0f%%", runs.median() / rawRate * 100)));
        row("2. sequential durable put", runs.figure() + Support.fixed(" = %.0f%% of raw", share * 100),
                TARGET_SEQ, verdict(share >= 0.8));
    }

    /**
     * Puts {@code ops} values, cycling over {@code keys} starting at {@code offset}; checks that revisions increase.
     * Returns {@code ops}.
     */
    private long putLoop(Bucket bucket, String[] keys, int offset, int ops) {
        long previous = 0;
        for (int i = 0; i < ops; i++) {
            long rev = bucket.put(keys[(offset + i) % keys.length], Support.value(nextStamp()));
            if (rev <= previous) {
                throw new IllegalStateException("put returned revision " + rev + " after revision " + previous);
            }
            previous = rev;
        }
        return ops;
    }

    private synchronized long nextStamp() {
        return stamp++;
    }

    /** Puts one value and checks that get returns it with the put's revision. Returns 1 (the put). */
    private long checkReadBack(Bucket bucket, String key) {
        byte[] value = Support.value(nextStamp());
        long rev = bucket.put(key, value);
        Entry e = bucket.get(key).orElseThrow(() -> new IllegalStateException("get(" + key + ") after put: empty"));
        if (e.revision() != rev || !Arrays.equals(e.value(), value) || e.operation() != Operation.PUT) {
            throw new IllegalStateException("get(" + key + ") after put (revision " + rev + ") returned " + e);
        }
        return 1;
    }

    private static void checkLastRevision(Bucket bucket, long writes) {
        BucketStatus status = bucket.status();
        if (status.lastRevision() != writes) {
            throw new IllegalStateException("bucket " + bucket.name() + " made " + writes + " writes but its last "
                    + "revision is " + status.lastRevision());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. put from 8 threads

    private void parallelPut() throws Exception {
        int threads = 8;
        int blocks = blocks();
        int perThread = Math.max(1, options.putOps() / blocks / threads);
        int perBlock = perThread * threads;
        int perRun = perBlock * blocks;
        int slice = Support.KEYS / threads;
        String[] keys = Support.keys(Support.KEYS);
        double[] rates = new double[options.runs()];
        double[] oneThread = new double[options.runs()];
        double[] times = new double[options.runs()];
        long puts = 0;
        try (KvStore store = Support.openStore(dir("3-par"), Durability.DURABLE)) {
            Bucket bucket = store.create(config("par", 5));
            int warm = Math.max(1, options.warmPuts() / threads);
            inThreads(threads, t -> putLoop(bucket, keys, t * slice, warm));
            puts += (long) warm * threads;
            for (int r = 0; r < rates.length; r++) {
                // Alternate blocks of 8-thread puts with blocks of 1-thread puts on the same store, so that the
                // ratio does not depend on how the disk's speed drifts between scenarios.
                long parNanos = 0;
                long seqNanos = 0;
                for (int k = 0; k < blocks; k++) {
                    int offset = k * perBlock;
                    if (k % 2 == 0) {
                        parNanos += inThreads(threads, t -> putLoop(bucket, slice(keys, t * slice, slice), offset,
                                perThread));
                    }
                    long t0 = System.nanoTime();
                    puts += putLoop(bucket, keys, offset, perBlock);
                    seqNanos += System.nanoTime() - t0;
                    if (k % 2 == 1) {
                        parNanos += inThreads(threads, t -> putLoop(bucket, slice(keys, t * slice, slice), offset,
                                perThread));
                    }
                    puts += perBlock;
                }
                rates[r] = perRun / (parNanos / 1e9);
                oneThread[r] = perRun / (seqNanos / 1e9);
                times[r] = (double) seqNanos / parNanos;
            }
            puts += checkReadBack(bucket, keys[3]);
            checkLastRevision(bucket, puts);
        }
        Runs runs = new Runs(rates);
        double ratio = Support.median(times);
        detail("one store (DURABLE), one bucket; " + rates(rates.length) + " of " + Support.count(perRun)
                + " puts by " + threads + " threads (each on its own " + slice + " keys), in " + blocks
                + " blocks alternating with blocks of as many puts by 1 thread");
        detail("8 threads: " + runs.detail());
        detail("1 thread alternating with them: " + new Runs(oneThread).detail());
        detail("8 threads / 1 thread per run: " + Arrays.stream(times).mapToObj(x -> Support.fixed("%.1fx", x))
                .toList() + Support.fixed("; median %.1fx", ratio) + (seqRate == null ? ""
                : Support.fixed("; vs scenario 2's median %.1fx", runs.median() / seqRate)));
        row("3. put, 8 threads", runs.figure() + Support.fixed(" = %.1fx 1 thread", ratio), TARGET_PAR,
                verdict(ratio >= 5));
    }

    private static String[] slice(String[] keys, int from, int n) {
        return Arrays.copyOfRange(keys, from, from + n);
    }

    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs the body on {@code n} threads started together; returns the nanoseconds until the last one ended. */
    private static long inThreads(int n, ThreadBody body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n + 1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }, "bench-" + t);
            threads[t].start();
        }
        start.await();
        long t0 = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        long nanos = System.nanoTime() - t0;
        if (error.get() != null) {
            throw new IllegalStateException("a bench thread failed: " + Support.oneLine(error.get()), error.get());
        }
        return nanos;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. get

    private void get() throws Exception {
        Path dir = dir("4-get");
        String[] keys = Support.keys(Support.KEYS);
        try (KvStore setup = Support.openStore(dir, Durability.RELAXED)) {
            Bucket bucket = setup.create(config("get", 1));
            for (int i = 0; i < keys.length; i++) {
                bucket.put(keys[i], Support.value(i));
            }
        }
        int ops = options.getOps();
        double[] one = new double[options.runs()];
        double[] two = new double[options.runs()];
        try (KvStore store = Support.openStore(dir, Durability.DURABLE)) {
            Bucket bucket = store.bucket("get");
            for (int i = 0; i < keys.length; i++) {
                Entry e = bucket.get(keys[i]).orElseThrow();
                if (!Arrays.equals(e.value(), Support.value(i))) {
                    throw new IllegalStateException("get(" + keys[i] + ") returned a wrong value: " + e);
                }
            }
            getLoop(bucket, keys, ops / 2);
            inThreads(2, t -> getLoop(bucket, keys, ops / 4));
            for (int r = 0; r < one.length; r++) {
                long t0 = System.nanoTime();
                getLoop(bucket, keys, ops);
                one[r] = ops / ((System.nanoTime() - t0) / 1e9);
                long nanos = inThreads(2, t -> getLoop(bucket, keys, ops));
                two[r] = 2.0 * ops / (nanos / 1e9);
            }
        }
        Runs r1 = new Runs(one);
        Runs r2 = new Runs(two);
        detail(Support.count(keys.length) + " keys written (setup with Durability.RELAXED), store reopened; "
                + rates(one.length) + " of " + Support.count(ops) + " gets per thread, after a warm-up");
        detail("1 thread:  " + r1.detail());
        detail("2 threads: " + r2.detail() + Support.fixed(" (%.2fx 1 thread)", r2.median() / r1.median()));
        row("4a. get, 1 thread", r1.figure(), ">= " + Support.count(TARGET_GET) + " ops/s",
                verdict(r1.median() >= TARGET_GET));
        row("4b. get, 2 threads (total)", r2.figure(), ">= " + Support.count(TARGET_GET) + " ops/s",
                verdict(r2.median() >= TARGET_GET));
    }

    private static String rates(int runs) {
        return runs == 1 ? "1 run" : runs + " runs";
    }

    private static void getLoop(Bucket bucket, String[] keys, int ops) {
        long sum = 0;
        for (int i = 0; i < ops; i++) {
            Optional<Entry> e = bucket.get(keys[i % keys.length]);
            if (e.isEmpty()) {
                throw new IllegalStateException("get(" + keys[i % keys.length] + ") returned nothing");
            }
            sum += e.get().revision();
        }
        sink += sum;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. watch latency in-process

    private void watchInProcess() throws Exception {
        int warm = options.warmPuts();
        int ops = options.watchOps();
        int total = warm + ops;
        long[] returned = new long[total];
        long[] delivered = new long[total];
        Delivery delivery = new Delivery(total);
        String[] keys = Support.keys(Support.KEYS);
        long putNanos;
        try (KvStore store = Support.openStore(dir("5-watch"), Durability.DURABLE)) {
            Bucket bucket = store.create(config("watch", 1));
            try (Watch watch = bucket.watch(List.of(), WatchOptions.defaults().withUpdatesOnly(),
                    delivery.listener(entry -> delivered[(int) (entry.revision() - 1)] = System.nanoTime()))) {
                delivery.awaitCaughtUp();
                long t0 = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long rev = bucket.put(keys[i % keys.length], Support.value(i));
                    returned[i] = System.nanoTime();
                    if (rev != i + 1) {
                        throw new IllegalStateException("put " + (i + 1) + " of a fresh bucket returned revision "
                                + rev);
                    }
                }
                putNanos = System.nanoTime() - t0;
                delivery.awaitAll(Duration.ofSeconds(30));
                if (!watch.isActive()) {
                    throw new IllegalStateException("the watch ended during the run");
                }
            }
        }
        long[] micros = new long[ops];
        for (int i = 0; i < ops; i++) {
            micros[i] = (delivered[warm + i] - returned[warm + i]) / 1_000;
        }
        Latency latency = Latency.of(micros);
        detail("watch (updates only, every key) in the writing JVM; " + Support.count(warm) + " warm-up + "
                + Support.count(ops) + " measured durable puts back to back ("
                + Support.count(total / (putNanos / 1e9)) + " puts/s"
                + (seqRate == null ? "" : "; scenario 2, without a watch: " + Support.count(seqRate) + " puts/s")
                + "); latency = System.nanoTime() in the listener minus System.nanoTime() after put() returned,"
                + " paired by revision");
        detail(latency.detail());
        row("5. watch latency, in-process", latency.summary(), "p99 <= 1 ms",
                verdict(latency.p(99) <= TARGET_WATCH_P99_US));
    }

    /** Counts a watch's deliveries of revisions 1..total and checks their order. */
    private static final class Delivery {
        private final int total;
        private final CountDownLatch caughtUp = new CountDownLatch(1);
        private final CountDownLatch all = new CountDownLatch(1);
        private final AtomicInteger count = new AtomicInteger();
        private final AtomicReference<String> problem = new AtomicReference<>();
        private final BitSet seen;
        private volatile long lastRevision;

        Delivery(int total) {
            this.total = total;
            this.seen = new BitSet(total + 1);
        }

        interface OnEntry {
            void accept(Entry entry);
        }

        WatchListener listener(OnEntry record) {
            return new WatchListener() {
                @Override
                public void onEntry(Entry entry) {
                    long rev = entry.revision();
                    if (rev < 1 || rev > total) {
                        problem.compareAndSet(null, "unexpected revision " + rev + " delivered");
                        return;
                    }
                    if (rev <= lastRevision) {
                        problem.compareAndSet(null, "revision " + rev + " delivered after " + lastRevision);
                        return;
                    }
                    lastRevision = rev;
                    synchronized (seen) {
                        seen.set((int) rev);
                    }
                    record.accept(entry);
                    if (count.incrementAndGet() == total) {
                        all.countDown();
                    }
                }

                @Override
                public void onCaughtUp() {
                    caughtUp.countDown();
                }

                @Override
                public void onError(KvException error) {
                    problem.compareAndSet(null, "watch error: " + Support.oneLine(error));
                    all.countDown();
                }
            };
        }

        void awaitCaughtUp() throws InterruptedException {
            if (!caughtUp.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the watch did not signal caught-up within 30 s");
            }
        }

        /** The first revisions not delivered (at most 10). */
        private List<Long> missing() {
            List<Long> m = new ArrayList<>();
            synchronized (seen) {
                for (int r = seen.nextClearBit(1); r <= total && m.size() < 10; r = seen.nextClearBit(r + 1)) {
                    m.add((long) r);
                }
            }
            return m;
        }

        /** Waits until every revision arrived; throws on a problem or a timeout. */
        void awaitAll(Duration timeout) throws InterruptedException {
            boolean done = all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (problem.get() != null) {
                throw new IllegalStateException(problem.get() + " (" + count.get() + " of " + total + " delivered)");
            }
            if (!done) {
                throw new IllegalStateException("only " + count.get() + " of " + total + " writes were delivered"
                        + " within " + timeout.toSeconds() + " s after the last put; missing revisions " + missing()
                        + ", last delivered " + lastRevision);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. watch latency cross-process

    private void watchCrossProcess() throws Exception {
        int warm = Math.max(100, options.warmPuts() / 2);
        int ops = options.xprocOps();
        int total = warm + ops;
        long[] deliveredMicros = new long[total];
        long[] calledMicros = new long[total];
        Delivery delivery = new Delivery(total);
        Path dir = dir("6-xwatch");
        Path resultFile = data.resolve("6-child-result.bin");
        Path log = data.resolve("6-child.log");
        ChildJvm.Outcome child;
        try (KvStore store = Support.openStore(dir, Durability.DURABLE)) {
            Bucket bucket = store.create(config("xwatch", 1));
            try (Watch watch = bucket.watch(List.of(), WatchOptions.defaults().withUpdatesOnly(),
                    delivery.listener(entry -> {
                        int i = (int) (entry.revision() - 1);
                        deliveredMicros[i] = Support.wallMicros();
                        calledMicros[i] = Support.stamp(entry.value());
                    }))) {
                delivery.awaitCaughtUp();
                long t0 = System.nanoTime();
                Process p = ChildJvm.start(List.of(), List.of("watch-writer", dir.toString(), "xwatch",
                        Integer.toString(warm), Integer.toString(ops), resultFile.toString()), log);
                child = ChildJvm.await(p, t0, log, Duration.ofSeconds(120 + total / 50));
                if (!child.ok()) {
                    throw new IllegalStateException("the writer JVM failed (exit " + child.exitCode() + "): "
                            + child.tail(20));
                }
                delivery.awaitAll(Duration.ofSeconds(30));
                if (!watch.isActive()) {
                    throw new IllegalStateException("the watch ended during the run");
                }
            }
        }
        long[] revisions = new long[total];
        long[] returnedMicros = new long[total];
        try (DataInputStream in = new DataInputStream(Files.newInputStream(resultFile))) {
            int n = in.readInt();
            if (n != total) {
                throw new IllegalStateException("the writer reported " + n + " puts, not " + total);
            }
            for (int i = 0; i < total; i++) {
                revisions[i] = in.readLong();
                returnedMicros[i] = in.readLong();
            }
        }
        long[] fromReturn = new long[ops];
        long[] fromCall = new long[ops];
        for (int k = 0; k < ops; k++) {
            int i = warm + k;
            if (revisions[i] != i + 1) {
                throw new IllegalStateException("the writer's put " + (i + 1) + " returned revision " + revisions[i]);
            }
            fromReturn[k] = deliveredMicros[i] - returnedMicros[i];
            fromCall[k] = deliveredMicros[i] - calledMicros[i];
        }
        Latency afterReturn = Latency.of(fromReturn);
        Latency afterCall = Latency.of(fromCall);
        double writerSeconds = (returnedMicros[total - 1] - returnedMicros[warm]) / 1e6;
        detail("child JVM (same classpath) opens the store and makes " + Support.count(warm) + " warm-up + "
                + Support.count(ops) + " measured durable puts back to back ("
                + (writerSeconds > 0 ? Support.count((ops - 1) / writerSeconds) : "?") + " puts/s); this JVM watches");
        detail("clock: wall clock in epoch microseconds (Clock.systemUTC(), CLOCK_REALTIME, shared by both JVMs);"
                + " the child records the time after each put() returned and sends it with the revision after the"
                + " run (a value cannot carry the time its own put returned), and writes the time before the call"
                + " into the value's first 8 bytes");
        detail("from put() return: " + afterReturn.detail());
        detail("from put() call:   " + afterCall.detail());
        row("6. watch latency, cross-process", afterReturn.summary() + " (from put return)", "p50 <= 5 ms",
                verdict(afterReturn.p(50) <= TARGET_XWATCH_P50_US));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 7. history

    private void history() throws Exception {
        Path dir = dir("7-history");
        String[] keys = Support.keys(Support.KEYS);
        int perKey = 5;
        try (KvStore setup = Support.openStore(dir, Durability.RELAXED)) {
            Bucket bucket = setup.create(config("hist", perKey));
            for (int round = 0; round < perKey; round++) {
                for (int i = 0; i < keys.length; i++) {
                    bucket.put(keys[i], Support.value(round));
                }
            }
        }
        int ops = options.historyOps();
        double[] rates = new double[options.runs()];
        try (KvStore store = Support.openStore(dir, Durability.DURABLE)) {
            Bucket bucket = store.bucket("hist");
            for (int i = 0; i < keys.length; i += 97) {
                List<Entry> h = bucket.history(keys[i]);
                if (h.size() != perKey) {
                    throw new IllegalStateException("history(" + keys[i] + ") has " + h.size() + " entries, not "
                            + perKey);
                }
                for (int round = 0; round < perKey; round++) {
                    Entry e = h.get(round);
                    if (!Arrays.equals(e.value(), Support.value(round))
                            || e.revision() != (long) round * keys.length + i + 1) {
                        throw new IllegalStateException("history(" + keys[i] + ")[" + round + "] is " + e);
                    }
                }
            }
            historyLoop(bucket, keys, ops / 2);
            for (int r = 0; r < rates.length; r++) {
                long t0 = System.nanoTime();
                historyLoop(bucket, keys, ops);
                rates[r] = ops / ((System.nanoTime() - t0) / 1e9);
            }
        }
        Runs runs = new Runs(rates);
        detail(Support.count(keys.length) + " keys x " + perKey + " puts (setup with Durability.RELAXED), bucket "
                + "history " + perKey + ", store reopened; " + rates(rates.length) + " of " + Support.count(ops)
                + " history() calls, 1 thread");
        detail(runs.detail());
        row("7. history(key), 5 entries", runs.figure(), "(no target)", INFO);
    }

    private static void historyLoop(Bucket bucket, String[] keys, int ops) {
        long sum = 0;
        for (int i = 0; i < ops; i++) {
            List<Entry> h = bucket.history(keys[i % keys.length]);
            sum += h.size();
        }
        if (sum != 5L * ops) {
            throw new IllegalStateException("history() returned " + sum + " entries over " + ops + " calls, not "
                    + 5L * ops);
        }
        sink += sum;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 8. open time

    private void open() throws Exception {
        Path dir = dir("8-open");
        int n = options.openKeys();
        double writeSeconds = fill(dir, "open", n);
        detail(Support.count(n) + " keys x 128 bytes written with Durability.RELAXED in "
                + Support.fixed("%.1f s (%s puts/s)", writeSeconds, Support.count(n / writeSeconds))
                + ", store closed; " + Support.mib(Support.treeSize(dir)) + " on disk");
        long probe = n - 1;

        double[] childMs = new double[options.runs()];
        double[] childWallMs = new double[options.runs()];
        for (int r = 0; r < childMs.length; r++) {
            Path log = data.resolve("8-child-" + r + ".log");
            ChildJvm.Outcome o = ChildJvm.run(List.of(), List.of("open", dir.toString(), "open",
                    Long.toString(probe)), log, Duration.ofMinutes(5));
            Map<String, String> res = o.result();
            if (!o.ok() || !"true".equals(res.get("ok"))) {
                throw new IllegalStateException("the fresh JVM failed to open the bucket (exit " + o.exitCode()
                        + "): " + o.tail(20));
            }
            childMs[r] = Long.parseLong(res.get("totalNanos")) / 1e6;
            childWallMs[r] = o.wallNanos() / 1e6;
            detail(Support.fixed("fresh JVM run %d: open %s + bucket %s + first get %s + index load %s = %s; process"
                            + " wall time %s; heap after GC %s", r + 1,
                    Support.millis(Long.parseLong(res.get("openNanos")) / 1e6),
                    Support.millis(Long.parseLong(res.get("bucketNanos")) / 1e6),
                    Support.millis(Long.parseLong(res.get("getNanos")) / 1e6),
                    Support.millis(Long.parseLong(res.get("indexNanos")) / 1e6),
                    Support.millis(childMs[r]), Support.millis(childWallMs[r]),
                    Support.mib(Long.parseLong(res.get("heapAfterGc")))));
        }

        double[] inProcessMs = new double[options.runs()];
        for (int r = 0; r < inProcessMs.length; r++) {
            long t0 = System.nanoTime();
            try (KvStore store = Support.openStore(dir, Durability.DURABLE)) {
                Optional<Entry> e = store.bucket("open").get(Support.key(probe));
                store.bucket("open").status(); // loads the index, as the fresh JVM does
                inProcessMs[r] = (System.nanoTime() - t0) / 1e6;
                if (e.isEmpty() || !Arrays.equals(e.get().value(), Support.value(probe))) {
                    throw new IllegalStateException("reopened bucket: get(" + Support.key(probe) + ") returned " + e);
                }
            }
        }
        double child = Support.median(childMs);
        double wall = Support.median(childWallMs);
        double inProcess = Support.median(inProcessMs);
        detail("in-process reopen (open + bucket + first get + index load, this warm JVM): "
                + Arrays.stream(inProcessMs).mapToObj(Support::millis).toList());
        detail("page cache warm (the files were just written); the fresh-JVM figure is the one judged");
        String name = "8a. open " + Support.count(n) + " keys, fresh JVM";
        boolean judged = n == BenchOptions.FULL_OPEN_KEYS;
        row(name, Support.millis(child) + " open+bucket+get+index (" + Support.millis(wall) + " with JVM start)",
                "<= 2 s (100,000 keys)", judged ? verdict(child <= TARGET_OPEN_MS) : "n/a (quick: fewer keys)");
        row("8b. open " + Support.count(n) + " keys, in-process", Support.millis(inProcess)
                + " open+bucket+get+index",
                "(info)", INFO);
    }

    /** Creates a history-1 bucket of {@code n} keys with RELAXED puts, one thread; returns the seconds taken. */
    private double fill(Path dir, String bucketName, int n) {
        long t0 = System.nanoTime();
        long report = t0;
        try (KvStore store = Support.openStore(dir, Durability.RELAXED)) {
            Bucket bucket = store.create(config(bucketName, 1));
            for (int i = 0; i < n; i++) {
                bucket.put(Support.key(i), Support.value(i));
                if ((i + 1) % 100_000 == 0 && System.nanoTime() - report > 10_000_000_000L) {
                    report = System.nanoTime();
                    detail(Support.fixed("... %s keys written (%.0f s)", Support.count(i + 1), (report - t0) / 1e9));
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 10. embedded vs NATS

    private void nats() throws Exception {
        NatsComparison c = new NatsComparison(options, dir("10-nats"), this::detail);
        try {
            c.run();
        } finally {
            synchronized (this) {
                comparison = c;
            }
            for (NatsComparison.Verdict v : c.verdicts()) {
                row(v.scenario(), v.figure(), "Tend <= +"
                        + Math.round(NatsComparison.TARGET_OVERHEAD * 100) + "% over raw jnats", v.verdict());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 9. one million keys within 512 MB of heap

    private void big() throws Exception {
        Path dir = dir("9-big");
        int n = options.bigKeys();
        double writeSeconds = fill(dir, "big", n);
        long onDisk = Support.treeSize(dir);
        detail("data set: " + Support.count(n) + " keys x 128 bytes written by this JVM with Durability.RELAXED"
                + " (1 thread) in " + Support.fixed("%.1f s (%s puts/s)", writeSeconds, Support.count(n / writeSeconds))
                + ", store closed; " + Support.mib(onDisk) + " on disk");
        long probe = n / 2 + 1;
        Path log = data.resolve("9-child.log");
        ChildJvm.Outcome o = ChildJvm.run(List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("open", dir.toString(), "big", Long.toString(probe)), log, Duration.ofMinutes(10));
        Map<String, String> res = o.result();
        boolean ok = o.ok() && "true".equals(res.get("ok"));
        String name = "9. open " + Support.count(n) + " keys, -Xmx512m";
        boolean judged = n == BenchOptions.FULL_BIG_KEYS;
        if (!ok) {
            detail("child JVM -Xmx512m FAILED (exit " + o.exitCode() + "), wall " + Support.millis(o.wallNanos() / 1e6)
                    + "; its output:");
            o.output().lines().limit(40).forEach(l -> detail("  | " + l));
            row(name, "FAILED (exit " + o.exitCode() + ")", "opens within 512 MB heap", judged ? FAIL : "n/a");
            return;
        }
        double ms = Long.parseLong(res.get("totalNanos")) / 1e6;
        long heap = Long.parseLong(res.get("heapAfterGc"));
        long peak = Long.parseLong(res.get("heapPeakSumOfPools"));
        detail("child JVM -Xmx512m (max heap reported " + Support.mib(Long.parseLong(res.get("maxHeap"))) + "): open "
                + Support.millis(Long.parseLong(res.get("openNanos")) / 1e6) + " + bucket "
                + Support.millis(Long.parseLong(res.get("bucketNanos")) / 1e6) + " + get "
                + Support.millis(Long.parseLong(res.get("getNanos")) / 1e6) + " + index load "
                + Support.millis(Long.parseLong(res.get("indexNanos")) / 1e6) + " = " + Support.millis(ms)
                + "; process wall " + Support.millis(o.wallNanos() / 1e6) + "; heap after GC " + Support.mib(heap)
                + "; peak (sum of heap pools' peaks) " + Support.mib(peak));
        row(name, "OK in " + Support.millis(ms) + ", heap after GC " + Support.mib(heap),
                "opens within 512 MB heap", judged ? PASS : "n/a (quick: fewer keys)");
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Ends the run with a thread dump when a scenario hangs, after printing what was measured. */
    private final class Watchdog {
        private Thread thread;

        synchronized void arm(String scenario, Duration limit) {
            disarm();
            Thread main = Thread.currentThread();
            thread = new Thread(() -> {
                try {
                    Thread.sleep(limit.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                out.println();
                out.println("   TIMEOUT: scenario " + scenario + " did not finish within " + limit.toMinutes()
                        + " min; the main thread:");
                for (StackTraceElement e : main.getStackTrace()) {
                    out.println("\tat " + e);
                }
                out.println("   other threads:");
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    if (t != main && t != Thread.currentThread()) {
                        out.println("   \"" + t.getName() + "\" " + t.getState());
                        for (int i = 0; i < Math.min(stack.length, 12); i++) {
                            out.println("\tat " + stack[i]);
                        }
                    }
                });
                synchronized (KvBench.this) {
                    errors.add(scenario + ": timed out after " + limit.toMinutes() + " min");
                    table.add(scenario, "TIMEOUT after " + limit.toMinutes() + " min", "", "ERROR");
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
                out.flush();
                Runtime.getRuntime().halt(3);
            }, "bench-watchdog");
            thread.setDaemon(true);
            thread.start();
        }

        synchronized void disarm() {
            if (thread != null) {
                thread.interrupt();
                thread = null;
            }
        }
    }
}
