package dev.tend.bench;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;
import dev.tend.kv.nats.NatsServer;
import io.nats.client.Connection;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StorageType;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Scenario 10, embedded vs NATS: the same operations (same keys, 128-byte values, same bucket configs) through the
 * embedded engine, Tend's NATS backend and raw jnats {@code KeyValue} on the same nats-server, in interleaved rounds
 * ({@link Interleaved}), plus raw forced appends next to the sequential puts. Tend's layer is judged by its overhead
 * over raw jnats, per round (the two ran seconds apart), median over the rounds.
 */
final class NatsComparison {

    static final double TARGET_OVERHEAD = 0.10;
    static final String RAW_FSYNC = "raw fsync";
    static final String EMBEDDED = "embedded";
    static final String TEND_NATS = "Tend on NATS";
    static final String RAW_JNATS = "raw jnats";

    private static final int THREADS = 8;
    /** The most puts one watch block records; far above what a block of a few seconds makes. */
    private static final int WATCH_CAPACITY = 500_000;

    /** One judged line: Tend on NATS against raw jnats in one scenario. */
    record Verdict(String scenario, String figure, String verdict) {
    }

    private final KvScenarioContext context;
    private final BenchOptions options;
    private final Path dir;
    private final Consumer<String> detail;
    private final FigureTable table = new FigureTable("SCENARIO", RAW_FSYNC, EMBEDDED, TEND_NATS, RAW_JNATS,
            "TEND VS JNATS", "VERDICT");
    private final List<Verdict> verdicts = new ArrayList<>();
    private final String[] keys = Support.keys(Support.KEYS);
    private final AtomicLong stamp = new AtomicLong(1);
    private final List<String> natsBuckets = new ArrayList<>();
    private final String prefix = "tb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));

    /**
     * jnats' default error listener logs every flow-control reply of a busy watch at INFO through java.util.logging;
     * held here (loggers are weakly referenced) and kept at WARNING for the run.
     */
    private final Logger jnatsLog = Logger.getLogger("io.nats.client");

    private KvStore embedded;
    private KvStore tend;
    private Connection jnats;
    private KeyValueManagement kvm;

    NatsComparison(KvScenarioContext context, Path dir) {
        this.context = context;
        this.options = context.options();
        this.dir = dir;
        this.detail = context::detail;
    }

    FigureTable table() {
        return table;
    }

    List<Verdict> verdicts() {
        return verdicts;
    }

    void run() throws Exception {
        jnatsLog.setLevel(Level.WARNING);
        NatsServer server = null;
        String url = options.natsUrl();
        String skipped = null;
        if (!options.nats()) {
            skipped = "--no-nats";
        } else if (url == null) {
            try {
                NatsServer.locateBinary();
            } catch (IllegalStateException e) {
                skipped = e.getMessage();
            }
            if (skipped == null) {
                server = NatsServer.start();
                url = server.url();
            }
        }
        try {
            embedded = Support.openStore(Files.createDirectories(dir.resolve("embedded")), Durability.DURABLE);
            if (skipped != null) {
                detail.accept("NATS columns SKIPPED: " + skipped + " (--nats nats://host:port uses a running server)");
            } else {
                tend = KvStore.builder().url(url).build();
                jnats = Nats.connect(Options.builder().server(url).connectionName("tend-bench-jnats").build());
                kvm = jnats.keyValueManagement();
                detail.accept("NATS: " + (server != null ? "nats-server " + jnats.getServerInfo().getVersion()
                        + " started by the harness at " + url + ", store in " + server.dir()
                        : "nats-server " + jnats.getServerInfo().getVersion() + " at " + url + " (--nats)")
                        + "; Tend's store and raw jnats each have one connection; buckets " + prefix + "-*");
            }
            detail.accept("variants in each round, order rotating and reversing: " + String.join(", ", columns()) + "; "
                    + options.rounds() + " measured rounds after one warm-up round (at least 1 s each); blocks of "
                    + options.blockMillis() + " ms; values " + Support.VALUE_SIZE + " bytes, " + keys.length
                    + " keys; the embedded store is DURABLE (one fdatasync per write, grouped across threads)");
            sequentialPut();
            parallelPut();
            get();
            history();
            watch();
        } finally {
            close(server);
        }
    }

