package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;

import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The main class of the child JVMs that {@link KvBench} starts (same classpath as the harness).
 *
 * <ul>
 *   <li>{@code watch-writer DIR BUCKET WARM OPS RESULT_FILE}: opens the store and makes {@code WARM + OPS} durable
 *   puts. Each value carries, in its first 8 bytes, the wall-clock time (epoch microseconds) just before the put was
 *   called; the wall-clock time just after each put returned is written, with the put's revision, to
 *   {@code RESULT_FILE} at the end (the value cannot carry the time its own put returned).</li>
 *   <li>{@code open DIR BUCKET KEY_INDEX}: times {@code KvStore.open} + {@code bucket(name)} + the first
 *   {@code get} (a point read: the snapshot and the log, no index) + {@code status()} (which loads the whole index),
 *   checks the value, then reports the heap in use after a full GC, the index in it. Prints one {@code RESULT}
 *   line.</li>
 *   <li>{@code put}, {@code puts}, {@code probe} and {@code handoff}: a writer process of scenario 11 ({@link WriterProcess}).</li>
 * </ul>
 */
public final class BenchChild {

    private BenchChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BenchChild watch-writer|open|put|puts|probe|handoff ...");
            System.exit(2);
        }
        switch (args[0]) {
            case "watch-writer" -> watchWriter(Path.of(args[1]), args[2], Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Path.of(args[5]));
            case "open" -> open(Path.of(args[1]), args[2], Long.parseLong(args[3]));
            case "put" -> WriterProcess.put(Path.of(args[1]), args[2], Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Path.of(args[5]), Long.parseLong(args[6]), Path.of(args[7]));
            case "puts" -> WriterProcess.puts(Path.of(args[1]), args[2], Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Path.of(args[5]), Long.parseLong(args[6]));
            case "handoff" -> WriterProcess.handoff(Path.of(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Path.of(args[4]), Long.parseLong(args[5]), Path.of(args[6]));
            case "probe" -> WriterProcess.probe(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]),
                    Path.of(args[4]));
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void watchWriter(Path dir, String bucketName, int warm, int ops, Path resultFile)
            throws IOException {
        int total = warm + ops;
        long[] revisions = new long[total];
        long[] returned = new long[total];
        String[] keys = Support.keys(Support.KEYS);
        try (KvStore store = Support.openStore(dir, Durability.DURABLE)) {
            Bucket bucket = store.bucket(bucketName);
            for (int i = 0; i < total; i++) {
                byte[] value = Support.value(Support.wallMicros());
                revisions[i] = bucket.put(keys[i % keys.length], value);
                returned[i] = Support.wallMicros();
            }
        }
        Path tmp = resultFile.resolveSibling(resultFile.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
            out.writeInt(total);
            for (int i = 0; i < total; i++) {
                out.writeLong(revisions[i]);
                out.writeLong(returned[i]);
            }
        }
        Files.move(tmp, resultFile);
    }

    private static void open(Path dir, String bucketName, long keyIndex) {
        long t0 = System.nanoTime();
        KvStore store = Support.openStore(dir, Durability.DURABLE);
        long t1 = System.nanoTime();
        Bucket bucket = store.bucket(bucketName);
        long t2 = System.nanoTime();
        Optional<Entry> got = bucket.get(Support.key(keyIndex));
        long t3 = System.nanoTime();
        // The whole index, as a process that writes or lists keys loads it: what the heap figure is about.
        long values = bucket.status().values();
        long t4 = System.nanoTime();
        boolean ok = got.isPresent() && Arrays.equals(got.get().value(), Support.value(keyIndex)) && values > keyIndex;
        System.gc();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long jvmStartToMain = ManagementFactory.getRuntimeMXBean().getUptime() - (t4 - t0) / 1_000_000;
        System.out.println("RESULT ok=" + ok
                + " found=" + got.isPresent()
                + " openNanos=" + (t1 - t0)
                + " bucketNanos=" + (t2 - t1)
                + " getNanos=" + (t3 - t2)
                + " indexNanos=" + (t4 - t3)
                + " totalNanos=" + (t4 - t0)
                + " heapAfterGc=" + used
                + " heapPeakSumOfPools=" + peak
                + " maxHeap=" + rt.maxMemory()
                + " jvmUptimeBeforeOpenMs=" + jvmStartToMain);
        System.out.flush();
        store.close();
    }
}
