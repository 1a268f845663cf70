package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.tend.bench.KvScenarioContext.INFO;
import static dev.tend.bench.KvScenarioContext.config;
import static dev.tend.bench.KvScenarioContext.runCount;
import static dev.tend.bench.KvScenarioContext.verdict;

/**
 * Scenarios 4 and 7 of {@link KvBench}: get and history(key). Both write their keys with relaxed durability, reopen
 * the store, check every value they will read, then time reads alone.
 */
final class KvReadScenarios {

    private static final double TARGET_GET = 500_000;

    private final KvScenarioContext context;
    private final BenchOptions options;

    KvReadScenarios(KvScenarioContext context) {
        this.context = context;
        this.options = context.options();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. get

    void get() throws Exception {
        Path dir = context.dir("4-get");
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
            StartedTogether.run(2, t -> getLoop(bucket, keys, ops / 4));
            for (int r = 0; r < one.length; r++) {
                long t0 = System.nanoTime();
                getLoop(bucket, keys, ops);
                one[r] = ops / ((System.nanoTime() - t0) / 1e9);
                long nanos = StartedTogether.run(2, t -> getLoop(bucket, keys, ops));
                two[r] = 2.0 * ops / (nanos / 1e9);
            }
        }
        Runs r1 = new Runs(one);
        Runs r2 = new Runs(two);
        context.detail(Support.count(keys.length) + " keys written (setup with Durability.RELAXED), store reopened; "
                + runCount(one.length) + " of " + Support.count(ops) + " gets per thread, after a warm-up");
        context.detail("1 thread:  " + r1.detail());
        context.detail("2 threads: " + r2.detail() + Support.fixed(" (%.2fx 1 thread)", r2.median() / r1.median()));
        context.row("4a. get, 1 thread", r1.figure(), ">= " + Support.count(TARGET_GET) + " ops/s",
                verdict(r1.median() >= TARGET_GET));
        context.row("4b. get, 2 threads (total)", r2.figure(), ">= " + Support.count(TARGET_GET) + " ops/s",
                verdict(r2.median() >= TARGET_GET));
    }

    private void getLoop(Bucket bucket, String[] keys, int ops) {
        long sum = 0;
        for (int i = 0; i < ops; i++) {
            Optional<Entry> e = bucket.get(keys[i % keys.length]);
            if (e.isEmpty()) {
                throw new IllegalStateException("get(" + keys[i % keys.length] + ") returned nothing");
            }
            sum += e.get().revision();
        }
        context.consume(sum);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 7. history

    void history() throws Exception {
        Path dir = context.dir("7-history");
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
        context.detail(Support.count(keys.length) + " keys x " + perKey + " puts (setup with Durability.RELAXED), "
                + "bucket history " + perKey + ", store reopened; " + runCount(rates.length) + " of "
                + Support.count(ops) + " history() calls, 1 thread");
        context.detail(runs.detail());
        context.row("7. history(key), 5 entries", runs.figure(), "(no target)", INFO);
    }

    private void historyLoop(Bucket bucket, String[] keys, int ops) {
        long sum = 0;
        for (int i = 0; i < ops; i++) {
            List<Entry> h = bucket.history(keys[i % keys.length]);
            sum += h.size();
        }
        if (sum != 5L * ops) {
            throw new IllegalStateException("history() returned " + sum + " entries over " + ops + " calls, not "
                    + 5L * ops);
        }
        context.consume(sum);
    }
}
