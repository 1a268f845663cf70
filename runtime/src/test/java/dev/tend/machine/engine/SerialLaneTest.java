package dev.tend.machine.engine;

import ch.qos.logback.classic.Level;
import dev.tend.machine.testing.LogCapture;
import dev.tend.machine.testing.ManualExecutor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's one serial lane: order, no overlap, failures, a refusing executor, a direct executor. */
class SerialLaneTest {

    private final ManualExecutor executor = new ManualExecutor();
    private final SerialLane lane = new SerialLane(executor, "lane \"test\"");
    private final List<String> ran = new ArrayList<>();

    @Test
    void runsTasksInTheOrderGivenWithOneDrainOnTheExecutor() {
        lane.execute(() -> ran.add("a"));
        lane.execute(() -> ran.add("b"));
        lane.execute(() -> ran.add("c"));
        assertThat(ran).as("nothing runs until the executor runs the drain").isEmpty();
        assertThat(executor.pending()).as("one drain for the three").isEqualTo(1);

        executor.runAll();

        assertThat(ran).containsExactly("a", "b", "c");
        lane.execute(() -> ran.add("d"));
        assertThat(executor.pending()).as("an idle lane asks for a new drain").isEqualTo(1);
    }

    @Test
    void aTaskGivenFromInsideATaskRunsAfterItNeverInsideIt() {
        lane.execute(() -> {
            lane.execute(() -> ran.add("inner"));
            ran.add("outer done");
        });
        executor.runAll();
        assertThat(ran).containsExactly("outer done", "inner");
    }

    @Test
    void aTaskThatThrowsIsLoggedAndTheNextOneRuns() {
        try (LogCapture log = LogCapture.of(SerialLane.class)) {
            lane.execute(() -> {
                throw new IllegalStateException("plugin bug");
            });
            lane.execute(() -> {
                throw new NoClassDefFoundError("com/example/Missing");
            });
            lane.execute(() -> ran.add("next"));
            executor.runAll();

            assertThat(ran).containsExactly("next");
            assertThat(log.lines(Level.WARN)).containsExactly(
                    "lane \"test\": java.lang.IllegalStateException: plugin bug",
                    "lane \"test\": java.lang.NoClassDefFoundError: com/example/Missing");
        }
    }

    @Test
    void whenTheExecutorRefusesWorkTheCallingThreadRunsTheQueue() {
        executor.shutdown();
        Thread caller = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();

        lane.execute(() -> threads.add(Thread.currentThread()));

        assertThat(threads).containsExactly(caller);
    }

    @Test
    void knowsWhetherTheCallingThreadIsRunningOneOfItsTasks() {
        List<Boolean> inside = new ArrayList<>();
        lane.execute(() -> inside.add(lane.isRunningOnCurrentThread()));
        assertThat(lane.isRunningOnCurrentThread()).isFalse();
        executor.runAll();
        assertThat(inside).containsExactly(true);
        assertThat(lane.isRunningOnCurrentThread()).isFalse();
    }

    @Test
    void onADirectExecutorTheCallerRunsUnlessAnotherThreadIsDrainingWhichThenRunsItsTaskToo() throws Exception {
        SerialLane direct = new SerialLane(Runnable::run, "lane \"direct\"");
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch secondGiven = new CountDownLatch(1);
        List<String> order = new ArrayList<>();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> direct.execute(() -> {
                order.add("first on " + Thread.currentThread().getName());
                inFirst.countDown();
                await(secondGiven);
            }), other);
            assertThat(inFirst.await(20, TimeUnit.SECONDS)).isTrue();

            direct.execute(() -> order.add("second on " + Thread.currentThread().getName()));
            assertThat(order).as("queued for the draining thread: the caller did not wait").hasSize(1);
            secondGiven.countDown();
            first.get(20, TimeUnit.SECONDS);

            String drainer = order.get(0).substring("first on ".length());
            assertThat(order).containsExactly("first on " + drainer, "second on " + drainer);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void tasksFromManyThreadsNeverOverlapAndEachThreadsTasksKeepTheirOrder() throws Exception {
        int submitters = 4;
        int perSubmitter = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialLane shared = new SerialLane(pool, "lane \"contended\"");
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            int[] lastSeen = new int[submitters];
            int[] outOfOrder = new int[1];
            int[] count = new int[1]; // plain fields: lost updates would show an overlap or a missing happens-before
            CountDownLatch all = new CountDownLatch(submitters * perSubmitter);
            List<CompletableFuture<Void>> giving = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                int submitter = s;
                giving.add(CompletableFuture.runAsync(() -> {
                    for (int n = 1; n <= perSubmitter; n++) {
                        int seq = n;
                        shared.execute(() -> {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            if (lastSeen[submitter] != seq - 1) {
                                outOfOrder[0]++;
                            }
                            lastSeen[submitter] = seq;
                            count[0]++;
                            inside.decrementAndGet();
                            all.countDown();
                        });
                    }
                }));
            }
            CompletableFuture.allOf(giving.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
            CountDownLatch read = new CountDownLatch(1);
            int[] seen = new int[2];
            shared.execute(() -> { // read on the lane: its tasks' writes are visible there
                seen[0] = count[0];
                seen[1] = outOfOrder[0];
                read.countDown();
            });
            assertThat(read.await(20, TimeUnit.SECONDS)).isTrue();

            assertThat(overlaps.get()).isZero();
            assertThat(seen[0]).isEqualTo(submitters * perSubmitter);
            assertThat(seen[1]).as("tasks out of their submitter's order").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
