package dev.tend.governor;

import dev.tend.kv.KvStore;
import dev.tend.kv.nats.NatsServer;
import dev.tend.kv.nats.NatsServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Governors on a real nats-server: the same bucket layout and claims through JetStream KV. Claims carry the server's
 * time and age on the system clock, so the hold time passes for real here (the shortest, 1s).
 */
@ExtendWith(NatsServerExtension.class)
class NatsGovernorTest implements NatsServerExtension.Aware {

    private NatsServer server;
    private KvStore store;
    private Governors governors;

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @BeforeEach
    void open() {
        store = KvStore.open(server.url());
        governors = Governors.builder(store).pollInterval(Duration.ofMillis(200)).build();
    }

    @AfterEach
    void close() {
        for (String name : governors.names()) {
            governors.delete(name);
        }
        store.close();
    }

    @Test
    void slotsAreClaimedUpToTheCapacityAndReleased() {
        Governor g = governors.add("nats_slots", new GovernorConfig(2, Duration.ofMinutes(5)), 1);

        Lease a = g.tryEnter("a").orElseThrow();
        Lease b = g.tryEnter("b").orElseThrow();

        assertThat(g.tryEnter("c")).isEmpty();
        assertThat(store.bucketNames()).contains("GOVERNOR_nats_slots");
        assertThat(g.claims()).extracting(Claim::slot, Claim::holder)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "a"), org.assertj.core.groups.Tuple.tuple(2, "b"));
        assertThat(b.release()).isTrue();
        assertThat(g.tryEnter("c").orElseThrow().slot()).isEqualTo(2);
        assertThat(g.evict(1)).map(Claim::holder).contains("a");
        assertThat(a.release()).isFalse();
        assertThat(governors.governor("nats_slots").config()).isEqualTo(new GovernorConfig(2, Duration.ofMinutes(5)));
    }

    @Test
    void anAbandonedClaimIsTakenOverAfterTheHoldTime() throws InterruptedException {
        Governor g = governors.add("nats_expire", new GovernorConfig(1, Duration.ofSeconds(1)), 1);
        Lease abandoned = g.tryEnter("killed").orElseThrow();

        Lease next = g.enter("next", Duration.ofSeconds(30));

        assertThat(next.slot()).isEqualTo(1);
        assertThat(next.since()).isAfterOrEqualTo(abandoned.since().plusSeconds(1));
        assertThat(abandoned.release()).isFalse();
        assertThat(g.claims()).extracting(Claim::holder).containsExactly("next");
    }

    @Test
    void aReleaseWakesAWaiterThroughTheWatch() throws Exception {
        Governors slowPolls = Governors.builder(store).pollInterval(Duration.ofHours(1)).build();
        Governor g = slowPolls.add("nats_wake", new GovernorConfig(1, Duration.ofHours(1)), 1);
        Lease held = g.tryEnter("a").orElseThrow();
        CompletableFuture<Void> sleeping = new CompletableFuture<>();
        Governor waiting = Governors.builder(store).pollInterval(Duration.ofHours(1)).sleeper((d, changed) -> {
            sleeping.complete(null);
            Sleeper.system().sleep(d, changed);
        }).build().governor("nats_wake");
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "governor-test-waiter"));
        try {
            Future<Lease> waiter = executor.submit(() -> waiting.enter("b", Duration.ofHours(1)));
            sleeping.get(30, TimeUnit.SECONDS);

            held.release();

            assertThat(waiter.get(30, TimeUnit.SECONDS).slot()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void threadsNeverHoldMoreSlotsThanTheCapacity() throws Exception {
        Governor g = governors.add("nats_threads", new GovernorConfig(2, Duration.ofHours(1)), 1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(5, r -> new Thread(r, "governor-test-worker"));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 5; w++) {
                String holder = "worker " + w;
                workers.add(executor.submit(() -> {
                    for (int i = 0; i < 4; i++) {
                        try (Lease lease = g.enter(holder, Duration.ofMinutes(1))) {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.sleep(5);
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
        assertThat(g.claims()).isEmpty();
    }
}
