package dev.tend.kv.nats;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.KvContractSupport;
import dev.tend.kv.contract.MutableClock;
import dev.tend.kv.contract.WatchRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What NATS does where the contract lets a backend differ: each test here stands for contract tests the NATS runs
 * skip or check in their weak form ({@code controlsTime} false, {@code exactlyOnceWatch} false,
 * {@code preservesRevisions} false, no falling-behind report), and shows the NATS behaviour that docs list as a
 * limit.
 */
@ExtendWith(NatsServerExtension.class)
class NatsDifferencesTest implements NatsServerExtension.Aware {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The server runs on this machine, so its clock is ours up to the rounding of its timestamps. */
    private static final Duration SAME_HOST = Duration.ofSeconds(1);

    private NatsServer server;
    private final List<KvStore> stores = new ArrayList<>();
    private final List<String> buckets = new ArrayList<>();

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @AfterEach
    void cleanUp() {
        if (!stores.isEmpty()) {
            KvStore s = stores.get(0);
            for (String b : buckets) {
                if (s.exists(b)) {
                    s.delete(b);
                }
            }
        }
        stores.forEach(KvStore::close);
    }

    private KvStore open(Clock clock) {
        KvStore s = KvStore.builder().url(server.url()).clock(clock).build();
        stores.add(s);
        return s;
    }

    private BucketConfig.Builder newConfig() {
        String name = "diff_" + COUNTER.incrementAndGet() + "_" + Long.toString(System.nanoTime(), 36);
        buckets.add(name);
        return BucketConfig.builder(name);
    }

    /** Contract: createdIsTheStoreClockTime, liveEntriesCarryTheStoreClockTime (skipped on NATS). */
    @Test
    void entriesCarryTheServersTimeNotTheStoresClock() {
        MutableClock clock = new MutableClock();
        Bucket bucket = open(clock).create(newConfig().history(5).build());
        WatchRecorder r = new WatchRecorder(TIMEOUT);
        try (Watch w = bucket.watch(List.of(), WatchOptions.defaults(), r)) {
            r.awaitCaughtUp();
            Instant before = Instant.now();
            long rev = bucket.put("k", "1");
            Instant after = Instant.now();
            r.awaitRevision(rev);

            Instant created = bucket.getExisting("k").created();
            assertThat(created).as("the server's time, not the store clock's %s", clock.instant())
                    .isBetween(before.minus(SAME_HOST), after.plus(SAME_HOST));
            assertThat(r.liveEntries().get(0).created()).isEqualTo(created);
            clock.advance(Duration.ofDays(1));
            assertThat(bucket.put("k", "2")).isGreaterThan(rev);
            assertThat(bucket.getExisting("k").created()).as("moving the store clock changes nothing")
                    .isAfterOrEqualTo(created).isBefore(Instant.now().plus(SAME_HOST));
        }
    }

    /**
     * Contract: markersOlderThanTheThresholdAreRemovedWithTheirHistory, onlyMarkersOlderThanTheThresholdGo (skipped:
     * they move the clock). A marker's age is the store clock's now minus the server's time of the marker.
     */
    @Test
    void purgeDeletesAgesMarkersByTheServersTimeAgainstTheStoresClock() throws Exception {
        Bucket bucket = open(Clock.systemUTC()).create(newConfig().history(5).build());
        bucket.put("old", "1");
        bucket.delete("old");
        Thread.sleep(1500); // lets real time pass; nothing asserts how long anything took
        bucket.put("recent", "1");
        bucket.delete("recent");

        long affected = bucket.purgeDeletes(Duration.ofSeconds(1));

        assertThat(affected).isEqualTo(2);
        assertThat(bucket.history("old")).as("an old marker goes with its history").isEmpty();
        assertThat(KvContractSupport.show(bucket.history("recent").get(0))).isEqualTo("recent DEL");
        assertThat(bucket.history("recent")).as("a recent marker stays, alone").hasSize(1);

        // A store whose clock is behind the server's (here by years) sees every marker as recent.
        Bucket skewed = open(new MutableClock()).bucket(bucket.name());
        skewed.put("late", "1");
        skewed.delete("late");
        skewed.purgeDeletes(Duration.ofMinutes(1));
        assertThat(skewed.history("late")).extracting(Entry::operation).containsExactly(Operation.DEL);
        assertThat(skewed.history("recent")).hasSize(1);
    }

