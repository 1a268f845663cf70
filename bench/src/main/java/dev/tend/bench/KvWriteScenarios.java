package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static dev.tend.bench.KvScenarioContext.INFO;
import static dev.tend.bench.KvScenarioContext.config;
import static dev.tend.bench.KvScenarioContext.runCount;
import static dev.tend.bench.KvScenarioContext.verdict;

/**
 * Scenarios 1 to 3 of {@link KvBench}: the disk's raw force rate, sequential durable puts, and puts from 8 threads.
 * Together because 2 and 3 measure against the same kind of raw forced appends and the same put loop, and 2 compares
 * with 1.
 */
final class KvWriteScenarios {

    private static final String TARGET_SEQ = ">= 80% of raw force rate";
    private static final String TARGET_PAR = ">= 5x sequential";

    private final KvScenarioContext context;
    private final BenchOptions options;
    /** Each put's value carries the next stamp, so no two puts write the same bytes. */
    private long stamp = 1;
    /** Scenario 1's median, which scenario 2 prints next to its own; null until (or unless) it ran. */
    private Double rawRate;

    KvWriteScenarios(KvScenarioContext context) {
        this.context = context;
        this.options = context.options();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. raw disk force rate

    void rawForce() throws IOException {
        Path dir = context.dir("1-raw");
        int warm = Math.max(200, options.warmPuts() / 2);
        forceLoop(dir.resolve("warmup.log"), warm);
        double[] rates = new double[options.runs()];
        for (int r = 0; r < rates.length; r++) {
            long nanos = forceLoop(dir.resolve("run-" + r + ".log"), options.rawOps());
            rates[r] = options.rawOps() / (nanos / 1e9);
        }
        Runs runs = new Runs(rates);
        rawRate = runs.median();
        context.detail("warm-up " + Support.count(warm) + " forces; " + runCount(rates.length) + " of "
                + Support.count(options.rawOps()) + " appends, each followed by force(false)");
        context.detail(runs.detail() + "; " + Support.micros(1e6 / runs.median()) + " per force");
        context.row("1. raw disk force rate", runs.figure(), "(the physical limit)", INFO);
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

    void sequentialPut() throws IOException {
        String[] keys = Support.keys(Support.KEYS);
        int blocks = blocks();
        int perBlock = Math.max(1, options.putOps() / blocks);
        int perRun = perBlock * blocks;
        double[] rates = new double[options.runs()];
        double[] pairedRaw = new double[options.runs()];
        double[] shares = new double[options.runs()];
        Path rawDir = context.dir("2-raw");
        long puts = 0;
        try (KvStore store = Support.openStore(context.dir("2-seq"), Durability.DURABLE)) {
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
        context.sequentialPutRate(runs.median());
        double share = Support.median(shares);
        context.detail("store opened with default durability (DURABLE); bucket history 5; warm-up "
                + Support.count(options.warmPuts()) + " puts; " + runCount(rates.length) + " of "
                + Support.count(perRun) + " puts cycling over " + Support.count(keys.length) + " keys, in " + blocks
                + " blocks alternating with blocks of as many raw forced appends");
        context.detail("puts: " + runs.detail() + "; " + Support.micros(1e6 / runs.median()) + " per put");
        context.detail("raw forces alternating with them: " + new Runs(pairedRaw).detail());
        context.detail("put rate / raw rate per run: " + Arrays.stream(shares)
                .mapToObj(x -> Support.fixed("%.0f%%", x * 100)).toList() + Support.fixed("; median %.0f%%",
                share * 100) + (rawRate == null ? ""
                : Support.fixed("; vs scenario 1's median %.0f%%", runs.median() / rawRate * 100)));
        context.row("2. sequential durable put", runs.figure() + Support.fixed(" = %.0f%% of raw", share * 100),
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

    /** Synchronized: scenario 3's threads put at the same time. */
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

    void parallelPut() throws Exception {
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
        try (KvStore store = Support.openStore(context.dir("3-par"), Durability.DURABLE)) {
            Bucket bucket = store.create(config("par", 5));
            int warm = Math.max(1, options.warmPuts() / threads);
            StartedTogether.run(threads, t -> putLoop(bucket, keys, t * slice, warm));
            puts += (long) warm * threads;
            for (int r = 0; r < rates.length; r++) {
                // Alternate blocks of 8-thread puts with blocks of 1-thread puts on the same store, so that the
                // ratio does not depend on how the disk's speed drifts between scenarios.
                long parNanos = 0;
                long seqNanos = 0;
                for (int k = 0; k < blocks; k++) {
                    int offset = k * perBlock;
                    if (k % 2 == 0) {
                        parNanos += StartedTogether.run(threads, t -> putLoop(bucket, slice(keys, t * slice, slice),
                                offset, perThread));
                    }
                    long t0 = System.nanoTime();
                    puts += putLoop(bucket, keys, offset, perBlock);
                    seqNanos += System.nanoTime() - t0;
                    if (k % 2 == 1) {
                        parNanos += StartedTogether.run(threads, t -> putLoop(bucket, slice(keys, t * slice, slice),
                                offset, perThread));
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
        Double seqRate = context.sequentialPutRate();
        context.detail("one store (DURABLE), one bucket; " + runCount(rates.length) + " of " + Support.count(perRun)
                + " puts by " + threads + " threads (each on its own " + slice + " keys), in " + blocks
                + " blocks alternating with blocks of as many puts by 1 thread");
        context.detail("8 threads: " + runs.detail());
        context.detail("1 thread alternating with them: " + new Runs(oneThread).detail());
        context.detail("8 threads / 1 thread per run: " + Arrays.stream(times)
                .mapToObj(x -> Support.fixed("%.1fx", x)).toList() + Support.fixed("; median %.1fx", ratio)
                + (seqRate == null ? "" : Support.fixed("; vs scenario 2's median %.1fx", runs.median() / seqRate)));
        context.row("3. put, 8 threads", runs.figure() + Support.fixed(" = %.1fx 1 thread", ratio), TARGET_PAR,
                verdict(ratio >= 5));
    }

    private static String[] slice(String[] keys, int from, int n) {
        return Arrays.copyOfRange(keys, from, from + n);
    }
}
