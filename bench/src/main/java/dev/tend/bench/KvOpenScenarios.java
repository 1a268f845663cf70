package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tend.bench.KvScenarioContext.FAIL;
import static dev.tend.bench.KvScenarioContext.INFO;
import static dev.tend.bench.KvScenarioContext.PASS;
import static dev.tend.bench.KvScenarioContext.config;
import static dev.tend.bench.KvScenarioContext.verdict;

/**
 * Scenarios 8 and 9 of {@link KvBench}: opening a bucket written beforehand, timed in a fresh JVM ({@link BenchChild}
 * started by {@link ChildJvm}), and the big one opened within 512 MB of heap. Both fill their bucket the same way.
 */
final class KvOpenScenarios {

    private static final double TARGET_OPEN_MS = 2_000;

    private final KvScenarioContext context;
    private final BenchOptions options;

    KvOpenScenarios(KvScenarioContext context) {
        this.context = context;
        this.options = context.options();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 8. open time

    void open() throws Exception {
        Path dir = context.dir("8-open");
        int n = options.openKeys();
        double writeSeconds = fill(dir, "open", n);
        context.detail(Support.count(n) + " keys x 128 bytes written with Durability.RELAXED in "
                + Support.fixed("%.1f s (%s puts/s)", writeSeconds, Support.count(n / writeSeconds))
                + ", store closed; " + Support.mib(Support.treeSize(dir)) + " on disk");
        long probe = n - 1;

        double[] childMs = new double[options.runs()];
        double[] childWallMs = new double[options.runs()];
        for (int r = 0; r < childMs.length; r++) {
            Path log = context.data().resolve("8-child-" + r + ".log");
            ChildJvm.Outcome o = ChildJvm.run(List.of(), List.of("open", dir.toString(), "open",
                    Long.toString(probe)), log, Duration.ofMinutes(5));
            Map<String, String> res = o.result();
            if (!o.ok() || !"true".equals(res.get("ok"))) {
                throw new IllegalStateException("the fresh JVM failed to open the bucket (exit " + o.exitCode()
                        + "): " + o.tail(20));
            }
            childMs[r] = Long.parseLong(res.get("totalNanos")) / 1e6;
            childWallMs[r] = o.wallNanos() / 1e6;
            context.detail(Support.fixed("fresh JVM run %d: open %s + bucket %s + first get %s + index load %s = %s;"
                            + " process wall time %s; heap after GC %s", r + 1,
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
        context.detail("in-process reopen (open + bucket + first get + index load, this warm JVM): "
                + Arrays.stream(inProcessMs).mapToObj(Support::millis).toList());
        context.detail("page cache warm (the files were just written); the fresh-JVM figure is the one judged");
        String name = "8a. open " + Support.count(n) + " keys, fresh JVM";
        boolean judged = n == BenchOptions.FULL_OPEN_KEYS;
        context.row(name, Support.millis(child) + " open+bucket+get+index (" + Support.millis(wall)
                        + " with JVM start)", "<= 2 s (100,000 keys)",
                judged ? verdict(child <= TARGET_OPEN_MS) : "n/a (quick: fewer keys)");
        context.row("8b. open " + Support.count(n) + " keys, in-process", Support.millis(inProcess)
                + " open+bucket+get+index", "(info)", INFO);
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
                    context.detail(Support.fixed("... %s keys written (%.0f s)", Support.count(i + 1),
                            (report - t0) / 1e9));
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 9. one million keys within 512 MB of heap

    void big() throws Exception {
        Path dir = context.dir("9-big");
        int n = options.bigKeys();
        double writeSeconds = fill(dir, "big", n);
        long onDisk = Support.treeSize(dir);
        context.detail("data set: " + Support.count(n) + " keys x 128 bytes written by this JVM with Durability.RELAXED"
                + " (1 thread) in " + Support.fixed("%.1f s (%s puts/s)", writeSeconds, Support.count(n / writeSeconds))
                + ", store closed; " + Support.mib(onDisk) + " on disk");
        long probe = n / 2 + 1;
        Path log = context.data().resolve("9-child.log");
        ChildJvm.Outcome o = ChildJvm.run(List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("open", dir.toString(), "big", Long.toString(probe)), log, Duration.ofMinutes(10));
        Map<String, String> res = o.result();
        boolean ok = o.ok() && "true".equals(res.get("ok"));
        String name = "9. open " + Support.count(n) + " keys, -Xmx512m";
        boolean judged = n == BenchOptions.FULL_BIG_KEYS;
        if (!ok) {
            context.detail("child JVM -Xmx512m FAILED (exit " + o.exitCode() + "), wall "
                    + Support.millis(o.wallNanos() / 1e6) + "; its output:");
            o.output().lines().limit(40).forEach(l -> context.detail("  | " + l));
            context.row(name, "FAILED (exit " + o.exitCode() + ")", "opens within 512 MB heap", judged ? FAIL : "n/a");
            return;
        }
        double ms = Long.parseLong(res.get("totalNanos")) / 1e6;
        long heap = Long.parseLong(res.get("heapAfterGc"));
        long peak = Long.parseLong(res.get("heapPeakSumOfPools"));
        context.detail("child JVM -Xmx512m (max heap reported " + Support.mib(Long.parseLong(res.get("maxHeap")))
                + "): open " + Support.millis(Long.parseLong(res.get("openNanos")) / 1e6) + " + bucket "
                + Support.millis(Long.parseLong(res.get("bucketNanos")) / 1e6) + " + get "
                + Support.millis(Long.parseLong(res.get("getNanos")) / 1e6) + " + index load "
                + Support.millis(Long.parseLong(res.get("indexNanos")) / 1e6) + " = " + Support.millis(ms)
                + "; process wall " + Support.millis(o.wallNanos() / 1e6) + "; heap after GC " + Support.mib(heap)
                + "; peak (sum of heap pools' peaks) " + Support.mib(peak));
        context.row(name, "OK in " + Support.millis(ms) + ", heap after GC " + Support.mib(heap),
                "opens within 512 MB heap", judged ? PASS : "n/a (quick: fewer keys)");
    }
}