    /** Contract: restoreKeepsEverything checks the weak form: JetStream numbers the restored entries itself. */
    @Test
    void restoreWritesTheEntriesAgainWithNewRevisionsAndTimes() {
        KvStore store = open(Clock.systemUTC());
        BucketConfig config = newConfig().history(3).build();
        Instant then = Instant.parse("2021-07-13T10:38:10Z");
        List<Entry> backup = List.of(
                new Entry(config.name(), "a", "1".getBytes(), 100, then, 0, Operation.PUT),
                new Entry(config.name(), "a", null, 200, then.plusSeconds(1), 0, Operation.DEL),
                new Entry(config.name(), "b", "2".getBytes(), 300, then.plusSeconds(2), 0, Operation.PUT));
        Instant before = Instant.now();

        Bucket restored = store.restore(config, backup);

        List<Entry> after = new ArrayList<>(restored.history("a"));
        after.addAll(restored.history("b"));
        assertThat(after).extracting(KvContractSupport::show).containsExactly("a=1", "a DEL", "b=2");
        assertThat(after).extracting(Entry::revision).containsExactly(1L, 2L, 3L);
        assertThat(after).extracting(Entry::created).allSatisfy(t -> assertThat(t).isAfter(before.minus(SAME_HOST)));
        assertThat(restored.put("c", "3")).isEqualTo(4);
    }

    /**
     * Contract: slowWatcherIsNeverDroppedSilently (skipped). JetStream's ordered consumer skips entries removed before
     * it delivered them and reports nothing; the watch carries on, in revision order, up to the latest entry.
     */
    @Test
    void aSlowWatchCarriesOnInRevisionOrderWithoutReportingSkippedEntries() throws Exception {
        Bucket bucket = open(Clock.systemUTC()).create(newConfig().build());
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
        try (Watch w = bucket.watch(List.of(), WatchOptions.defaults(), r)) {
            r.awaitCaughtUp();
            List<Long> revs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                revs.add(bucket.put("k", "v" + i));
            }
            bucket.delete("gone");
            bucket.purgeDeletes(Duration.ofSeconds(-1));
            long last = bucket.put("k", "last");
            revs.add(last);
            release.countDown();
            r.awaitRevision(last);

            assertThat(r.errors()).isEmpty();
            assertThat(w.isActive()).isTrue();
            List<Long> delivered = r.liveEntries().stream().map(Entry::revision).filter(revs::contains).toList();
            assertThat(revs).containsAll(delivered);
            assertThat(delivered).doesNotHaveDuplicates().isSorted().endsWith(last);
        }
    }

    /**
     * Contract: watchNeverRedeliversWhenExactlyOnceIsGuaranteed (skipped: NATS does not declare it, since a watch's
     * ordered consumer is recreated after a reconnect or a missed heartbeat). On a steady connection no revision
     * comes twice.
     */
    @Test
    void aWatchOnASteadyConnectionDeliversEachRevisionOnce() {
        Bucket bucket = open(Clock.systemUTC()).create(newConfig().history(10).build());
        for (int i = 0; i < 20; i++) {
            bucket.put("k" + (i % 3), "v" + i);
        }
        WatchRecorder r = new WatchRecorder(TIMEOUT);
        try (Watch w = bucket.watch(List.of(), WatchOptions.defaults().withIncludeHistory(), r)) {
            long last = 0;
            for (int i = 0; i < 30; i++) {
                last = bucket.put("k" + (i % 3), "w" + i);
            }
            r.awaitRevision(last);
            List<Long> delivered = r.entries().stream().map(Entry::revision).toList();
            assertThat(delivered).doesNotHaveDuplicates().isSorted().hasSize(50);
        }
    }
}
