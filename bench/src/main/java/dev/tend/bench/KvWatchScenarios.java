package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tend.bench.KvScenarioContext.config;
import static dev.tend.bench.KvScenarioContext.verdict;

/**
 * Scenarios 5 and 6 of {@link KvBench}: how long a write takes to reach a watch, in the writing JVM and in another
 * one. Both write to a fresh bucket, so put <i>n</i> has revision <i>n</i>, and pair each put with its delivery by
 * revision ({@link Delivery} checks that every revision arrives once, in order).
 */
final class KvWatchScenarios {

    private static final long TARGET_WATCH_P99_US = 1_000;
    private static final long TARGET_XWATCH_P50_US = 5_000;

    private final KvScenarioContext context;
    private final BenchOptions options;

    KvWatchScenarios(KvScenarioContext context) {
        this.context = context;
        this.options = context.options();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. watch latency in-process

    void watchInProcess() throws Exception {
        int warm = options.warmPuts();
        int ops = options.watchOps();
        int total = warm + ops;
        long[] returned = new long[total];
        long[] delivered = new long[total];
        Delivery delivery = new Delivery(total);
        String[] keys = Support.keys(Support.KEYS);
        long putNanos;
        try (KvStore store = Support.openStore(context.dir("5-watch"), Durability.DURABLE)) {
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
        Double seqRate = context.sequentialPutRate();
        context.detail("watch (updates only, every key) in the writing JVM; " + Support.count(warm) + " warm-up + "
                + Support.count(ops) + " measured durable puts back to back ("
                + Support.count(total / (putNanos / 1e9)) + " puts/s"
                + (seqRate == null ? "" : "; scenario 2, without a watch: " + Support.count(seqRate) + " puts/s")
                + "); latency = System.nanoTime() in the listener minus System.nanoTime() after put() returned,"
                + " paired by revision");
        context.detail(latency.detail());
        context.row("5. watch latency, in-process", latency.summary(), "p99 <= 1 ms",
                verdict(latency.p(99) <= TARGET_WATCH_P99_US));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. watch latency cross-process

    void watchCrossProcess() throws Exception {
        int warm = Math.max(100, options.warmPuts() / 2);
        int ops = options.xprocOps();
        int total = warm + ops;
        long[] deliveredMicros = new long[total];
        long[] calledMicros = new long[total];
        Delivery delivery = new Delivery(total);
        Path dir = context.dir("6-xwatch");
        Path resultFile = context.data().resolve("6-child-result.bin");
        Path log = context.data().resolve("6-child.log");
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
        context.detail("child JVM (same classpath) opens the store and makes " + Support.count(warm) + " warm-up + "
                + Support.count(ops) + " measured durable puts back to back ("
                + (writerSeconds > 0 ? Support.count((ops - 1) / writerSeconds) : "?") + " puts/s); this JVM watches");
        context.detail("clock: wall clock in epoch microseconds (Clock.systemUTC(), CLOCK_REALTIME, shared by both"
                + " JVMs); the child records the time after each put() returned and sends it with the revision after"
                + " the run (a value cannot carry the time its own put returned), and writes the time before the call"
                + " into the value's first 8 bytes");
        context.detail("from put() return: " + afterReturn.detail());
        context.detail("from put() call:   " + afterCall.detail());
        context.row("6. watch latency, cross-process", afterReturn.summary() + " (from put return)", "p50 <= 5 ms",
                verdict(afterReturn.p(50) <= TARGET_XWATCH_P50_US));
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
}
