package dev.tend.kv.contract;

import dev.tend.kv.BackendGuarantees;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The base of every contract class. A backend's test subclass only says how to open a store; each test gets a
 * fresh store ({@link #store}) on a controllable {@link #clock}, and its buckets are removed afterwards so a
 * shared server (NATS) stays clean.
 *
 * <p>Guarantees come from {@link KvStore#guarantees()}: tests check the strong form where the backend declares
 * it and the weak form elsewhere; they never test which backend they run on.
 */
public abstract class KvContractSupport {

    /**
     * How long a test waits for something asynchronous (a watch delivery, writing threads) before failing. Generous:
     * test classes run side by side on a machine that may be loaded (600 durable puts have taken over 10 s); a test
     * ends its wait as soon as what it waits for happened, and never waits for this to pass.
     */
    protected static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final AtomicInteger BUCKET_COUNTER = new AtomicInteger();
    /** Distinguishes runs that share a server; the embedded store gets a fresh directory anyway. */
    private static final String RUN = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);

    protected MutableClock clock;
    protected KvStore store;

    private final List<KvStore> opened = new ArrayList<>();
    private final List<String> createdBuckets = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();

    /** Opens a store of the backend under test. A backend that keeps its own time may ignore the clock. */
    protected abstract KvStore openStore(Clock clock);

    /** True when the store stamps and ages entries with the clock given to {@link #openStore}. */
    protected boolean controlsTime() {
        return true;
    }

    @BeforeEach
    void openFreshStore() {
        clock = new MutableClock();
        store = open();
    }

    @AfterEach
    void cleanUp() {
        for (Watch w : watches) {
            quietly(w::close);
        }
        for (KvStore s : opened) {
            for (String name : createdBuckets) {
                quietly(() -> {
                    if (s.exists(name)) {
                        s.delete(name);
                    }
                });
            }
            quietly(s::close);
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (KvException e) {
            // Cleanup only: a closed store or an already removed bucket is fine here.
        }
    }

    /**
     * The clock the stores of a test are opened with: the test's {@link #clock}, or the system clock for a contract
     * that lets real time pass (a backend keeping its own time cannot follow a mutable clock).
     */
    protected Clock storeClock() {
        return clock;
    }

    /** Opens another store of the backend on the same clock; it is closed after the test. */
    protected KvStore open() {
        KvStore s = openStore(storeClock());
        opened.add(s);
        return s;
    }

    protected BackendGuarantees guarantees() {
        return store.guarantees();
    }

    /** Skips a test that moves the clock when the backend keeps its own time. */
    protected void assumeControlsTime() {
        assumeTrue(controlsTime(), "the backend keeps its own time; this test moves the clock");
    }

    // ---- buckets

    /** A bucket name no other test (or run) uses; remembered for cleanup. */
    protected String newBucketName() {
        String name = "ct_" + RUN + "_" + BUCKET_COUNTER.incrementAndGet();
        createdBuckets.add(name);
        return name;
    }

    /** Remembers a bucket name chosen by the test, for cleanup. */
    protected String track(String name) {
        createdBuckets.add(name);
        return name;
    }

    /** A config builder for a fresh bucket, starting from the API defaults (history 1). */
    protected BucketConfig.Builder newConfig() {
        return BucketConfig.builder(newBucketName());
    }

    /** A fresh bucket with the API defaults. */
    protected Bucket newBucket() {
        return store.create(newConfig().build());
    }

    /** A fresh bucket with the defaults changed by {@code settings}. */
    protected Bucket newBucket(UnaryOperator<BucketConfig.Builder> settings) {
        return store.create(settings.apply(newConfig()).build());
    }

    /** A fresh bucket keeping {@code history} entries per key. */
    protected Bucket newBucketWithHistory(int history) {
        return newBucket(b -> b.history(history));
    }

    // ---- watches

    protected WatchRecorder recorder() {
        return new WatchRecorder(TIMEOUT);
    }

    /** Starts a watch that is closed after the test. */
    protected Watch watch(Bucket bucket, List<String> filters, WatchOptions options, WatchRecorder recorder) {
        Watch w = bucket.watch(filters, options, recorder);
        watches.add(w);
        return w;
    }

    // ---- values and entries

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An entry in a form that reads well in assertion failures: {@code key=value}, {@code key DEL}. */
    public static String show(Entry e) {
        return e.operation() == Operation.PUT ? e.key() + "=" + e.valueAsString() : e.key() + " " + e.operation();
    }

    protected static List<String> show(List<Entry> entries) {
        return entries.stream().map(KvContractSupport::show).toList();
    }

    protected static List<Long> revisions(List<Entry> entries) {
        return entries.stream().map(Entry::revision).toList();
    }

    /** Asserts that the revisions are strictly increasing. */
    protected static void assertStrictlyIncreasing(List<Long> revisions) {
        for (int i = 1; i < revisions.size(); i++) {
            assertThat(revisions.get(i)).as("revision after %s in %s", revisions.get(i - 1), revisions)
                    .isGreaterThan(revisions.get(i - 1));
        }
    }
}
