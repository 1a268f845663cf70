package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.testing.TestMachines;
import dev.tend.machine.testing.TestWatcherCall.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Watcher calls on real threads: a slow watcher delays nobody, pokes coalesce, nothing runs under the machine's lock. */
class MachineConcurrencyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tend-test-watcher-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    private TestMachines.MachineBuilder cycle() {
        return TestMachines.machine("cycle", dir).initial("a")
                .transition("next", "b", "a")
                .transition("next", "c", "b")
                .transition("next", "d", "c")
                .transition("next", "a", "d");
    }

    @Test
    void aWatcherBlockedInStateChangedDelaysNeitherItsMachineNorTheOtherWatchersAndItsPokesCoalesce()
            throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowPokes = new AtomicInteger();
        EngineFixture f = new EngineFixture(dir).listener(call -> {
            if (call.watcher().equals("slow") && call.kind() == Kind.STATE_CHANGED && slowPokes.incrementAndGet() == 1) {
                entered.countDown();
                await(release);
            }
        });
        Machine m = f.create(cycle().watcher(TestMachines.testWatcher("slow"))
                .watcher(TestMachines.testWatcher("fast")).build(), pool);
        m.start();
        f.scheduler.runDue();
        waitFor(() -> f.calls("fast", Kind.STARTED).size() == 1 && f.calls("slow", Kind.STARTED).size() == 1);

        m.transition("next");
        assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // while "slow" is stuck in its first stateChanged: operator transitions, fired ones, status all go on
        assertThat(m.transition("next")).isEqualTo("c");
        m.fire("next");
        f.scheduler.runDue();
        assertThat(m.state()).isEqualTo("d");
        assertThat(m.transition("next")).isEqualTo("a");
        assertThat(f.events.transitions()).hasSize(4);
        waitFor(() -> {
            var pokes = f.calls("fast", Kind.STATE_CHANGED);
            return !pokes.isEmpty() && pokes.get(pokes.size() - 1).state().equals("a");
        });

        release.countDown();
        // the three pokes made while it was busy coalesced into one
        waitFor(() -> f.calls("slow", Kind.STATE_CHANGED).size() == 2);
        m.stop();
        assertThat(f.calls("slow", Kind.STATE_CHANGED)).hasSize(2);
        assertThat(f.calls("slow", Kind.STOPPED)).hasSize(1);
    }

    @Test
    void statusDoesNotHangOnAWatcherBusyInAnotherCall() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EngineFixture f = new EngineFixture(dir).listener(call -> {
            if (call.watcher().equals("slow") && call.kind() == Kind.STATE_CHANGED) {
                entered.countDown();
                await(release);
            }
        });
        Machine m = f.create(cycle().watcher(TestMachines.testWatcher("slow"))
                .watcher(TestMachines.testWatcher("fast")).build(), pool);
        m.start();
        f.scheduler.runDue();
        waitFor(() -> f.calls(c -> c.kind() == Kind.STARTED).size() == 2);
        m.transition("next");
        assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        var status = CompletableFuture.supplyAsync(m::status, pool).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertThat(status.watchers().get(0).state()).as("busy: no state").isEmpty();
        assertThat(status.watchers().get(1).state()).containsEntry("activations", 2);
        release.countDown();
        m.stop();
    }

    @Test
    void watcherCallsNeverRunUnderTheMachinesLock() throws Exception {
        // Watcher calls here run on the thread that made the transition; from inside a poke another thread must be able
        // to make a transition of the same machine, which it could not if the poke ran under the machine's lock.
        AtomicReference<Machine> machine = new AtomicReference<>();
        AtomicReference<String> otherThreadSaw = new AtomicReference<>();
        EngineFixture f = new EngineFixture(dir);
        f.listener(call -> {
            if (call.kind() == Kind.STATE_CHANGED && call.state().equals("b")) {
                CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> {
                    try {
                        return machine.get().transition("next");
                    } catch (Exception e) {
                        return e.toString();
                    }
                }, pool);
                try {
                    otherThreadSaw.set(other.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                } catch (Exception e) {
                    otherThreadSaw.set("blocked: " + e);
                }
            }
        });
        machine.set(f.create(cycle().watcher(TestMachines.testWatcher("w")).build()));
        Machine m = machine.get();
        m.start();
        f.scheduler.runDue();

        m.transition("next");

        assertThat(otherThreadSaw.get()).isEqualTo("c");
        waitFor(() -> f.calls("w", Kind.STATE_CHANGED).size() == 2);
        assertThat(f.events.transitions()).extracting(e -> e.fromState() + ">" + e.toState())
                .containsExactly("a>b", "b>c");
        m.stop();
    }

    @Test
    void concurrentFiresAndOperatorTransitionsAreAppliedOneAtATimeAndPublishedInOrder() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(cycle().watcher(TestMachines.testWatcher("w")).build(), pool);
        int perThread = 200;
        CompletableFuture<?>[] workers = new CompletableFuture<?>[4];
        for (int i = 0; i < workers.length; i++) {
            boolean operator = i % 2 == 0;
            workers[i] = CompletableFuture.runAsync(() -> {
                for (int n = 0; n < perThread; n++) {
                    if (operator) {
                        try {
                            m.transition("next");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    } else {
                        m.fire("next");
                    }
                }
            }, pool);
        }
        CompletableFuture.allOf(workers).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        f.scheduler.advance(Duration.ofHours(1)); // every loop protection delay
        waitFor(() -> f.events.transitions().size() == 4 * perThread);

        var transitions = f.events.transitions();
        for (int i = 1; i < transitions.size(); i++) {
            assertThat(transitions.get(i).fromState()).as("event %d follows event %d", i, i - 1)
                    .isEqualTo(transitions.get(i - 1).toState());
        }
        assertThat(transitions.get(transitions.size() - 1).toState()).isEqualTo(m.state());
        m.stop();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + DEADLINE.toSeconds() + " s");
            }
            Thread.sleep(5);
        }
    }
}
