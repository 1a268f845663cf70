package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.WatchOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many watches on one bucket, as an agent with thousands of kv watchers has them: they share a bounded number of
 * threads, each still gets exactly its entries in revision order while one read is fanned out to all, a slow listener
 * among them delays only its own watch, and a watch that fell behind or started late catches up and carries on.
 */
public abstract class SharedWatchContract extends KvContractSupport {

    /** The prefix of the names of the threads the backend delivers watches on. */
    protected abstract String watchThreadPrefix();

    /** At most how many threads with that prefix the backend may use for any number of watches. */
    protected abstract int maxWatchThreads();

    /** A watch's filters, the writes it should see (key and revision), and what it recorded. */
    private record Watcher(List<String> filters, WatchRecorder recorder) {
        boolean wants(String key) {
            return filters.isEmpty() || KeyFilter.anyMatches(KeyFilter.of(filters), key);
        }
    }

    /** The filters of watch {@code i}: single keys, prefixes, the whole bucket and unions, mixed. */
    private static List<String> filtersOf(int i, int keys) {
        return switch (i % 6) {
            case 0, 1 -> List.of("k." + (i % keys));
            case 2 -> List.of("k.*");
            case 3 -> List.of();
            case 4 -> List.of("k." + (i % keys), "other.>");
            default -> List.of("other.>");
        };
    }

