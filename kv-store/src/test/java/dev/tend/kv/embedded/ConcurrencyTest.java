package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.TestLocks;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.WrongRevisionException;
import dev.tend.kv.embedded.MultiProcessTest.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Many threads of one process writing (puts on their own and on shared keys, deletes, compare-and-set counters)
 * while several watchers watch: each watcher gets every matching revision exactly once and in order, no counter
 * update is lost, and the final reads match the last writes. Per-key writes stay within the history limit, so
 * nothing is compacted away and no watcher can legitimately fall behind.
 */
@ResourceLock(value = TestLocks.CPU, mode = ResourceAccessMode.READ)
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ITERATIONS = 80;
    private static final int HISTORY = 64;

    @TempDir
    Path tmp;

    /** A write as its writer saw it return. */
    record Write(long revision, String key, Operation operation, String value) {
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void concurrentWritersAndWatchers() throws Exception {
        try (KvStore store = KvStore.builder().directory(tmp.resolve("store")).build()) {
            runWorkload(store, store);
        }
    }

    /** The same, with the watchers on a second store instance of the same directory (as another process would). */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void watchersOnAnotherStoreInstance() throws Exception {
        try (KvStore writerStore = KvStore.builder().directory(tmp.resolve("store")).build();
             KvStore watcherStore = KvStore.builder().directory(tmp.resolve("store")).build()) {
            runWorkload(writerStore, watcherStore);
        }
    }

    private void runWorkload(KvStore writerStore, KvStore watcherStore) throws Exception {
        Bucket bucket = writerStore.create(BucketConfig.builder("conc").history(HISTORY).build());
        Bucket watched = watcherStore.bucket("conc");

        record Watcher(String name, List<String> filters, WatchOptions options, Recorder recorder) {
        }
        List<Watcher> watchers = List.of(
                new Watcher("all", List.of(), WatchOptions.defaults(), new Recorder()),
                new Watcher("all-2", List.of(">"), WatchOptions.defaults(), new Recorder()),
                new Watcher("all-history", List.of(), WatchOptions.defaults().withIncludeHistory(), new Recorder()),
                new Watcher("shared", List.of("shared.>"), WatchOptions.defaults(), new Recorder()),
                new Watcher("counters-meta", List.of("counter.*"), WatchOptions.defaults().withMetaOnly(),
                        new Recorder()),
                new Watcher("no-deletes", List.of("t3.>", "t5.>"), WatchOptions.defaults().withIgnoreDeletes(),
                        new Recorder()));
        List<Watch> handles = new ArrayList<>();
        try {
            for (Watcher w : watchers) {
                handles.add(watched.watch(w.filters(), w.options(), w.recorder()));
            }
            for (Watcher w : watchers) {
                w.recorder().awaitCaughtUp();
                assertThat(w.recorder().entries()).as(w.name() + ": nothing initial in an empty bucket").isEmpty();
            }

            Map<Long, Write> writes = new ConcurrentHashMap<>();
            AtomicLong casRetries = new AtomicLong();
            long[] casSuccesses = new long[2];
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<long[]>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int me = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        long[] mine = new long[2];
                        for (int i = 0; i < ITERATIONS; i++) {
                            String own = "t" + me + ".k" + (i % 4);
                            String value = "t" + me + "-i" + i;
                            record(writes, new Write(bucket.put(own, value), own, Operation.PUT, value));
                            if (i % 2 == 0) {
                                String shared = "shared." + ((i / 2) % 8);
                                record(writes, new Write(bucket.put(shared, value), shared, Operation.PUT, value));
                            }
                            if (i % 20 == 19) {
                                String del = "t" + me + ".k3";
                                record(writes, new Write(bucket.delete(del), del, Operation.DEL, ""));
                            }
                            if (i % 10 == 0) {
                                for (int c = 0; c < 2; c++) {
                                    String key = "counter." + c;
                                    while (true) {
                                        Optional<Entry> cur = bucket.get(key);
                                        long expected = cur.map(Entry::revision).orElse(0L);
                                        long n = cur.map(e -> Long.parseLong(e.valueAsString())).orElse(0L);
                                        String next = Long.toString(n + 1);
                                        try {
                                            long rev = bucket.update(key, next.getBytes(StandardCharsets.UTF_8),
                                                    expected);
                                            record(writes, new Write(rev, key, Operation.PUT, next));
                                            mine[c]++;
                                            break;
                                        } catch (WrongRevisionException e) {
                                            casRetries.incrementAndGet();
                                        }
                                    }
                                }
                            }
                        }
                        return mine;
                    }));
                }
                start.countDown();
                for (Future<long[]> f : results) {
                    long[] r = f.get(2, TimeUnit.MINUTES);
                    casSuccesses[0] += r[0];
                    casSuccesses[1] += r[1];
                }
            } finally {
                pool.shutdownNow();
            }

            TreeMap<Long, Write> byRevision = new TreeMap<>(writes);
            long last = byRevision.lastKey();
            System.out.println("ConcurrencyTest: " + writes.size() + " writes, " + casRetries.get()
                    + " CAS retries, last revision " + last);
            assertThat(byRevision.firstKey()).isEqualTo(1);
            assertThat(last).as("revisions 1..n, each given out once (a refused update takes none)")
                    .isEqualTo(writes.size());

            // Every watcher: every matching revision, once, in order, with the right content.
            for (Watcher w : watchers) {
                List<KeyFilter> filters = KeyFilter.of(w.filters());
                List<Write> expected = byRevision.values().stream()
                        .filter(x -> KeyFilter.anyMatches(filters, x.key()))
                        .filter(x -> !(w.options().ignoreDeletes() && x.operation() != Operation.PUT))
                        .toList();
                MultiProcessTest.waitFor(() -> w.recorder().entries().size() >= expected.size()
                                || w.recorder().error.get() != null,
                        "watcher " + w.name() + " to get " + expected.size() + " entries (has "
                                + w.recorder().entries().size() + ")");
                assertThat(w.recorder().error.get()).as(w.name() + " ended with an error").isNull();
                List<Entry> got = w.recorder().entries();
                List<String> gotText = got.stream().map(e -> e.revision() + " " + e.operation() + " " + e.key() + " "
                        + e.valueAsString()).toList();
                List<String> expectedText = expected.stream().map(x -> x.revision() + " " + x.operation() + " "
                        + x.key() + " " + (w.options().metaOnly() ? "" : x.value())).toList();
                if (!gotText.equals(expectedText)) {
                    List<Long> revs = got.stream().map(Entry::revision).toList();
                    fail("watcher " + w.name() + " got " + got.size() + " entries, expected " + expected.size()
                            + "; first difference at index " + firstDifference(gotText, expectedText) + ": got "
                            + at(gotText, firstDifference(gotText, expectedText)) + ", expected "
                            + at(expectedText, firstDifference(gotText, expectedText)) + "; strictly increasing: "
                            + strictlyIncreasing(revs));
                }
                assertThat(w.recorder().caughtUpCalls).as(w.name() + ": caught up once").isEqualTo(1);
            }
            // No lost update.
            for (int c = 0; c < 2; c++) {
                int expected = THREADS * (ITERATIONS / 10);
                assertThat(casSuccesses[c]).isEqualTo(expected);
                assertThat(bucket.get("counter." + c).orElseThrow().valueAsString()).as("counter.%d", c)
                        .isEqualTo(Integer.toString(expected));
                List<Entry> h = bucket.history("counter." + c);
                assertThat(h).extracting(Entry::valueAsString).as("history of counter.%d", c)
                        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(expected - h.size() + 1,
                                expected).mapToObj(Integer::toString).toList());
            }

            // Final reads match the last write of each key.
            Map<String, Write> lastWrite = new TreeMap<>();
            byRevision.values().forEach(w -> lastWrite.put(w.key(), w));
            for (Write w : lastWrite.values()) {
                Optional<Entry> got = bucket.get(w.key());
                if (w.operation() == Operation.DEL) {
                    assertThat(got).as("get %s after its delete", w.key()).isEmpty();
                    assertThat(bucket.history(w.key()).get(bucket.history(w.key()).size() - 1).revision())
                            .isEqualTo(w.revision());
                } else {
                    assertThat(got).as("get %s", w.key()).isPresent();
                    assertThat(got.get().revision()).as("get %s", w.key()).isEqualTo(w.revision());
                    assertThat(got.get().valueAsString()).isEqualTo(w.value());
                }
                Optional<Entry> other = watched.get(w.key());
                assertThat(other.map(Entry::revision)).as("the watchers' store reads %s", w.key())
                        .isEqualTo(got.map(Entry::revision));
            }

            // Nothing more arrives after the last write (no duplicate redelivery).
            Thread.sleep(200);
            for (Watcher w : watchers) {
                long distinct = w.recorder().entries().stream().map(Entry::revision).distinct().count();
                assertThat(distinct).as(w.name() + ": no revision delivered twice")
                        .isEqualTo(w.recorder().entries().size());
            }
            assertThat(bucket.status().lastRevision()).as("the writers' store reports the last revision it gave out")
                    .isEqualTo(last);
            assertThat(watched.status().lastRevision()).as("the watchers' store reports the last revision")
                    .isEqualTo(last);
        } finally {
            handles.forEach(Watch::close);
        }
    }

    /**
     * Read-your-writes while other threads read: a thread that has just put a key (nobody else writes it) reads
     * it back at once and must see its write, and the bucket's last revision must be at least that revision.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void readYourWritesWhileOtherThreadsRead() throws Exception {
        try (KvStore store = KvStore.builder().directory(tmp.resolve("store")).build()) {
            Bucket bucket = store.create(BucketConfig.builder("ryw").history(1).build());
            int writers = 4;
            int readers = 4;
            int puts = 150;
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
            try {
                List<Future<?>> writing = new ArrayList<>();
                for (int t = 0; t < writers; t++) {
                    String key = "own." + t;
                    writing.add(pool.submit(() -> {
                        for (int i = 0; i < puts; i++) {
                            String value = key + "-" + i;
                            long rev = bucket.put(key, value);
                            Optional<Entry> back = bucket.get(key);
                            if (back.isEmpty() || back.get().revision() != rev
                                    || !back.get().valueAsString().equals(value)) {
                                violations.add("put " + key + "=" + value + " returned revision " + rev
                                        + ", get right after returned " + back.map(e -> e.revision() + " "
                                        + e.valueAsString()).orElse("nothing"));
                            }
                            long last = bucket.status().lastRevision();
                            if (last < rev) {
                                violations.add("put returned revision " + rev + ", status says last revision "
                                        + last);
                            }
                        }
                        return null;
                    }));
                }
                for (int t = 0; t < readers; t++) {
                    pool.submit(() -> {
                        while (!stop.get()) {
                            bucket.get("own.0");
                            bucket.keys();
                        }
                        return null;
                    });
                }
                for (Future<?> f : writing) {
                    f.get(1, TimeUnit.MINUTES);
                }
            } finally {
                stop.set(true);
                pool.shutdown();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }
            System.out.println("ConcurrencyTest read-your-writes: " + violations.size() + " violations"
                    + (violations.isEmpty() ? "" : ", first: " + violations.get(0)));
            assertThat(violations).as("reads right after an acknowledged put in the same thread").isEmpty();
        }
    }

    private static void record(Map<Long, Write> writes, Write w) {
        Write before = writes.putIfAbsent(w.revision(), w);
        if (before != null) {
            throw new AssertionError("revision " + w.revision() + " returned twice: " + before + " and " + w);
        }
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    private static String at(List<String> l, int i) {
        return i < l.size() ? l.get(i) : "(end)";
    }

    private static boolean strictlyIncreasing(List<Long> revs) {
        for (int i = 1; i < revs.size(); i++) {
            if (revs.get(i) <= revs.get(i - 1)) {
                return false;
            }
        }
        return true;
    }
}