    private List<String> columns() {
        return tend == null ? List.of(RAW_FSYNC, EMBEDDED) : List.of(RAW_FSYNC, EMBEDDED, TEND_NATS, RAW_JNATS);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The scenarios

    private void sequentialPut() throws Exception {
        List<Interleaved.Variant> variants = new ArrayList<>();
        variants.add(new Interleaved.Variant(RAW_FSYNC, this::forceBlock));
        for (StoreTarget t : targets("seq", 5)) {
            variants.add(new Interleaved.Variant(t.name(), nanos -> putBlock(t, nanos)));
        }
        measure("10a", "sequential put, 1 thread (ops/s)", variants, false);
    }

    private void parallelPut() throws Exception {
        List<Interleaved.Variant> variants = new ArrayList<>();
        for (StoreTarget t : targets("par", 5)) {
            variants.add(new Interleaved.Variant(t.name(), nanos -> parallelPutBlock(t, nanos)));
        }
        measure("10b", "put, " + THREADS + " threads (ops/s)", variants, false);
    }

    private void get() throws Exception {
        List<Interleaved.Variant> variants = new ArrayList<>();
        for (StoreTarget t : targets("get", 1)) {
            fill(t, 1);
            variants.add(new Interleaved.Variant(t.name(), nanos -> getBlock(t, nanos)));
        }
        measure("10c", "get, 1 thread (ops/s)", variants, false);
    }

    private void history() throws Exception {
        List<Interleaved.Variant> variants = new ArrayList<>();
        for (StoreTarget t : targets("hist", 5)) {
            fill(t, 5);
            variants.add(new Interleaved.Variant(t.name(), nanos -> historyBlock(t, nanos)));
        }
        measure("10d", "history(key), 5 entries (ops/s)", variants, false);
    }

    private void watch() throws Exception {
        List<Interleaved.Variant> variants = new ArrayList<>();
        List<AutoCloseable> watches = new ArrayList<>();
        List<WatchProbe> probes = new ArrayList<>();
        try {
            for (StoreTarget t : targets("watch", 1)) {
                WatchProbe probe = new WatchProbe(t);
                watches.add(t.watchUpdates(probe));
                probes.add(probe);
                variants.add(new Interleaved.Variant(t.name(), probe::block));
            }
            measure("10e", "watch, put() call -> listener (p50 ms)", variants, true);
            detail.accept("pooled over the measured rounds: " + probes.stream()
                    .map(p -> p.target.name() + " " + Latency.of(p.pooled()).summary())
                    .collect(Collectors.joining("; ")));
        } finally {
            for (AutoCloseable w : watches) {
                w.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Blocks: each runs for about `nanos` and returns its figure

    private long putLoop(StoreTarget t, String[] keySet, long end) throws Exception {
        long previous = 0;
        long ops = 0;
        do {
            long s = stamp.getAndIncrement();
            long rev = t.put(keySet[(int) (s % keySet.length)], Support.value(s));
            if (rev <= previous) {
                throw new IllegalStateException(t.name() + ": put returned revision " + rev + " after " + previous);
            }
            previous = rev;
            ops++;
        } while (System.nanoTime() < end);
        return ops;
    }

    private double putBlock(StoreTarget t, long nanos) throws Exception {
        long t0 = System.nanoTime();
        long ops = putLoop(t, keys, t0 + nanos);
        return ops / ((System.nanoTime() - t0) / 1e9);
    }

    /** Appends 128-byte records to a fresh file, each followed by {@code force(false)} (fdatasync). */
    private double forceBlock(long nanos) throws Exception {
        Path file = dir.resolve("raw-" + stamp.getAndIncrement() + ".log");
        ByteBuffer record = ByteBuffer.allocateDirect(Support.VALUE_SIZE);
        long ops = 0;
        long t0;
        long t1;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            t0 = System.nanoTime();
            long end = t0 + nanos;
            do {
                record.clear();
                record.putLong(0, ops);
                while (record.hasRemaining()) {
                    ch.write(record);
                }
                ch.force(false);
                ops++;
                t1 = System.nanoTime();
            } while (t1 < end);
        }
        Files.delete(file);
        return ops / ((t1 - t0) / 1e9);
    }

    /** {@value #THREADS} threads, each on its own slice of the keys, put until the block ends; the total rate. */
    private double parallelPutBlock(StoreTarget t, long nanos) throws Exception {
        int slice = keys.length / THREADS;
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        AtomicLong total = new AtomicLong();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicLong endAt = new AtomicLong();
        Thread[] threads = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            String[] own = Arrays.copyOfRange(keys, i * slice, (i + 1) * slice);
            threads[i] = new Thread(() -> {
                try {
                    start.await();
                    total.addAndGet(putLoop(t, own, endAt.get()));
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }, "bench-put-" + i);
        }
        for (Thread thread : threads) {
            thread.start();
        }
        long t0 = System.nanoTime();
        endAt.set(t0 + nanos);
        start.await();
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - t0;
        if (error.get() != null) {
            throw new IllegalStateException(t.name() + ": a put thread failed: " + Support.oneLine(error.get()),
                    error.get());
        }
        return total.get() / (elapsed / 1e9);
    }

    private double getBlock(StoreTarget t, long nanos) throws Exception {
        long t0 = System.nanoTime();
        long end = t0 + nanos;
        long ops = 0;
        long sum = 0;
        do {
            sum += t.get(keys[(int) (ops % keys.length)]);
            ops++;
        } while (System.nanoTime() < end);
        context.consume(sum);
        return ops / ((System.nanoTime() - t0) / 1e9);
    }

    private double historyBlock(StoreTarget t, long nanos) throws Exception {
        long t0 = System.nanoTime();
        long end = t0 + nanos;
        long ops = 0;
        do {
            String key = keys[(int) (ops % keys.length)];
            int n = t.history(key);
            if (n != 5) {
                throw new IllegalStateException(t.name() + ": history(" + key + ") has " + n + " entries, not 5");
            }
            ops++;
        } while (System.nanoTime() < end);
        return ops / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * Times each write of a block from the put() call to the watch listener, paired by revision (the block's writer
     * is the bucket's only one, so its writes have consecutive revisions). A block's figure is its median.
     */
    private static final class WatchProbe implements LongConsumer {
        private final StoreTarget target;
        private final String[] keys = Support.keys(Support.KEYS);
        private final long[] called = new long[WATCH_CAPACITY];
        private final long[] delivered = new long[WATCH_CAPACITY];
        private final AtomicInteger count = new AtomicInteger();
        private final List<long[]> measured = new ArrayList<>();
        private volatile long base = Long.MAX_VALUE;
        private long lastRevision;

        WatchProbe(StoreTarget target) {
            this.target = target;
        }

        @Override
        public void accept(long revision) {
            long i = revision - base - 1;
            if (i >= 0 && i < WATCH_CAPACITY) {
                delivered[(int) i] = System.nanoTime();
                count.incrementAndGet();
            }
        }

        double block(long nanos) throws Exception {
            count.set(0);
            base = lastRevision;
            long end = System.nanoTime() + nanos;
            int ops = 0;
            do {
                called[ops] = System.nanoTime();
                long rev = target.put(keys[ops % keys.length], Support.value(ops));
                if (rev != base + ops + 1) {
                    throw new IllegalStateException(target.name() + ": put returned revision " + rev + ", not "
                            + (base + ops + 1));
                }
                ops++;
            } while (System.nanoTime() < end && ops < WATCH_CAPACITY);
            lastRevision = base + ops;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (count.get() < ops) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(target.name() + ": the watch delivered " + count.get() + " of "
                            + ops + " writes within 30 s");
                }
                Thread.sleep(1);
            }
            base = Long.MAX_VALUE;
            long[] micros = new long[ops];
            for (int i = 0; i < ops; i++) {
                micros[i] = (delivered[i] - called[i]) / 1_000;
            }
            measured.add(micros);
            return Latency.of(micros).p(50);
        }

        /** Every measured sample (the warm-up block's are the first array, left out). */
        long[] pooled() {
            return measured.stream().skip(1).flatMapToLong(Arrays::stream).toArray();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Buckets

    /** A fresh bucket of the given history for each variant: embedded, then Tend on NATS and raw jnats. */
    private List<StoreTarget> targets(String what, int history) throws Exception {
        List<StoreTarget> targets = new ArrayList<>();
        targets.add(new TendTarget(EMBEDDED, embedded.create(BucketConfig.builder(what).history(history).build())));
        if (tend == null) {
            return targets;
        }
        String tendName = prefix + "-tend-" + what;
        String rawName = prefix + "-jnats-" + what;
        natsBuckets.add(tendName);
        targets.add(new TendTarget(TEND_NATS, tend.create(BucketConfig.builder(tendName).history(history).build())));
        natsBuckets.add(rawName);
        kvm.create(KeyValueConfiguration.builder().name(rawName).maxHistoryPerKey(history)
                .storageType(StorageType.File).replicas(1).build());
        String tendConfig = describe(kvm.getStatus(tendName));
        String rawConfig = describe(kvm.getStatus(rawName));
        if (!tendConfig.equals(rawConfig)) {
            throw new IllegalStateException("the two NATS buckets differ: Tend's " + tendConfig + "; jnats' "
                    + rawConfig);
        }
        detail.accept("buckets \"" + what + "\": the same config on NATS for both (" + tendConfig + ")");
        targets.add(new JnatsTarget(RAW_JNATS, jnats.keyValue(rawName)));
        return targets;
    }

    private static String describe(KeyValueStatus s) {
        return "history " + s.getMaxHistoryPerKey() + ", " + s.getStorageType() + " storage, " + s.getReplicas()
                + " replica(s), ttl " + s.getTtl() + ", max value size " + s.getMaxValueSize() + ", max bucket size "
                + s.getMaxBucketSize() + ", direct get " + s.getBackingStreamInfo().getConfiguration().getAllowDirect();
    }

    /** Writes every key {@code times} times, the same values in every variant. */
    private void fill(StoreTarget t, int times) throws Exception {
        for (int round = 0; round < times; round++) {
            for (int i = 0; i < keys.length; i++) {
                t.put(keys[i], Support.value(round));
            }
        }
    }

    private void close(NatsServer server) {
        try {
            if (kvm != null && !natsBuckets.isEmpty()) {
                for (String name : natsBuckets) {
                    try {
                        kvm.delete(name);
                    } catch (Exception e) {
                        detail.accept("could not delete NATS bucket " + name + ": " + Support.oneLine(e));
                    }
                }
            }
            if (tend != null) {
                tend.close();
            }
            if (jnats != null) {
                jnats.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Figures

    private void measure(String id, String label, List<Interleaved.Variant> variants, boolean latency)
            throws Exception {
        detail.accept(id + ". " + label + ": start, " + KvBench.loadAverage());
        Interleaved.Figures figures = Interleaved.run(variants, options.rounds(), options.blockMillis() * 1_000_000L);
        double[][] f = figures.figure();
        List<String> names = variants.stream().map(Interleaved.Variant::name).toList();
        for (int v = 0; v < f.length; v++) {
            Runs runs = new Runs(f[v]);
            detail.accept(Support.fixed("  %-13s median %s, min %s, max %s; rounds %s", names.get(v),
                    format(runs.median(), latency), format(runs.min(), latency), format(runs.max(), latency),
                    Arrays.stream(f[v]).mapToObj(x -> format(x, latency)).collect(Collectors.joining(" / ")))
                    + (latency ? "" : Support.fixed("; CPU of this JVM per op: median %.1f us",
                    cpuMicrosPerOp(figures, v))));
        }
        String[] row = new String[7];
        row[0] = id + ". " + label;
        for (int c = 1; c <= 4; c++) {
            int v = names.indexOf(table.header(c));
            row[c] = v >= 0 ? cell(f[v], latency)
                    : c == 1 ? "-" : tend == null ? "skipped" : "-";
        }
        int tendIdx = names.indexOf(TEND_NATS);
        int rawIdx = names.indexOf(RAW_JNATS);
        if (tendIdx < 0 || rawIdx < 0) {
            row[5] = "n/a";
            row[6] = "-";
        } else {
            // Extra time per operation of Tend's layer, paired within each round.
            double[] overhead = new double[options.rounds()];
            for (int r = 0; r < overhead.length; r++) {
                double t = f[tendIdx][r];
                double j = f[rawIdx][r];
                overhead[r] = (latency ? t / j : j / t) - 1;
            }
            double median = Support.median(overhead);
            Runs spread = new Runs(overhead);
            row[5] = Support.fixed("%+.1f%% (%+.0f..%+.0f)", median * 100, spread.min() * 100, spread.max() * 100);
            boolean pass = median <= TARGET_OVERHEAD;
            // Two blocks of a quarter second swing by tens of percent on a busy host: no verdict from a smoke run.
            String verdict = options.quick() ? "n/a (quick)" : pass ? "PASS" : "FAIL";
            row[6] = verdict;
            // The JVM's CPU time per operation hardly moves with the host's load: a second view of the layer's cost.
            String cpu = latency ? "" : Support.fixed("; CPU/op %+.0f%%",
                    (cpuMicrosPerOp(figures, tendIdx) / cpuMicrosPerOp(figures, rawIdx) - 1) * 100);
            detail.accept("  Tend on NATS over raw jnats, per round: " + Arrays.stream(overhead)
                    .mapToObj(x -> Support.fixed("%+.1f%%", x * 100)).collect(Collectors.joining(" / "))
                    + Support.fixed("; median %+.1f%% (target <= +%.0f%%)", median * 100, TARGET_OVERHEAD * 100)
                    + cpu);
            verdicts.add(new Verdict(id + ". " + label, Support.fixed("%+.1f%%: Tend %s, jnats %s%s", median * 100,
                    format(Support.median(f[tendIdx]), latency), format(Support.median(f[rawIdx]), latency), cpu),
                    verdict));
        }
        table.add(row);
        detail.accept(id + ". end, " + KvBench.loadAverage());
    }

    /** The JVM's CPU time per operation in a throughput block (rate x wall time = operations), median of rounds. */
    private static double cpuMicrosPerOp(Interleaved.Figures figures, int v) {
        double[] perOp = new double[figures.figure()[v].length];
        for (int r = 0; r < perOp.length; r++) {
            double ops = figures.figure()[v][r] * figures.wallNanos()[v][r] / 1e9;
            perOp[r] = figures.cpuNanos()[v][r] / 1e3 / ops;
        }
        return Support.median(perOp);
    }

    /** {@code 6,012 (5,801-6,302)}: median and range. */
    private static String cell(double[] figures, boolean latency) {
        Runs runs = new Runs(figures);
        return format(runs.median(), latency) + " (" + format(runs.min(), latency) + "-"
                + format(runs.max(), latency) + ")";
    }

    private static String format(double x, boolean latency) {
        return latency ? Support.fixed("%.3f", x / 1000) : Support.count(x);
    }
}
