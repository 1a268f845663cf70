package dev.tend.machine.agent;

import ch.qos.logback.classic.Level;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tend.machine.agent.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The bounded pool: never more threads than its bound, work beyond it queued, one warning when work waited long. */
class BoundedPoolTest {

    private final AtomicLong nanos = new AtomicLong();
    private BoundedPool pool;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private BoundedPool pool(int threads) {
        pool = new BoundedPool("tend-pooltest", threads, Duration.ofSeconds(60), Duration.ofSeconds(5), nanos::get,
                "do something");
        return pool;
    }

    @Test
    void workBeyondTheBoundQueuesOnNamedThreads() throws Exception {
        BoundedPool p = pool(2);
        CountDownLatch gate = new CountDownLatch(1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            p.execute(() -> {
                threads.add(Thread.currentThread().getName());
                awaitQuietly(gate);
            });
        }
        for (int i = 0; i < 50; i++) {
            int n = i;
            p.execute(() -> {
                threads.add(Thread.currentThread().getName());
                order.add(n);
            });
        }
        await("both threads busy", () -> p.getActiveCount() == 2);
        assertThat(p.getQueue()).hasSize(50);
        assertThat(p.getPoolSize()).isEqualTo(2);
        gate.countDown();
        await("the queued work", () -> order.size() == 50);
        assertThat(p.getLargestPoolSize()).isEqualTo(2);
        assertThat(threads).allMatch(name -> name.matches("tend-pooltest-[12]"));
        assertThat(order).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
    }

    @Test
    void workThatComesOnePieceAtATimeKeepsOneThread() throws Exception {
        BoundedPool p = pool(8);
        for (int i = 0; i < 20; i++) {
            CountDownLatch done = new CountDownLatch(1);
            p.execute(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            await("the task ended", () -> p.getActiveCount() == 0);
        }
        assertThat(p.getLargestPoolSize()).as("a free thread takes the next task").isEqualTo(1);
    }

    @Test
    void aThreadIsMadeWhenTheOthersAreBusyUpToTheBound() throws Exception {
        BoundedPool p = pool(3);
        CountDownLatch gate = new CountDownLatch(1);
        for (int i = 1; i <= 3; i++) {
            p.execute(() -> awaitQuietly(gate));
            int n = i;
            await(n + " threads busy", () -> p.getActiveCount() == n);
            assertThat(p.getPoolSize()).isEqualTo(n);
            assertThat(p.getQueue()).isEmpty();
        }
        CountDownLatch queued = new CountDownLatch(1);
        p.execute(queued::countDown);
        assertThat(p.getPoolSize()).isEqualTo(3);
        assertThat(p.getQueue()).hasSize(1);
        gate.countDown();
        assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.getLargestPoolSize()).isEqualTo(3);
    }

    @Test
    void aShutDownPoolRefusesWork() {
        BoundedPool p = pool(1);
        p.shutdown();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.execute(() -> { }))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    @Test
    void workThatWaitedLongIsWarnedAboutOnce() throws Exception {
        try (LogCapture log = LogCapture.of(BoundedPool.class)) {
            BoundedPool p = pool(1);
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(3);
            p.execute(() -> awaitQuietly(gate));
            p.execute(done::countDown); // given at 0 s
            nanos.addAndGet(Duration.ofSeconds(4).toNanos());
            p.execute(done::countDown);
            assertThat(p.warned()).as("4 s is within patience").isFalse();
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            p.execute(done::countDown); // the oldest queued task has now waited 6 s
            assertThat(p.warned()).isTrue();
            gate.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(log.lines(Level.WARN)).containsExactly("work waited 6.0s for one of the 1 tend-pooltest"
                    + " threads, all busy; do something (warned once)");
        }
    }

    @Test
    void aTaskThatWaitedLongIsWarnedAboutWhenItStarts() throws Exception {
        try (LogCapture log = LogCapture.of(BoundedPool.class)) {
            BoundedPool p = pool(1);
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            p.execute(() -> awaitQuietly(gate));
            p.execute(done::countDown);
            nanos.addAndGet(Duration.ofSeconds(7).toNanos());
            gate.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            await("the warning", () -> log.lines(Level.WARN).size() == 1);
            assertThat(log.lines(Level.WARN).get(0)).startsWith("work waited 7.0s for one of the 1 tend-pooltest");
        }
    }

    private static void awaitQuietly(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
