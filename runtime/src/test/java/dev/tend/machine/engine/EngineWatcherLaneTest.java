package dev.tend.machine.engine;

import dev.tend.machine.spi.WatcherLane;
import dev.tend.machine.testing.ManualExecutor;
import dev.tend.machine.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A watcher's lane as plugins see it: timers on a hand-driven scheduler that run on the lane, cancellation that is final
 * on the lane, ticks that do not pile up, blocking work whose answer comes back to the lane, and what a stop waits for.
 * The lane runs on a {@link ManualExecutor}, so a test sees what is queued on it before it runs.
 */
class EngineWatcherLaneTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ManualExecutor lanes = new ManualExecutor();
    private final ManualExecutor blocking = new ManualExecutor();
    private final ManualExecutor waits = new ManualExecutor();
    private final EngineWatcherLane lane = new EngineWatcherLane(lanes, scheduler, blocking, waits, "lane \"w\"");
    private final List<String> ran = new ArrayList<>();

    /** Moves time on and runs what that handed to the lane. */
    private void advance(Duration by) {
        scheduler.advance(by);
        lanes.runAll();
    }

    @Test
    void aScheduledTaskRunsOnTheLaneOnceItsDelayHasPassed() {
        lane.schedule(Duration.ofSeconds(10), () -> ran.add("due on lane: " + lane.isRunningOnCurrentThread()));

        advance(Duration.ofMillis(9_999));
        assertThat(ran).isEmpty();
        advance(Duration.ofMillis(1));
        assertThat(ran).containsExactly("due on lane: true");
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aTaskCancelledBeforeItIsDueNeverRunsAndLeavesNothingOnTheScheduler() {
        WatcherLane.Scheduled timer = lane.schedule(Duration.ofSeconds(10), () -> ran.add("ran"));
        timer.cancel();
        timer.cancel(); // idempotent

        assertThat(scheduler.pending()).isZero();
        advance(Duration.ofMinutes(1));
        assertThat(ran).isEmpty();
    }

    @Test
    void aTaskCancelledOnTheLaneAfterTheSchedulerHandedItOverDoesNotRun() {
        WatcherLane.Scheduled[] expiry = new WatcherLane.Scheduled[1];
        expiry[0] = lane.schedule(Duration.ofSeconds(1), () -> ran.add("expired"));
        lane.execute(() -> { // e.g. a state change that restarts a timer, on the lane just as the timer falls due
            ran.add("restarting");
            scheduler.advance(Duration.ofSeconds(1)); // due: the scheduler hands the task to the lane, behind this one
            expiry[0].cancel();
        });

        lanes.runAll();

        assertThat(ran).containsExactly("restarting");
    }

    @Test
    void everyTicksOnTheLaneEachPeriodAndTicksDoNotPileUpBehindABusyLane() {
        WatcherLane.Scheduled ticks = lane.every(Duration.ofSeconds(5), () -> ran.add("tick@" + scheduler.now()));

        advance(Duration.ofSeconds(4));
        assertThat(ran).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("tick@2024-01-01T00:00:05Z");

        scheduler.advance(Duration.ofSeconds(20)); // four ticks fall due while the lane does not run
        assertThat(lanes.pending()).isEqualTo(1);
        lanes.runAll();
        assertThat(ran).as("one tick for the four").hasSize(2);

        ticks.cancel();
        advance(Duration.ofMinutes(1));
        assertThat(ran).hasSize(2);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void everyNeedsAPositivePeriod() {
        assertThatThrownBy(() -> lane.every(Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void onAShutDownSchedulerATimerIsQuietlyNeverRun() {
        scheduler.shutdown();
        WatcherLane.Scheduled once = lane.schedule(Duration.ZERO, () -> ran.add("once"));
        WatcherLane.Scheduled every = lane.every(Duration.ofSeconds(1), () -> ran.add("every"));
        once.cancel();
        every.cancel();
        assertThat(ran).isEmpty();
    }

    @Test
    void blockingWorkRunsOnTheBlockingExecutorAndItsResultComesBackOnTheLane() {
        List<String> seen = new ArrayList<>();
        lane.runBlocking(() -> {
            seen.add("work on lane: " + lane.isRunningOnCurrentThread());
            return 42;
        }, (result, failure) -> seen.add("then " + result + " " + failure + " on lane: "
                + lane.isRunningOnCurrentThread()));

        assertThat(lanes.pending()).isZero();
        blocking.runAll();
        assertThat(seen).containsExactly("work on lane: false");
        lanes.runAll();
        assertThat(seen).containsExactly("work on lane: false", "then 42 null on lane: true");
    }

    @Test
    void whatTheWorkThrowsIsHandedToTheLane() {
        List<Object> seen = new ArrayList<>();
        lane.runBlocking(() -> {
            throw new java.io.IOException("disk gone");
        }, (result, failure) -> seen.add(failure));
        blocking.runAll();
        lanes.runAll();
        assertThat(seen).singleElement().isInstanceOf(java.io.IOException.class)
                .hasFieldOrPropertyWithValue("message", "disk gone");
    }

    @Test
    void whenTheBlockingExecutorRefusesTheWorkIsNotRunAndTheLaneIsTold() {
        blocking.shutdown();
        List<Object> seen = new ArrayList<>();
        lane.runBlocking(() -> seen.add("work"), (result, failure) -> seen.add(failure));
        lanes.runAll();
        assertThat(seen).singleElement().isInstanceOf(RejectedExecutionException.class);
        assertThat(lane.whenBlockingWorkDone()).isDone();
    }

    @Test
    void whenBlockingWorkDoneWaitsUntilTheLastAnswerRanOnTheLane() {
        assertThat(lane.whenBlockingWorkDone()).as("nothing under way").isDone();
        lane.runBlocking(() -> "a", (result, failure) -> ran.add(result));
        lane.runBlocking(() -> "b", (result, failure) -> ran.add(result));
        CompletableFuture<Void> done = lane.whenBlockingWorkDone();

        blocking.runNext();
        lanes.runAll();
        assertThat(done).as("one of two answered").isNotDone();
        blocking.runNext();
        assertThat(done).as("work done, answer not yet delivered").isNotDone();
        lanes.runAll();
        assertThat(done).isDone();
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void waitingWorkRunsOnTheWaitExecutorAndCountsAsWorkUnderWay() {
        List<String> seen = new ArrayList<>();
        lane.runWaiting(() -> {
            seen.add("work on lane: " + lane.isRunningOnCurrentThread());
            return "done";
        }, (result, failure) -> seen.add("then " + result + " on lane: " + lane.isRunningOnCurrentThread()));
        CompletableFuture<Void> done = lane.whenBlockingWorkDone();

        assertThat(blocking.pending()).as("not on the bounded blocking executor").isZero();
        assertThat(done).isNotDone();
        waits.runAll();
        assertThat(seen).containsExactly("work on lane: false");
        lanes.runAll();
        assertThat(seen).containsExactly("work on lane: false", "then done on lane: true");
        assertThat(done).isDone();
    }

    @Test
    void whenTheWaitExecutorRefusesTheWorkIsNotRunAndTheLaneIsTold() {
        waits.shutdown();
        List<Object> seen = new ArrayList<>();
        lane.runWaiting(() -> seen.add("work"), (result, failure) -> seen.add(failure));
        lanes.runAll();
        assertThat(seen).singleElement().isInstanceOf(RejectedExecutionException.class);
        assertThat(lane.whenBlockingWorkDone()).isDone();
    }
}