    private List<Watcher> startWatches(Bucket bucket, int count, int keys) {
        List<Watcher> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Watcher w = new Watcher(filtersOf(i, keys), recorder());
            watch(bucket, w.filters(), WatchOptions.defaults().withUpdatesOnly(), w.recorder());
            out.add(w);
        }
        for (Watcher w : out) {
            w.recorder().awaitCaughtUp();
        }
        return out;
    }

    /** Asserts that the watch got exactly the writes it matches, in revision order, each once where promised. */
    private void assertGotExactly(Watcher w, Map<Long, String> writes) {
        List<Long> expected = writes.entrySet().stream().filter(e -> w.wants(e.getValue()))
                .map(Map.Entry::getKey).toList();
        assertThat(w.recorder().callsOverlapped()).as("listener calls overlapped").isFalse();
        assertThat(w.recorder().errors()).as("errors of %s", w.filters()).isEmpty();
        List<Entry> got = guarantees().exactlyOnceWatch() ? w.recorder().liveEntries()
                : w.recorder().distinctEntries();
        assertThat(revisions(got)).as("revisions seen by the watch of %s", w.filters())
                .containsExactlyElementsOf(expected);
    }

    private static void awaitLast(Watcher w, Map<Long, String> writes) {
        writes.entrySet().stream().filter(e -> w.wants(e.getValue())).reduce((a, b) -> b)
                .ifPresent(last -> w.recorder().awaitRevision(last.getKey()));
    }

    /**
     * A bucket that keeps every write of these tests: a backend may skip an entry superseded before it delivered it
     * (see {@link WatchContract#watchReportsFallingBehind}), which is not what these tests are about.
     */
    private Bucket newKeepingBucket() {
        return newBucketWithHistory(64);
    }

    @Test
    void manyWatchesOnOneBucketShareABoundedNumberOfThreads() {
        Bucket bucket = newKeepingBucket();
        int threadsBefore = Thread.activeCount();
        List<Watcher> watchers = startWatches(bucket, 300, 20);

        Map<Long, String> writes = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            String key = i % 4 == 3 ? "other.x" + i : "k." + (i % 20);
            writes.put(bucket.put(key, "v" + i), key);
        }
        for (Watcher w : watchers) {
            awaitLast(w, writes);
        }

        assertThat(watchThreads()).as("threads named %s*", watchThreadPrefix())
                .hasSizeLessThanOrEqualTo(maxWatchThreads());
        // The backend's other threads (a file-system watcher, a scheduler) come once per store, not per watch.
        assertThat(Thread.activeCount() - threadsBefore).as("threads started for 300 watches")
                .isLessThanOrEqualTo(maxWatchThreads() + 4);
        for (Watcher w : watchers) {
            assertGotExactly(w, writes);
        }
    }

    @Test
    void eachWatchGetsItsEntriesInRevisionOrderUnderFanOut() throws Exception {
        Bucket bucket = newKeepingBucket();
        List<Watcher> watchers = startWatches(bucket, 60, 8);

        Map<Long, String> writes = writeConcurrently(bucket, 4, 60, 8);
        for (Watcher w : watchers) {
            awaitLast(w, writes);
        }

        for (Watcher w : watchers) {
            assertGotExactly(w, writes);
        }
    }

    @Test
    void aSlowListenerAmongManyDelaysOnlyItsOwnWatch() throws Exception {
        Bucket bucket = newBucket();
        CountDownLatch release = new CountDownLatch(1);
        WatchRecorder slow = new WatchRecorder(TIMEOUT.multipliedBy(3)) {
            @Override
            public void onEntry(Entry entry) {
                try {
                    release.await(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onEntry(entry);
            }
        };
        Watcher blocked = new Watcher(List.of(), slow);
        watch(bucket, List.of(), WatchOptions.defaults().withUpdatesOnly(), slow);
        slow.awaitCaughtUp();
        List<Watcher> watchers = startWatches(bucket, 30, 8);

        // More than a follower may have queued, each to a key of its own, so that nothing is superseded and removed.
        Map<Long, String> writes = writeConcurrently(bucket, 4, 400, Integer.MAX_VALUE);
        for (Watcher w : watchers) {
            awaitLast(w, writes);
        }
        assertThat(slow.entries()).as("the blocked listener's entries").hasSizeLessThanOrEqualTo(1);
        release.countDown();
        awaitLast(blocked, writes);
        assertGotExactly(blocked, writes);

        // It caught up, and goes on with the others.
        long after = bucket.put("k.1", "after");
        writes.put(after, "k.1");
        slow.awaitRevision(after);
        for (Watcher w : watchers) {
            awaitLast(w, writes);
            assertGotExactly(w, writes);
        }
        assertGotExactly(blocked, writes);
    }

    @Test
    void aWatchStartedWhileOthersFollowCatchesUpAndJoinsThem() throws Exception {
        Bucket bucket = newKeepingBucket();
        List<Watcher> watchers = startWatches(bucket, 20, 8);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1);
            Future<Map<Long, String>> written = writer.submit(() -> {
                Map<Long, String> out = new TreeMap<>();
                for (int i = 0; i < 300; i++) {
                    String key = "k." + (i % 8);
                    out.put(bucket.put(key, "v" + i), key);
                    if (i == 50) {
                        started.countDown();
                    }
                }
                return out;
            });
            assertThat(started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            WatchRecorder late = recorder();
            watch(bucket, List.of(), WatchOptions.defaults().withIncludeHistory(), late);
            Map<Long, String> writes = written.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long last = Collections.max(writes.keySet());
            late.awaitRevision(last);
            long after = bucket.put("k.0", "after");
            late.awaitRevision(after);
            writes.put(after, "k.0");

            assertThat(revisions(guarantees().exactlyOnceWatch() ? late.entries() : late.distinctEntries()))
                    .as("every write exactly once, in order").containsExactlyElementsOf(writes.keySet());
            assertThat(late.count(WatchRecorder.Kind.CAUGHT_UP)).isEqualTo(1);
            assertThat(late.errors()).isEmpty();
            for (Watcher w : watchers) {
                awaitLast(w, writes);
                assertGotExactly(w, writes);
            }
        } finally {
            writer.shutdownNow();
        }
    }

    /** The live threads whose names start with the backend's watch prefix. */
    private List<String> watchThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith(watchThreadPrefix())).toList();
    }

    /**
     * {@code threads} writers each put {@code perThread} values, to {@code k.<i % keys>} (every fourth to
     * {@code other.<...>}); returns each revision's key, in revision order.
     */
    private static Map<Long, String> writeConcurrently(Bucket bucket, int threads, int perThread, int keys)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<Long, String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    Map<Long, String> out = new TreeMap<>();
                    for (int i = 0; i < perThread; i++) {
                        int n = id * perThread + i;
                        String key = n % 4 == 3 ? "other." + (n % keys) : "k." + (n % keys);
                        out.put(bucket.put(key, "v" + n), key);
                    }
                    return out;
                }));
            }
            start.countDown();
            Map<Long, String> all = new TreeMap<>();
            for (Future<Map<Long, String>> f : futures) {
                all.putAll(f.get(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
