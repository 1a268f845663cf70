package dev.tend.governor;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.InvalidNameException;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import dev.tend.kv.contract.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The slot logic on the embedded store, with one moved clock for the store (claims' times) and the governor (their
 * age), and a sleeper that moves that clock instead of sleeping.
 */
class GovernorTest {

    private static final Duration EXPIRE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    /** What each wait of the fake sleeper was asked to last. */
    private final List<Duration> sleeps = new ArrayList<>();
    private KvStore store;
    private Governors governors;

    @BeforeEach
    void open() {
        store = KvStore.builder().directory(dir).clock(clock).build();
        governors = Governors.builder(store).clock(clock).sleeper((duration, changed) -> {
            sleeps.add(duration);
            clock.advance(duration);
        }).pollInterval(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aGovernorIsABucketWithItsConfig() {
        governors.add("cron", new GovernorConfig(2, EXPIRE), 1);

        assertThat(governors.names()).containsExactly("cron");
        assertThat(governors.exists("cron")).isTrue();
        assertThat(governors.exists("other")).isFalse();
        assertThat(store.bucketNames()).containsExactly("GOVERNOR_cron");
        assertThat(store.bucket("GOVERNOR_cron").getExisting("config").valueAsString())
                .isEqualTo("{\"capacity\":2,\"expire\":\"5m0s\"}");
        Governor cron = governors.governor("cron");
        assertThat(cron.config()).isEqualTo(new GovernorConfig(2, EXPIRE));
        assertThat(cron.replicas()).isEqualTo(1);
    }

    @Test
    void addingAgainChangesTheConfigAndKeepsTheClaims() {
        Governor cron = governors.add("cron", new GovernorConfig(2, EXPIRE), 1);
        cron.tryEnter("a").orElseThrow();

        governors.add("cron", new GovernorConfig(5, Duration.ofHours(1)), 1);

        assertThat(cron.config()).isEqualTo(new GovernorConfig(5, Duration.ofHours(1)));
        assertThat(cron.claims()).extracting(Claim::holder).containsExactly("a");
    }

    @Test
    void slotsAreClaimedUpToTheCapacityAndReleased() {
        Governor cron = governors.add("cron", new GovernorConfig(2, EXPIRE), 1);

        Lease a = cron.tryEnter("a").orElseThrow();
        Lease b = cron.tryEnter("b").orElseThrow();
        Optional<Lease> c = cron.tryEnter("c");

        assertThat(a.slot()).isEqualTo(1);
        assertThat(b.slot()).isEqualTo(2);
        assertThat(c).isEmpty();
        assertThat(a.since()).isEqualTo(clock.instant());
        assertThat(cron.claims()).extracting(Claim::slot, Claim::holder, Claim::expired)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "a", false),
                        org.assertj.core.groups.Tuple.tuple(2, "b", false));

        assertThat(a.release()).isTrue();
        assertThat(a.release()).as("a second release").isFalse();
        assertThat(cron.tryEnter("c").orElseThrow().slot()).isEqualTo(1);
    }

    @Test
    void anExpiredClaimIsTakenOverAfterTheHoldTimeAndItsHolderReleasesNothing() {
        Governor cron = governors.add("cron", new GovernorConfig(1, EXPIRE), 1);
        Lease killed = cron.tryEnter("killed").orElseThrow();

        clock.advance(EXPIRE.minusMillis(1));
        assertThat(cron.tryEnter("next")).as("1ms before the hold time").isEmpty();
        assertThat(cron.claims().get(0).expired()).isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(cron.claims().get(0).expired()).isTrue();
        Lease next = cron.tryEnter("next").orElseThrow();

        assertThat(next.slot()).isEqualTo(1);
        assertThat(killed.release()).as("the old holder's release").isFalse();
        assertThat(cron.claims()).extracting(Claim::holder).containsExactly("next");
        assertThat(next.release()).isTrue();
        assertThat(cron.claims()).isEmpty();
    }

