package dev.tend.kv.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Threads made only when none is free, up to the bound; work beyond it queued; a shut-down pool refuses work; and the
 * races of a thread ending, a shutdown and a removal with the giving of a task, each made to happen by holding one
 * side at the point where it matters.
 */
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

    /** The threads a pool made, in order, named {@code tend-ondemandtest-n}. */
    private static final class RecordingThreads implements ThreadFactory {
        private final DaemonThreads names = new DaemonThreads("tend-ondemandtest");
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread t = names.newThread(task);
            made.add(t);
            return t;
        }
    }

    private static Runnable waitFor(CountDownLatch gate) {
        return () -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void aTaskQueuedForAThreadThatEndsAtThatMomentGetsAThreadOfItsOwn() throws Exception {
        RecordingThreads threads = new RecordingThreads();
        Thread test = Thread.currentThread();
        AtomicBoolean armed = new AtomicBoolean();
        pool = new OnDemandPool(2, 60, TimeUnit.SECONDS, threads) {
            /**
             * Armed, for the test's thread: the queue has just counted the threads (the idle one among them) to decide
             * whether a thread is free for the task; the idle one's time runs out and it ends before the task is
             * queued.
             */
            @Override
            public int getPoolSize() {
                int n = super.getPoolSize();
                if (Thread.currentThread() == test && armed.compareAndSet(true, false)) {
                    Thread idle = threads.made.get(1);
                    setKeepAliveTime(1, TimeUnit.NANOSECONDS);
                    try {
                        idle.join(TimeUnit.SECONDS.toMillis(20));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    assertThat(idle.isAlive()).as("the idle thread ended").isFalse();
                    setKeepAliveTime(60, TimeUnit.SECONDS);
                }
                return n;
            }
        };
        OnDemandPool p = pool;
        CountDownLatch busy = new CountDownLatch(1);
        p.execute(waitFor(busy));
        await("one thread busy", () -> p.getActiveCount() == 1);
        CountDownLatch second = new CountDownLatch(1);
        p.execute(second::countDown);
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
        await("the second thread idle", () -> p.getActiveCount() == 1 && p.getPoolSize() == 2);
        CountDownLatch ran = new CountDownLatch(1);
        armed.set(true);
        p.execute(ran::countDown);
        assertThat(armed).as("the race was set up").isFalse();
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("the task ran while the other thread was still busy").isTrue();
        busy.countDown();
    }

    @Test
    void aShutdownRacingTheQueueingOfATaskRunsItOrRefusesIt() throws Exception {
        Thread test = Thread.currentThread();
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch busy = new CountDownLatch(1);
        pool = new OnDemandPool(1, 60, TimeUnit.SECONDS, new DaemonThreads("tend-ondemandtest")) {
            /**
             * Armed, for the test's thread: the pool, full, has just decided to queue the task; a shutdown comes now,
             * and (when it is let through) the busy thread ends its task and the pool ends, before the task is queued.
             */
            @Override
            public boolean isShutdown() {
                boolean shut = super.isShutdown();
                if (Thread.currentThread() == test && armed.compareAndSet(true, false)) {
                    Thread shutter = new Thread(this::shutdown, "tend-ondemandtest-shutdown");
                    shutter.start();
                    try {
                        while (shutter.isAlive() && shutter.getState() != Thread.State.WAITING) {
                            Thread.onSpinWait();
                        }
                        if (!shutter.isAlive()) {
                            busy.countDown();
                            assertThat(awaitTermination(20, TimeUnit.SECONDS)).isTrue();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return shut;
            }
        };
        OnDemandPool p = pool;
        p.execute(waitFor(busy));
        await("the thread busy", () -> p.getActiveCount() == 1);
        CountDownLatch ran = new CountDownLatch(1);
        armed.set(true);
        boolean refused = false;
        try {
            p.execute(ran::countDown);
        } catch (RejectedExecutionException e) {
            refused = true;
        }
        assertThat(armed).as("the race was set up").isFalse();
        busy.countDown();
        assertThat(refused || ran.await(10, TimeUnit.SECONDS)).as("the task was refused or ran").isTrue();
        assertThat(p.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.getQueue()).as("nothing left behind in a terminated pool").isEmpty();
    }

    @Test
    void aRemovedTaskNoLongerCountsSoWorkOnePieceAtATimeStillKeepsOneThread() throws Exception {
        RecordingThreads threads = new RecordingThreads();
        pool = new OnDemandPool(2, 60, TimeUnit.SECONDS, threads);
        OnDemandPool p = pool;
        CountDownLatch busy = new CountDownLatch(1);
        p.execute(waitFor(busy));
        p.execute(waitFor(busy));
        await("two threads busy", () -> p.getActiveCount() == 2);
        Runnable never = () -> { };
        Runnable alsoNever = () -> { };
        p.execute(never);
        p.execute(alsoNever);
        assertThat(p.remove(never)).isTrue();
        assertThat(p.getQueue().removeIf(t -> t == alsoNever)).isTrue();
        busy.countDown();
        await("both threads idle", () -> p.getActiveCount() == 0 && p.getCompletedTaskCount() == 2);
        assertThat(p.unfinished()).isZero();
        // Let both threads end, then give work one piece at a time: one thread does it all.
        p.setKeepAliveTime(1, TimeUnit.NANOSECONDS);
        for (Thread t : threads.made) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
        p.setKeepAliveTime(60, TimeUnit.SECONDS);
        int before = threads.made.size();
        for (int i = 0; i < 5; i++) {
            CountDownLatch done = new CountDownLatch(1);
            p.execute(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            await("the task ended", () -> p.getActiveCount() == 0 && p.getCompletedTaskCount() == p.getTaskCount());
        }
        assertThat(threads.made.size() - before).as("threads made for work that came one piece at a time")
                .isEqualTo(1);
    }

    @Test
    void shutdownNowReturnsTheQueuedTasksAndNoLongerCountsThem() throws Exception {
        pool = pool(1);
        OnDemandPool p = pool;
        CountDownLatch busy = new CountDownLatch(1);
        p.execute(waitFor(busy));
        await("the thread busy", () -> p.getActiveCount() == 1);
        p.execute(() -> { });
        p.execute(() -> { });
        assertThat(p.shutdownNow()).hasSize(2);
        assertThat(p.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.unfinished()).isZero();
    }
}
