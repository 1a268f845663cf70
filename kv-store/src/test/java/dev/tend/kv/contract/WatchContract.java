package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.FellBehindException;
import dev.tend.kv.Operation;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.WatchRecorder.Kind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Watches: initial entries, the caught-up signal, live writes in revision order, the options, and how a watch
 * ends. Where the backend may redeliver an entry ({@code exactlyOnceWatch} false) each revision is counted once,
 * but order by revision is always required.
 */
public abstract class WatchContract extends KvContractSupport {

    private WatchRecorder startWatch(Bucket bucket, WatchOptions options, String... filters) {
        WatchRecorder recorder = recorder();
        watch(bucket, List.of(filters), options, recorder);
        return recorder;
    }

    private WatchRecorder startWatch(Bucket bucket, String... filters) {
        return startWatch(bucket, WatchOptions.defaults(), filters);
    }

    /** The entries as the contract counts them: every delivery, or each revision once if redelivery is allowed. */
    private List<Entry> counted(List<Entry> delivered) {
        if (guarantees().exactlyOnceWatch()) {
            return delivered;
        }
        Set<Long> seen = new HashSet<>();
        return delivered.stream().filter(e -> seen.add(e.revision())).toList();
    }

    /** What holds for every watch at any moment: order, one caught-up, no overlapping calls, no errors. */
    private void assertWellFormed(WatchRecorder r) {
        assertThat(r.callsOverlapped()).as("listener calls overlapped").isFalse();
        assertThat(r.errors()).as("watch errors").isEmpty();
        assertThat(r.count(Kind.CAUGHT_UP)).as("caught-up signals in %s", r).isLessThanOrEqualTo(1);
        assertStrictlyIncreasing(revisions(counted(r.entries())));
    }

    // ---- initial entries and caught up

    @Test
    void defaultWatchDeliversLatestEntryOfEachKeyIncludingMarkersThenCaughtUp() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("a", "1");
        bucket.put("b", "1");
        bucket.put("a", "2");
        bucket.put("c", "1");
        bucket.delete("c");
        bucket.put("d", "1");
        bucket.purge("d");

        WatchRecorder r = startWatch(bucket);
        r.awaitCaughtUp();

