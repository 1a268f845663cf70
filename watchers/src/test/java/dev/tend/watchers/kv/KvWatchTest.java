package dev.tend.watchers.kv;

import ch.qos.logback.classic.Level;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.FellBehindException;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.machine.Machine;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mode: watch} on a real machine and a real embedded store: deliveries come on the store's threads, so the tests
 * wait for them with a deadline; retries and resyncs run on the hand-driven scheduler.
 */
@ResourceLock(value = "dev.tend.machine.m.w", mode = ResourceAccessMode.READ_WRITE)
class KvWatchTest {

    @TempDir
    Path dir;

    private KvBed bed;

    @BeforeEach
    void open() {
        bed = new KvBed(dir);
    }

    @AfterEach
    void close() {
        bed.close();
    }

    private Machine watch(String properties) {
        return bed.start("", properties);
    }

    private void awaitChanged(long times) {
        bed.await(times + " successes", () -> bed.count("changed") == times);
    }

    @Test
    void aSingleKeyChangeFiresAtOnceAndIsStoredAsAPollWouldStoreIt() {
        Bucket cfg = bed.bucket("CFG");
        Machine m = watch("{bucket: CFG, key: username, mode: watch}");
        bed.awaitState(m, "unchanged");
        assertThat(bed.transitions()).isEmpty();

        cfg.put("username", "alice");
        awaitChanged(1);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "alice"));
        cfg.put("username", "{\"name\": \"bob\"}");
        awaitChanged(2);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", Map.of("name", "bob")));
        cfg.delete("username");
        awaitChanged(3);
        assertThat(bed.data()).isEmpty();
        assertThat(bed.watcherState(m)).isEqualTo(Map.of("state", "changed", "bucket", "CFG", "key", "username",
                "mode", "watch"));
    }

    @Test
    void anEqualValueWrittenAgainIsNoChangeUnlessAskedFor() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        Machine m = watch("{bucket: CFG, key: username, mode: watch}");
        awaitChanged(1);
        cfg.put("username", "alice");
        cfg.put("other", "x");
        bed.await("the re-put seen", () -> cfg.get("username").isPresent() && "unchanged".equals(
                bed.watcherState(m).get("state")));
        assertThat(bed.count("changed")).isEqualTo(1);
    }

    @Test
    void onMatchingUpdateAndOnSuccessfulGetCountEveryWrite() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("a", "1");
        cfg.put("b", "1");
        watch("{bucket: CFG, key: a, mode: watch, on_matching_update: true}");
        awaitChanged(1);
        cfg.put("a", "1");
        awaitChanged(2);
        bed.stopMachines();

        watch("{bucket: CFG, key: b, mode: watch, on_successful_get: true}");
        awaitChanged(3); // the initial read is a successful get
        cfg.put("b", "1");
        awaitChanged(4);
    }

    @Test
    void aFilterKeepsAMapOfFullKeyToValueUnderTheBucketsName() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("users.ann", "{\"admin\": true}");
        cfg.put("groups.ops", "x");
        Machine m = watch("{bucket: CFG, key: 'users.*', mode: watch}");
        awaitChanged(1);
        assertThat(bed.data()).isEqualTo(Map.of("CFG", Map.of("users.ann", Map.of("admin", true))));

        cfg.put("users.bob", "plain");
        bed.await("bob in the map", () -> bed.data().equals(Map.of("CFG",
                Map.of("users.ann", Map.of("admin", true), "users.bob", "plain"))));
        cfg.delete("users.ann");
        bed.await("ann gone", () -> bed.data().equals(Map.of("CFG", Map.of("users.bob", "plain"))));
        cfg.put("groups.dev", "y"); // not matched
        cfg.purge("users.bob");
        bed.await("bob gone", () -> bed.data().equals(Map.of("CFG", Map.of())));
        assertThat(bed.count("changed")).isGreaterThanOrEqualTo(3);
        assertThat(bed.watcherState(m)).containsEntry("key", "users.*");
    }

    @Test
    void withoutAKeyTheWholeBucketIsWatchedAndStoreKeyNamesTheItem() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("a", "1");
        cfg.put("b.c", "[1, 2]");
        Machine m = watch("{bucket: CFG, mode: watch, store_key: everything}");
        awaitChanged(1);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_everything", Map.of("a", "1", "b.c", java.util.List.of(1, 2))));
        cfg.put("d", "4");
        bed.await("d in the map", () -> ((Map<?, ?>) bed.data().get("CFG_everything")).containsKey("d"));
        assertThat(bed.watcherState(m)).doesNotContainKey("key").containsEntry("mode", "watch");
    }

    @Test
    void afterARestartUnchangedValuesDoNotFireAndChangesMadeMeanwhileDo() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("users.ann", "1");
        watch("{bucket: CFG, key: 'users.>', mode: watch}");
        awaitChanged(1);
        bed.stopMachines();

        Machine again = watch("{bucket: CFG, key: 'users.>', mode: watch}");
        bed.awaitState(again, "unchanged");
        bed.settle();
        assertThat(bed.count("changed")).as("same values: no success").isEqualTo(1);
        bed.stopMachines();

        cfg.put("users.ann.x", "2");
        Machine third = watch("{bucket: CFG, key: 'users.>', mode: watch}");
        awaitChanged(2);
        assertThat(bed.data()).isEqualTo(Map.of("CFG", Map.of("users.ann", "1", "users.ann.x", "2")));
        assertThat(bed.watcherState(third)).containsEntry("state", "changed");
    }

    @Test
    void whileInactiveItDoesNotWatchAndOnActivationItResyncs() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        Machine m = watch("{bucket: CFG, key: username, mode: watch}");
        awaitChanged(1);
        bed.transition(m, "sleep");
        assertThat(bed.watcherState(m)).containsEntry("state", "skipped");
        cfg.put("username", "bob");
        bed.advance(Duration.ofMinutes(1));
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "alice"));

        bed.transition(m, "wake");
        awaitChanged(2);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "bob"));
        assertThat(bed.transitions()).containsExactly("changed:b", "sleep:off", "wake:a", "changed:b");
    }

    @Test
    void aWriteByAnotherStoreInstanceIsSeen() {
        bed.bucket("CFG");
        Machine m = watch("{bucket: CFG, key: username, mode: watch}");
        bed.awaitState(m, "unchanged");
        try (KvStore other = KvStore.builder().directory(bed.storeDir).build()) {
            other.bucket("CFG").put("username", "from elsewhere");
        }
        awaitChanged(1);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "from elsewhere"));
    }

    @Test
    void aMissingBucketFailsOnceIsLookedForEveryTwoSecondsAndWorksOnceCreated() {
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            Machine m = watch("{bucket: CFG, key: username, mode: watch}");
            assertThat(bed.transitions()).containsExactly("failed:broken");
            bed.advance(Duration.ofMillis(100 + 200 + 400 + 800 + 1600 + 2000)); // just after the first 2 s wait
            assertThat(bed.transitions()).as("fired once per run of failures").containsExactly("failed:broken");
            assertThat(log.lines(Level.WARN)).containsExactly(
                    "bucket CFG does not exist (yet) (retrying; logged once until it works or fails differently)");
            assertThat(bed.watcherState(m)).containsEntry("state", "error");
            assertThat(bed.scheduler.nextDelay()).as("the back-off stops at 2 s for a missing bucket")
                    .contains(Duration.ofSeconds(2));

            bed.bucket("CFG").put("username", "alice");
            bed.advance(Duration.ofSeconds(2));
            awaitChanged(1);
            assertThat(bed.transitions()).containsExactly("failed:broken", "changed:a");
            assertThat(log.lines(Level.INFO)).containsExactly("watching CFG > username again");
        }
    }

    @Test
    void aBucketCreatedJustAfterTheWatcherStartedIsWatchedWithinAFractionOfASecond() {
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            watch("{bucket: CFG, key: username, mode: watch}");
            assertThat(bed.scheduler.nextDelay()).as("the first look comes soon").contains(Duration.ofMillis(100));
            bed.advance(Duration.ofMillis(100 + 200)); // two more looks: still missing
            assertThat(bed.scheduler.nextDelay()).as("then doubles").contains(Duration.ofMillis(400));

            bed.bucket("CFG").put("username", "alice");
            bed.advance(Duration.ofMillis(400));
            awaitChanged(1);
            assertThat(bed.transitions()).containsExactly("failed:broken", "changed:a");
            assertThat(log.lines(Level.WARN)).as("once while missing").containsExactly(
                    "bucket CFG does not exist (yet) (retrying; logged once until it works or fails differently)");
        }
    }

    @Test
    void anUnavailableStoreIsRetriedUntilItIsThere() {
        AtomicBoolean up = new AtomicBoolean(false);
        bed.storeForMachines = () -> {
            if (!up.get()) {
                throw new StoreException("cannot open the store");
            }
            return bed.store;
        };
        bed.bucket("CFG").put("username", "alice");
        Machine m = watch("{bucket: CFG, key: username, mode: watch}");
        bed.advance(Duration.ofSeconds(1));
        assertThat(bed.transitions()).containsExactly("failed:broken");
        assertThat(bed.watcherState(m)).containsEntry("state", "error");

        up.set(true);
        bed.advance(Duration.ofSeconds(2));
        awaitChanged(1);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "alice"));
    }

    @Test
    void aWatchThatEndsBecauseItsBucketWasRemovedIsEstablishedAgain() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        Machine m = watch("{bucket: CFG, key: username, mode: watch}");
        awaitChanged(1);

        bed.store.delete("CFG");
        bed.await("the end noticed", () -> bed.scheduler.pending() > 0);
        bed.advance(Duration.ofSeconds(1)); // retry: the bucket is missing
        bed.await("the failure", () -> bed.count("failed") == 1);

        bed.store.create(BucketConfig.builder("CFG").build()).put("username", "carol");
        bed.advance(Duration.ofSeconds(2));
        awaitChanged(2);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "carol"));
        assertThat(bed.watcherState(m)).containsEntry("state", "changed");
    }

    /** {@code rm -rf}, as an operator would remove the store's directory under the agent. */
    private static void removeTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String REPLACED_WARNING = "bucket CFG was removed or replaced while watched; watching it again"
            + " (retrying; logged once until it works or fails differently)";

    @Test
    void aBucketReplacedUnderTheWatchIsWatchedAgainAtOnceWithOneWarning() throws IOException {
        bed.bucket("CFG").put("username", "alice");
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            Machine m = watch("{bucket: CFG, key: username, mode: watch}");
            awaitChanged(1);
            Path restored = dir.resolve("restored");
            try (KvStore restore = KvStore.builder().directory(restored).build()) {
                restore.create(BucketConfig.builder("CFG").build()).put("username", "carol");
            }

            // A restore into a fresh directory moved into place, the old one removed: the bucket never goes missing.
            Path old = Files.move(bed.storeDir, dir.resolve("kv.old"));
            Files.move(restored, bed.storeDir);
            removeTree(old);
            awaitChanged(2);

            assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "carol"));
            assertThat(bed.count("failed")).as("the new bucket was there at once").isZero();
            assertThat(log.lines(Level.WARN)).containsExactly(REPLACED_WARNING);
            assertThat(log.lines(Level.INFO)).containsExactly("watching CFG > username again");
            bed.store.bucket("CFG").put("username", "dave");
            awaitChanged(3);
            assertThat(bed.watcherState(m)).containsEntry("state", "changed");
        }
    }

    @Test
    void aStoreRemovedUnderTheWatchAndCreatedAgainLaterIsWatchedAgainWithOneWarning() {
        bed.bucket("CFG").put("username", "alice");
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            watch("{bucket: CFG, key: username, mode: watch}");
            awaitChanged(1);

            removeTree(bed.storeDir);
            bed.await("the missing bucket reported", () -> bed.count("failed") == 1);
            bed.advance(Duration.ofSeconds(1 + 2 + 2)); // looked for again, still missing
            try (KvStore other = KvStore.builder().directory(bed.storeDir).build()) {
                other.create(BucketConfig.builder("CFG").build()).put("username", "carol");
            }
            bed.advance(Duration.ofSeconds(2));
            awaitChanged(2);

            assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "carol"));
            assertThat(bed.transitions()).containsExactly("changed:b", "failed:broken", "changed:a");
            assertThat(log.lines(Level.WARN)).as("once, not at every retry").containsExactly(REPLACED_WARNING);
        }
    }

    @Test
    void aPeriodicResyncOfUnchangedValuesFiresNothing() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        Machine m = bed.start("1s", "{bucket: CFG, key: username, mode: watch}");
        awaitChanged(1);
        for (int i = 0; i < 5; i++) {
            bed.advance(Duration.ofSeconds(1));
            bed.awaitState(m, "unchanged");
        }
        assertThat(bed.count("changed")).isEqualTo(1);
        cfg.put("username", "bob");
        awaitChanged(2);
    }

    @Test
    void stoppingTheMachineEndsTheWatch() throws InterruptedException {
        Bucket cfg = bed.bucket("CFG");
        Machine m = watch("{bucket: CFG, key: username, mode: watch}");
        bed.awaitState(m, "unchanged");
        bed.stopMachines();
        CountDownLatch seen = new CountDownLatch(1);
        try (Watch probe = cfg.watch("username", new WatchListener() {
            @Override
            public void onEntry(Entry entry) {
                seen.countDown();
            }

            @Override
            public void onCaughtUp() {
            }
        })) {
            cfg.put("username", "alice");
            assertThat(seen.await(20, TimeUnit.SECONDS)).as("another watch saw the write").isTrue();
        }
        bed.advance(Duration.ofMinutes(1));
        assertThat(bed.transitions()).isEmpty();
        assertThat(bed.data()).isEmpty();
    }

    @Test
    void aWatchThatFellBehindIsStartedAgainAtOnceWithAResync() {
        InterceptingStore intercepting = new InterceptingStore(bed.store);
        bed.storeForMachines = () -> intercepting;
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            Machine m = watch("{bucket: CFG, key: username, mode: watch}");
            awaitChanged(1);
            intercepting.endLatestWatch(new FellBehindException("watch on bucket CFG fell behind"));
            assertThat(intercepting.watchesStarted()).as("started again without a back-off").isEqualTo(2);
            bed.awaitState(m, "unchanged");
            assertThat(bed.count("changed")).as("the resync found the same value").isEqualTo(1);
            assertThat(log.lines(Level.INFO)).containsExactly("the watch on CFG > username fell behind; watching again");

            cfg.put("username", "bob");
            awaitChanged(2);
        }
    }

    @Test
    void aWatchThatEndsIsStartedAgainAfterTheBackOff() {
        InterceptingStore intercepting = new InterceptingStore(bed.store);
        bed.storeForMachines = () -> intercepting;
        Bucket cfg = bed.bucket("CFG");
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            Machine m = watch("{bucket: CFG, key: username, mode: watch}");
            bed.awaitState(m, "unchanged");
            intercepting.endLatestWatch(null);
            assertThat(intercepting.watchesStarted()).isEqualTo(1);
            cfg.put("username", "alice"); // written while nobody watches
            bed.advance(Duration.ofSeconds(1));
            assertThat(intercepting.watchesStarted()).isEqualTo(2);
            awaitChanged(1);
            assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "alice"));
            assertThat(log.lines(Level.WARN)).containsExactly("the watch on CFG > username ended; watching again"
                    + " (retrying; logged once until it works or fails differently)");
            assertThat(bed.count("failed")).as("an end is not a failure").isZero();
        }
    }
}