    @Test
    void enterWaitsUntilTheOldestClaimExpires() throws InterruptedException {
        Governor cron = governors.add("cron", new GovernorConfig(2, Duration.ofSeconds(5)), 1);
        Instant start = clock.instant();
        cron.tryEnter("a").orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        cron.tryEnter("b").orElseThrow();

        Lease lease = cron.enter("c", Duration.ofMinutes(1));

        assertThat(lease.slot()).as("a's slot, which expired first").isEqualTo(1);
        assertThat(clock.instant()).as("a's claim's expiry").isEqualTo(start.plusSeconds(5));
        assertThat(sleeps).as("polls every 2s, then up to the expiry")
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void enterGivesUpAtItsDeadline() {
        Governor cron = governors.add("cron", new GovernorConfig(1, Duration.ofHours(1)), 1);
        cron.tryEnter("a").orElseThrow();
        Instant start = clock.instant();

        assertThatThrownBy(() -> cron.enter("b", Duration.ofMillis(4500)))
                .isInstanceOf(GovernorTimeoutException.class)
                .hasMessage("no slot in governor cron came free within 4.5s");
        assertThat(clock.instant()).isEqualTo(start.plusMillis(4500));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    @Test
    void enterWithoutWaitingTriesOnce() {
        Governor cron = governors.add("cron", new GovernorConfig(1, EXPIRE), 1);
        cron.tryEnter("a").orElseThrow();

        assertThatThrownBy(() -> cron.enter("b", Duration.ZERO)).isInstanceOf(GovernorTimeoutException.class);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aReleaseWakesAWaiterAtOnce() throws Exception {
        Governors realWaits = Governors.builder(store).clock(clock).pollInterval(Duration.ofHours(1)).build();
        Governor cron = realWaits.add("cron", new GovernorConfig(1, Duration.ofHours(1)), 1);
        Lease held = cron.tryEnter("a").orElseThrow();
        CompletableFuture<Void> sleeping = new CompletableFuture<>();
        Governor watched = Governors.builder(store).clock(clock).pollInterval(Duration.ofHours(1))
                .sleeper((duration, changed) -> {
                    sleeping.complete(null);
                    Sleeper.system().sleep(duration, changed);
                }).build().governor("cron");
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "governor-test-waiter"));
        try {
            Future<Lease> waiter = executor.submit(() -> watched.enter("b", Duration.ofHours(1)));
            sleeping.get(30, TimeUnit.SECONDS);

            held.release();

            // Only the watch can wake it: the poll interval and the deadline are an hour away.
            assertThat(waiter.get(30, TimeUnit.SECONDS).slot()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aCancelledWaitGivesUp() throws Exception {
        Governor cron = Governors.builder(store).clock(clock).pollInterval(Duration.ofHours(1)).build()
                .add("cron", new GovernorConfig(1, Duration.ofHours(1)), 1);
        cron.tryEnter("a").orElseThrow();
        CompletableFuture<Void> cancel = new CompletableFuture<>();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "governor-test-waiter"));
        try {
            Future<Lease> waiter = executor.submit(() -> cron.enter("b", Duration.ofHours(1), cancel));

            cancel.complete(null); // whether it is waiting yet or not

            assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.util.concurrent.CancellationException.class)
                    .cause().hasMessage("waiting for a slot in governor cron was cancelled");
            assertThat(cron.claims()).extracting(Claim::holder).containsExactly("a");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void evictFreesASlotWhoeverHoldsIt() {
        Governor cron = governors.add("cron", new GovernorConfig(2, EXPIRE), 1);
        cron.tryEnter("a").orElseThrow();
        Lease b = cron.tryEnter("b").orElseThrow();

        Optional<Claim> evicted = cron.evict(2);

        assertThat(evicted).map(Claim::holder).contains("b");
        assertThat(cron.evict(2)).as("a free slot").isEmpty();
        assertThat(b.release()).isFalse();
        assertThat(cron.claims()).extracting(Claim::holder).containsExactly("a");
    }

    @Test
    void aClaimAboveALoweredCapacityIsShownButNotClaimedAgain() {
        Governor cron = governors.add("cron", new GovernorConfig(2, EXPIRE), 1);
        cron.tryEnter("a").orElseThrow();
        Lease b = cron.tryEnter("b").orElseThrow();
        governors.add("cron", new GovernorConfig(1, EXPIRE), 1);

        assertThat(cron.claims()).extracting(Claim::slot).containsExactly(1, 2);
        b.release();
        assertThat(cron.tryEnter("c")).isEmpty();
    }

    @Test
    void removingAGovernorEndsItsLeases() {
        Governor cron = governors.add("cron", new GovernorConfig(1, EXPIRE), 1);
        Lease a = cron.tryEnter("a").orElseThrow();

        governors.delete("cron");

        assertThat(governors.names()).isEmpty();
        assertThat(a.release()).isFalse();
        assertThatThrownBy(cron::claims).isInstanceOf(UnknownGovernorException.class)
                .hasMessage("unknown governor cron");
        assertThatThrownBy(() -> governors.delete("cron")).isInstanceOf(UnknownGovernorException.class);
    }

    @Test
    void unknownGovernorsAndBucketsThatAreNotOne() {
        assertThatThrownBy(() -> governors.governor("nope")).isInstanceOf(UnknownGovernorException.class)
                .hasMessage("unknown governor nope");
        store.create(dev.tend.kv.BucketConfig.builder("GOVERNOR_empty").build());
        assertThatThrownBy(() -> governors.governor("empty")).isInstanceOf(UnknownGovernorException.class);
        assertThat(governors.exists("empty")).isFalse();
    }

    @Test
    void badInputIsAOneLineError() {
        assertThatThrownBy(() -> governors.add("a b", new GovernorConfig(1, EXPIRE), 1))
                .isInstanceOf(InvalidNameException.class)
                .hasMessage("invalid governor name \"a b\": use only A-Z, a-z, 0-9, '-' and '_', at most 243"
                        + " characters");
        assertThatThrownBy(() -> new GovernorConfig(0, EXPIRE)).isInstanceOf(InvalidInputException.class)
                .hasMessage("a governor's capacity must be from 1 to 10000, not 0");
        assertThatThrownBy(() -> new GovernorConfig(1, Duration.ofMillis(500)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("a governor's hold time (expire) must be at least 1s, not 500ms");
    }

    @Test
    void anInvalidConfigKeyIsAStoreError() {
        governors.add("cron", new GovernorConfig(1, EXPIRE), 1);
        store.bucket("GOVERNOR_cron").put("config", "{\"capacity\":\"two\"}");

        assertThatThrownBy(() -> governors.governor("cron").config()).isInstanceOf(StoreException.class)
                .hasMessage("governor cron has an invalid config (key config of bucket GOVERNOR_cron): it needs a"
                        + " whole number \"capacity\" and an \"expire\" duration");
    }

    @Test
    void threadsNeverHoldMoreSlotsThanTheCapacity() throws Exception {
        Governor cron = Governors.builder(store).clock(clock).pollInterval(Duration.ofMillis(50)).build()
                .add("cron", new GovernorConfig(2, Duration.ofHours(1)), 1);
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(6, r -> new Thread(r, "governor-test-worker"));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                String holder = "worker " + w;
                workers.add(executor.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        try (Lease lease = cron.enter(holder, Duration.ofMinutes(1))) {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.sleep(2);
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }
        // Never more than the capacity; whether two threads overlapped at all depends on the host's scheduling.
        assertThat(most.get()).isBetween(1, 2);
        assertThat(cron.claims()).isEmpty();
    }
}
