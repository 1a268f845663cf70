package dev.tend.kv.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Threads made only when none is free, up to the bound; work beyond it queued; a shut-down pool refuses work. */
class OnDemandPoolTest {

    private OnDemandPool pool;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private OnDemandPool pool(int threads) {
        pool = new OnDemandPool(threads, 60, TimeUnit.SECONDS, new DaemonThreads("tend-ondemandtest"));
        return pool;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("waiting for " + what).isNegative();
            Thread.sleep(5);
        }
    }

    @Test
    void workThatComesOnePieceAtATimeKeepsOneThread() throws Exception {
        OnDemandPool p = pool(4);
        for (int i = 0; i < 20; i++) {
            CountDownLatch done = new CountDownLatch(1);
            p.execute(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            await("the task ended", () -> p.getActiveCount() == 0 && p.getCompletedTaskCount() == p.getTaskCount());
        }
        assertThat(p.getLargestPoolSize()).as("a free thread takes the next task").isEqualTo(1);
    }

    @Test
    void aThreadIsMadeWhenTheOthersAreBusyUpToTheBoundThenWorkQueues() throws Exception {
        OnDemandPool p = pool(3);
        CountDownLatch gate = new CountDownLatch(1);
        for (int i = 1; i <= 3; i++) {
            p.execute(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int n = i;
            await(n + " threads busy", () -> p.getActiveCount() == n);
            assertThat(p.getPoolSize()).isEqualTo(n);
            assertThat(p.getQueue()).isEmpty();
        }
        CountDownLatch queued = new CountDownLatch(2);
        p.execute(queued::countDown);
        p.execute(queued::countDown);
        assertThat(p.getPoolSize()).isEqualTo(3);
        assertThat(p.getQueue()).hasSize(2);
        gate.countDown();
        assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.getLargestPoolSize()).isEqualTo(3);
    }

    @Test
    void aShutDownPoolRefusesWork() {
        OnDemandPool p = pool(1);
        p.shutdown();
        assertThatThrownBy(() -> p.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }
}
