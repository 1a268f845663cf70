package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.TestLocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Power loss under group commit: several threads put at once (so batches of writes share one force) and the
 * machine stops at the N-th file operation, for N over the whole run. Every put that returned must be on disk
 * afterwards, exactly, under its revision. The crash is reported to the engine as an I/O error (threads go on
 * running here, unlike in a real power loss), so its usual failure handling runs.
 *
 * <p>Seed: {@code -Dtend.powerloss.seed=N} (thread timing still varies from run to run).
 */
@ResourceLock(value = TestLocks.CPU, mode = ResourceAccessMode.READ)
class ConcurrentPowerLossTest {
    private static final int THREADS = 4;
    private static final int PUTS_PER_THREAD = 12;

    @TempDir
    Path tmp;

    record Ack(long revision, String key, byte[] value) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void acknowledgedWritesOfConcurrentWritersSurvivePowerLoss() throws Exception {
        long seed = Long.getLong("tend.powerloss.seed", System.nanoTime());
        System.out.println("ConcurrentPowerLossTest seed=" + seed + " (repeat with -Dtend.powerloss.seed=" + seed + ")");
        // How many operations a whole run takes (it varies a little with the batching).
        PowerLossStorageIo dry = new PowerLossStorageIo(false, seed).crashAsIOException();
        run(tmp.resolve("dry"), dry);
        long total = dry.operations();
        System.out.println("ConcurrentPowerLossTest: about " + total + " mutating operations per run");
        List<String> failures = new ArrayList<>();
        int acknowledgedTotal = 0;
        for (long n = 1; n <= total; n++) {
            Path dir = tmp.resolve("crash-" + n);
            PowerLossStorageIo io = new PowerLossStorageIo(false, seed * 7 + n).crashAsIOException().crashAt(n);
            List<Ack> acks = run(dir, io);
            acknowledgedTotal += acks.size();
            String loss = java.nio.file.Files.exists(dir) ? io.simulatePowerLoss(dir, new Random(seed + n)) : "";
            String failure = verify(dir, acks);
            if (failure != null) {
                failures.add("crash point " + n + " of seed " + seed + ": " + failure + "\npower loss:\n" + loss);
            }
        }
        System.out.println("ConcurrentPowerLossTest: " + total + " crash points, " + acknowledgedTotal
                + " acknowledged puts checked");
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + total + " crash points fail; the first:\n"
                    + String.join("\n\n", failures.subList(0, Math.min(3, failures.size()))));
        }
    }

    /** Creates the bucket and runs the writers until they are done or the machine is down. */
    private static List<Ack> run(Path dir, PowerLossStorageIo io) throws InterruptedException {
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        KvStore store = null;
        try {
            store = TestStores.open(dir, io);
            Bucket bucket = store.create(BucketConfig.builder("cc").history(64).build());
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < PUTS_PER_THREAD; i++) {
                            String key = (i % 3 == 0 ? "shared." : "t" + me + ".") + (i % 2);
                            byte[] value = CrashValues.make(key, me, i, i % 5 == 0 ? 9_000 : 150);
                            long rev = bucket.put(key, value);
                            acks.add(new Ack(rev, key, value));
                        }
                    } catch (Exception e) {
                        if (!io.crashed()) {
                            acks.add(new Ack(-1, "failure without a crash: " + e, new byte[0]));
                        }
                    }
                }, "writer-" + t);
                threads.add(th);
                th.start();
            }
            start.countDown();
            for (Thread th : threads) {
                th.join(60_000);
            }
        } catch (Exception e) {
            if (!io.crashed()) {
                acks.add(new Ack(-1, "failure without a crash: " + e, new byte[0]));
            }
        } finally {
            TestStores.closeQuietly(store, 10_000);
        }
        return new ArrayList<>(acks);
    }

    /** Null when every acknowledged put is there exactly and nothing is damaged; else what is wrong. */
    private static String verify(Path dir, List<Ack> acks) {
        for (Ack a : acks) {
            if (a.revision() < 0) {
                return a.key();
            }
        }
        try (KvStore store = TestStores.open(dir, new NioStorageIo())) {
            if (!store.exists("cc")) {
                return acks.isEmpty() ? null : "the bucket is gone but " + acks.size() + " puts were acknowledged";
            }
            Bucket b = store.bucket("cc");
            Set<Long> seen = new HashSet<>();
            long max = 0;
            for (String key : b.keys()) {
                for (Entry e : b.history(key)) {
                    if (!seen.add(e.revision())) {
                        return "revision " + e.revision() + " appears twice";
                    }
                    max = Math.max(max, e.revision());
                    try {
                        CrashValues.decode(e.value());
                    } catch (IllegalStateException bad) {
                        return e + " is damaged: " + bad.getMessage();
                    }
                }
            }
            for (Ack a : acks) {
                Optional<Entry> e = b.get(a.key(), a.revision());
                if (e.isEmpty()) {
                    return "acknowledged put of " + a.key() + " at revision " + a.revision() + " is lost; history "
                            + b.history(a.key()).stream().map(Entry::revision).toList();
                }
                if (!java.util.Arrays.equals(e.get().value(), a.value())) {
                    return "acknowledged put of " + a.key() + " at revision " + a.revision() + " reads back as "
                            + CrashValues.preview(e.get().value());
                }
            }
            long rev = b.put("after", CrashValues.make("after", 9, 1));
            if (rev <= max) {
                return "a put after recovery got revision " + rev + ", not above " + max;
            }
            return null;
        } catch (Exception e) {
            return "reopening failed: " + e;
        }
    }
}
