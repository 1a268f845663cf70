package dev.tend.machine.engine;

import dev.tend.machine.spi.WatcherLane;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/**
 * One watcher's lane as the SPI offers it: a {@link SerialLane} for its calls and tasks, {@link LaneTimer}s on the shared
 * scheduler, and blocking work on the blocking executor (long waits on the wait executor) with its result brought back
 * to the lane. It counts the blocking work under way, so that stopping a machine can wait for what its watchers still
 * have running (a command being ended).
 */
final class EngineWatcherLane implements WatcherLane {

    private final SerialLane lane;
    private final ScheduledExecutorService scheduler;
    private final Executor blocking;
    private final Executor waits;

    private final Object workLock = new Object();
    /** Blocking work given and not yet answered on the lane; guarded by {@link #workLock}. */
    private int working;
    /** Completed when {@link #working} next drops to 0; guarded by {@link #workLock}. */
    private CompletableFuture<Void> idle;

    /**
     * @param lanes    runs the lane's tasks (shared by every lane)
     * @param blocking runs {@link #runBlocking}'s work
     * @param waits    runs {@link #runWaiting}'s work
     * @param name     for logs, e.g. {@code machine "m" watcher "w"}
     */
    EngineWatcherLane(Executor lanes, ScheduledExecutorService scheduler, Executor blocking, Executor waits,
                      String name) {
        this.lane = new SerialLane(lanes, name);
        this.scheduler = scheduler;
        this.blocking = blocking;
        this.waits = waits;
    }

    // Arguments are checked here, so that a plugin's mistake fails in its own call rather than later on the lane.

    @Override
    public void execute(Runnable task) {
        lane.execute(Objects.requireNonNull(task, "task"));
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        return LaneTimer.once(lane, scheduler, Objects.requireNonNull(delay, "delay"),
                Objects.requireNonNull(task, "task"));
    }

    @Override
    public Scheduled every(Duration period, Runnable task) {
        return LaneTimer.every(lane, scheduler, Objects.requireNonNull(period, "period"),
                Objects.requireNonNull(task, "task"));
    }

    @Override
    public <T> void runBlocking(Callable<T> work, BiConsumer<? super T, ? super Throwable> then) {
        run(blocking, work, then);
    }

    @Override
    public <T> void runWaiting(Callable<T> work, BiConsumer<? super T, ? super Throwable> then) {
        run(waits, work, then);
    }

    private <T> void run(Executor executor, Callable<T> work, BiConsumer<? super T, ? super Throwable> then) {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(then, "then");
        synchronized (workLock) {
            working++;
        }
        try {
            executor.execute(() -> {
                T result = null;
                Throwable failure = null;
                try {
                    result = work.call();
                } catch (Throwable e) { // handed to the watcher, as a CompletableFuture would
                    failure = e;
                }
                answer(then, result, failure);
                if (failure instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
            });
        } catch (RejectedExecutionException e) {
            answer(then, null, e);
        }
    }

    /** Whether the calling thread is running one of this lane's tasks. */
    boolean isRunningOnCurrentThread() {
        return lane.isRunningOnCurrentThread();
    }

    /** Completes once no blocking work is under way (at once when none is), its answers delivered. */
    CompletableFuture<Void> whenBlockingWorkDone() {
        synchronized (workLock) {
            if (working == 0) {
                return CompletableFuture.completedFuture(null);
            }
            if (idle == null) {
                idle = new CompletableFuture<>();
            }
            return idle;
        }
    }

    private <T> void answer(BiConsumer<? super T, ? super Throwable> then, T result, Throwable failure) {
        lane.execute(() -> {
            try {
                then.accept(result, failure);
            } finally {
                answered();
            }
        });
    }

    private void answered() {
        CompletableFuture<Void> done = null;
        synchronized (workLock) {
            if (--working == 0 && idle != null) {
                done = idle;
                idle = null;
            }
        }
        if (done != null) {
            done.complete(null);
        }
    }
}