        assertThat(show(counted(r.initialEntries()))).containsExactly("b=1", "a=2", "c DEL", "d PURGE");
        assertThat(r.initialEntries()).allSatisfy(e -> assertThat(e.bucket()).isEqualTo(bucket.name()));
        assertWellFormed(r);
    }

    @Test
    void caughtUpIsSignalledForAnEmptyBucket() {
        WatchRecorder r = startWatch(newBucket());

        r.awaitCaughtUp();

        assertThat(r.entries()).isEmpty();
        assertWellFormed(r);
    }

    @Test
    void caughtUpIsSignalledWhenNothingMatchesTheFilter() {
        Bucket bucket = newBucket();
        bucket.put("a", "1");

        WatchRecorder r = startWatch(bucket, "nothing.>");
        r.awaitCaughtUp();

        assertThat(r.entries()).isEmpty();
        assertWellFormed(r);
    }

    @Test
    void initialDeltasCountDownToZero() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("a", "1");
        bucket.put("b", "1");
        bucket.put("a", "2");
        bucket.put("c", "1");

        WatchRecorder latest = startWatch(bucket);
        WatchRecorder all = startWatch(bucket, WatchOptions.defaults().withIncludeHistory());
        latest.awaitCaughtUp();
        all.awaitCaughtUp();

        assertThat(counted(latest.initialEntries())).extracting(Entry::delta).containsExactly(2L, 1L, 0L);
        assertThat(counted(all.initialEntries())).extracting(Entry::delta).containsExactly(3L, 2L, 1L, 0L);
    }

    // ---- live writes

    @Test
    void liveWritesOfEveryKindFollowCaughtUpInRevisionOrder() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("a", "0");
        WatchRecorder r = startWatch(bucket);
        r.awaitCaughtUp();

        List<Long> revs = new ArrayList<>();
        revs.add(bucket.put("a", "1"));
        revs.add(bucket.put("b", "1"));
        if (!watchReportsFallingBehind()) {
            // Purging b removes b=1: a backend that skips removed entries never delivers it if the watch is behind.
            r.awaitRevision(revs.get(1));
        }
        revs.add(bucket.delete("a"));
        revs.add(bucket.purge("b"));
        revs.add(bucket.create("a", bytes("2")));
        revs.add(bucket.update("a", bytes("3"), revs.get(revs.size() - 1)));
        r.awaitRevision(revs.get(revs.size() - 1));

        List<Entry> live = counted(r.liveEntries());
        assertThat(show(live)).containsExactly("a=1", "b=1", "a DEL", "b PURGE", "a=2", "a=3");
        assertThat(revisions(live)).containsExactlyElementsOf(revs);
        assertThat(live).allSatisfy(e -> assertThat(e.bucket()).isEqualTo(bucket.name()));
        assertThat(show(counted(r.initialEntries()))).containsExactly("a=0");
        assertWellFormed(r);
    }

    @Test
    void caughtUpIsSignalledExactlyOnce() {
        Bucket bucket = newBucket();
        bucket.put("a", "1");
        WatchRecorder r = startWatch(bucket);
        r.awaitCaughtUp();

        bucket.put("b", "1");
        long last = bucket.put("a", "2");
        r.awaitRevision(last);

        assertThat(r.count(Kind.CAUGHT_UP)).isEqualTo(1);
        assertWellFormed(r);
    }

    @Test
    void liveEntriesCarryTheStoreClockTime() {
        assumeControlsTime();
        Bucket bucket = newBucket();
        WatchRecorder r = startWatch(bucket);
        r.awaitCaughtUp();

        long rev = bucket.put("a", "1");
        r.awaitRevision(rev);

        assertThat(r.liveEntries().get(0).created()).isEqualTo(clock.instant());
    }

    @Test
    void concurrentWritesAreDeliveredInRevisionOrderWithoutGaps() throws Exception {
        Bucket bucket = newBucket();
        WatchRecorder r = startWatch(bucket);
        r.awaitCaughtUp();

        List<Long> revs = writeConcurrently(bucket, 4, 50);
        long last = Collections.max(revs);
        r.awaitRevision(last);

        assertThat(revisions(counted(r.liveEntries()))).containsExactlyElementsOf(revs.stream().sorted().toList());
        assertWellFormed(r);
    }

    @Test
    void watchStartedDuringWritesMissesNothing() throws Exception {
        Bucket bucket = newBucket();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1);
            Future<List<Long>> writes = writer.submit(() -> {
                List<Long> out = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    out.add(bucket.put("k" + i, "v" + i));
                    if (i == 20) {
                        started.countDown();
                    }
                }
                return out;
            });
            assertThat(started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // Each key is written once, so every write stays retained and belongs in the watch exactly once.
            WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withIncludeHistory());
            List<Long> revs = writes.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            r.awaitRevision(revs.get(revs.size() - 1));

            assertThat(revisions(counted(r.entries()))).containsExactlyElementsOf(revs);
            assertThat(r.count(Kind.CAUGHT_UP)).isEqualTo(1);
            assertWellFormed(r);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void watchNeverRedeliversWhenExactlyOnceIsGuaranteed() throws Exception {
        assumeTrue(guarantees().exactlyOnceWatch(), "the backend may redeliver watch entries");
        Bucket bucket = newBucketWithHistory(10);
        for (int i = 0; i < 20; i++) {
            bucket.put("k" + (i % 3), "v" + i);
        }
        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withIncludeHistory());
        List<Long> revs = writeConcurrently(bucket, 3, 30);
        r.awaitRevision(Collections.max(revs));

        List<Long> delivered = revisions(r.entries());
        assertThat(delivered).doesNotHaveDuplicates();
        assertThat(delivered).containsAll(revs);
        assertStrictlyIncreasing(delivered);
    }

    @Test
    void slowListenerDelaysOnlyItsOwnWatch() throws Exception {
        Bucket bucket = newBucket();
        CountDownLatch release = new CountDownLatch(1);
        WatchRecorder blocked = new WatchRecorder(TIMEOUT) {
            @Override
            public void onEntry(Entry entry) {
                try {
                    release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onEntry(entry);
            }
        };
        watch(bucket, List.of(), WatchOptions.defaults(), blocked);
        WatchRecorder free = startWatch(bucket);
        blocked.awaitCaughtUp();
        free.awaitCaughtUp();

        bucket.put("a", "1");
        long last = bucket.put("b", "2");
        free.awaitRevision(last);
        release.countDown();
        blocked.awaitRevision(last);

        assertThat(show(counted(blocked.liveEntries()))).containsExactly("a=1", "b=2");
    }

    /**
     * True when a watch whose unread entries were removed (superseded, then compacted away) ends with a
     * {@link FellBehindException}. JetStream's ordered consumer skips such entries; a backend built on it that
     * cannot notice overrides this with false.
     */
    protected boolean watchReportsFallingBehind() {
        return true;
    }

    @Test
    void slowWatcherIsNeverDroppedSilently() {
        assumeTrue(watchReportsFallingBehind(), "the backend skips entries removed before a watch read them");
        Bucket bucket = newBucket();
        CountDownLatch release = new CountDownLatch(1);
        WatchRecorder r = new WatchRecorder(TIMEOUT) {
            @Override
            public void onEntry(Entry entry) {
                try {
                    release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onEntry(entry);
            }
        };
        Watch w = watch(bucket, List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();

        // History 1: each put supersedes the last, and compaction may then remove what the watch has not read.
        List<Long> revs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            revs.add(bucket.put("k", "v" + i));
        }
        bucket.delete("gone");
        bucket.purgeDeletes(Duration.ofSeconds(-1));
        long last = bucket.put("k", "last");
        revs.add(last);
        release.countDown();
        r.await("revision " + last + " or an error", x -> x.hasRevision(last) || !x.errors().isEmpty());

        assertThat(r.callsOverlapped()).isFalse();
        if (r.errors().isEmpty()) {
            List<Long> delivered = revisions(counted(r.liveEntries())).stream()
                    .filter(revs::contains).toList();
            assertThat(delivered).as("every write, in order").containsExactlyElementsOf(revs);
        } else {
            assertThat(r.errors()).singleElement().isInstanceOf(FellBehindException.class);
            assertStrictlyIncreasing(revisions(counted(r.entries())));
            assertThat(r.events().get(r.events().size() - 1).kind()).isEqualTo(Kind.ERROR);
            assertThat(w.isActive()).isFalse();
        }
    }

    // ---- filters

    @Test
    void filterLimitsInitialAndLiveEntries() {
        Bucket bucket = newBucket();
        bucket.put("users.a", "1");
        bucket.put("users.a.b", "1");
        bucket.put("users", "1");
        bucket.put("other", "1");
        WatchRecorder r = startWatch(bucket, "users.*");
        r.awaitCaughtUp();

        bucket.put("users.x", "2");
        bucket.put("other", "2");
        bucket.put("users.x.y", "2");
        long last = bucket.put("users.z", "2");
        r.awaitRevision(last);

        assertThat(show(counted(r.initialEntries()))).containsExactly("users.a=1");
        assertThat(show(counted(r.liveEntries()))).containsExactly("users.x=2", "users.z=2");
        assertWellFormed(r);
    }

    @Test
    void literalKeyWatchSeesOnlyThatKey() {
        Bucket bucket = newBucket();
        bucket.put("a", "1");
        bucket.put("a.b", "1");
        WatchRecorder r = startWatch(bucket, "a");
        r.awaitCaughtUp();

        bucket.put("ab", "2");
        long last = bucket.put("a", "2");
        r.awaitRevision(last);

        assertThat(show(counted(r.entries()))).containsExactly("a=1", "a=2");
    }

    @Test
    void severalFiltersDeliverTheUnionInRevisionOrder() {
        Bucket bucket = newBucket();
        bucket.put("b", "1");
        bucket.put("a.x", "1");
        bucket.put("c", "1");
        WatchRecorder r = startWatch(bucket, "a.*", "b");
        r.awaitCaughtUp();

        bucket.put("c", "2");
        bucket.put("a.y", "2");
        long last = bucket.put("b", "2");
        r.awaitRevision(last);

        assertThat(show(counted(r.entries()))).containsExactly("b=1", "a.x=1", "a.y=2", "b=2");
        assertWellFormed(r);
    }

    // ---- options

    @Test
    void includeHistoryDeliversEveryRetainedEntryFirst() {
        Bucket bucket = newBucketWithHistory(2);
        bucket.put("a", "1");
        bucket.put("a", "2");
        bucket.put("b", "1");
        bucket.put("a", "3");
        bucket.delete("b");

        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withIncludeHistory());
        r.awaitCaughtUp();
        long last = bucket.put("c", "1");
        r.awaitRevision(last);

        assertThat(show(counted(r.initialEntries()))).containsExactly("a=2", "b=1", "a=3", "b DEL");
        assertThat(show(counted(r.liveEntries()))).containsExactly("c=1");
        assertWellFormed(r);
    }

    @Test
    void updatesOnlyIsCaughtUpAtOnceAndDeliversOnlyNewWrites() {
        Bucket bucket = newBucket();
        bucket.put("a", "1");
        bucket.put("b", "1");

        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withUpdatesOnly());
        r.awaitCaughtUp();
        bucket.put("a", "2");
        long last = bucket.delete("b");
        r.awaitRevision(last);

        assertThat(r.initialEntries()).isEmpty();
        assertThat(show(counted(r.liveEntries()))).containsExactly("a=2", "b DEL");
        assertWellFormed(r);
    }

    @Test
    void updatesOnlyIsCaughtUpForAnEmptyBucketToo() {
        WatchRecorder r = startWatch(newBucket(), WatchOptions.defaults().withUpdatesOnly());

        r.awaitCaughtUp();

        assertThat(r.entries()).isEmpty();
    }

    @Test
    void ignoreDeletesDropsMarkersInitiallyAndLive() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("a", "1");
        bucket.put("b", "1");
        bucket.delete("b");
        bucket.put("c", "1");
        bucket.purge("c");

        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withIgnoreDeletes());
        r.awaitCaughtUp();
        bucket.delete("a");
        bucket.purge("c");
        long last = bucket.put("d", "1");
        r.awaitRevision(last);

        // b's latest entry is its marker, so the default watch has nothing to show for it.
        assertThat(show(counted(r.initialEntries()))).containsExactly("a=1");
        assertThat(show(counted(r.liveEntries()))).containsExactly("d=1");
        assertThat(r.entries()).allSatisfy(e -> assertThat(e.operation()).isEqualTo(Operation.PUT));
        assertWellFormed(r);
    }

    @Test
    void ignoreDeletesWithHistoryStillDeliversValuesOfDeletedKeys() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("b", "1");
        bucket.delete("b");

        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withIncludeHistory().withIgnoreDeletes());
        r.awaitCaughtUp();

        assertThat(show(counted(r.initialEntries()))).containsExactly("b=1");
    }

    @Test
    void metaOnlyDeliversEntriesWithoutValues() {
        Bucket bucket = newBucketWithHistory(5);
        long first = bucket.put("a", "hello");

        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withMetaOnly());
        r.awaitCaughtUp();
        long second = bucket.put("a", "bye");
        long marker = bucket.delete("a");
        r.awaitRevision(marker);

        List<Entry> entries = counted(r.entries());
        assertThat(revisions(entries)).containsExactly(first, second, marker);
        assertThat(entries).extracting(Entry::operation).containsExactly(Operation.PUT, Operation.PUT, Operation.DEL);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.value()).isEmpty();
            assertThat(e.key()).isEqualTo("a");
        });
        assertThat(bucket.get("a", second)).map(Entry::valueAsString).contains("bye");
    }

    @Test
    void fromRevisionDeliversEveryRetainedEntryFromThatRevision() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("a", "1");
        long from = bucket.put("b", "1");
        bucket.put("a", "2");
        bucket.delete("b");

        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withFromRevision(from));
        r.awaitCaughtUp();
        long last = bucket.put("a", "3");
        r.awaitRevision(last);

        assertThat(show(counted(r.initialEntries()))).containsExactly("b=1", "a=2", "b DEL");
        assertThat(show(counted(r.liveEntries()))).containsExactly("a=3");
        assertWellFormed(r);
    }

    @Test
    void fromRevisionAfterTheLastDeliversOnlyLaterWrites() {
        Bucket bucket = newBucket();
        long last = bucket.put("a", "1");

        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withFromRevision(last + 1));
        r.awaitCaughtUp();
        long next = bucket.put("a", "2");
        r.awaitRevision(next);

        assertThat(r.initialEntries()).isEmpty();
        assertThat(show(counted(r.liveEntries()))).containsExactly("a=2");
    }

    @Test
    void fromRevisionRespectsTheFilter() {
        Bucket bucket = newBucketWithHistory(5);
        long from = bucket.put("a", "1");
        bucket.put("b", "1");
        bucket.put("a", "2");

        WatchRecorder r = startWatch(bucket, WatchOptions.defaults().withFromRevision(from), "a");
        r.awaitCaughtUp();

        assertThat(show(counted(r.initialEntries()))).containsExactly("a=1", "a=2");
    }

    // ---- the end of a watch

    @Test
    void closeEndsTheWatchWithOnEndAndStopsDelivery() {
        Bucket bucket = newBucket();
        WatchRecorder r = recorder();
        Watch w = watch(bucket, List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();
        assertThat(w.isActive()).isTrue();

        w.close();
        r.awaitEnd();
        assertThat(w.isActive()).isFalse();

        // A second watch that sees the next write shows it was made; the closed one must not get it.
        WatchRecorder witness = startWatch(bucket);
        long rev = bucket.put("a", "after close");
        witness.awaitRevision(rev);
        assertThat(r.hasRevision(rev)).isFalse();
        assertThat(r.count(Kind.END)).isEqualTo(1);
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void closingTwiceIsHarmless() {
        WatchRecorder r = recorder();
        Watch w = watch(newBucket(), List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();

        w.close();
        w.close();
        r.awaitEnd();

        assertThat(w.isActive()).isFalse();
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void removingTheBucketEndsItsWatchesCleanly() {
        Bucket bucket = newBucket();
        bucket.put("a", "1");
        WatchRecorder r = recorder();
        Watch w = watch(bucket, List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();

        store.delete(bucket.name());
        r.awaitEnd();

        assertThat(r.errors()).isEmpty();
        assertThat(r.count(Kind.END)).isEqualTo(1);
        assertThat(w.isActive()).isFalse();
    }

    @Test
    void closingTheStoreEndsItsWatches() {
        Bucket bucket = newBucket();
        WatchRecorder r = recorder();
        Watch w = watch(bucket, List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();

        store.close();
        r.awaitEnd();

        assertThat(r.errors()).isEmpty();
        assertThat(w.isActive()).isFalse();
    }

    @Test
    void watchKeepsRunningAcrossPurgeAll() {
        Bucket bucket = newBucket();
        bucket.put("a", "1");
        WatchRecorder r = startWatch(bucket);
        r.awaitCaughtUp();

        bucket.purgeAll();
        long rev = bucket.put("b", "1");
        r.awaitRevision(rev);

        assertThat(show(counted(r.liveEntries()))).containsExactly("b=1");
        assertWellFormed(r);
    }

    /** {@code threads} writers each put {@code perThread} values to their own keys; returns every revision. */
    private static List<Long> writeConcurrently(Bucket bucket, int threads, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> out = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        out.add(bucket.put("w" + id + ".k" + i, "v" + i));
                    }
                    return out;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
