package dev.tend.machine.spi;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * A watcher's serial lane: every task given to it, and every call the engine makes into the watcher, runs one at a time,
 * in the order given, on the runtime's shared threads (a lane has no thread of its own). State touched only on the lane
 * needs no lock. Tasks must not wait for anything (see the package documentation): blocking work goes to
 * {@link #runBlocking}. Every method may be called from any thread.
 */
public interface WatcherLane extends Executor {

    /** A task waiting on a timer. */
    interface Scheduled {
        /**
         * The task will not start after this returns (called on the lane: it will not run at all). Idempotent; does
         * nothing once it ran.
         */
        void cancel();
    }

    /** Runs {@code task} on the lane after the tasks already given to it; returns at once. */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} on the lane once {@code delay} has passed (measured on the runtime's scheduler, so tests drive it
     * by hand). When the runtime is shutting down the task never runs.
     */
    Scheduled schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} on the lane every {@code period}, the first time one period from now. A tick that falls due while
     * the previous one still waits for the lane is skipped, so ticks never pile up behind a busy lane.
     *
     * @throws IllegalArgumentException when {@code period} is not positive
     */
    Scheduled every(Duration period, Runnable task);

    /**
     * Runs {@code work} on the runtime's pool for blocking work that ends soon (opening a watch, a store call, reading a
     * file), then {@code then} on the lane with its result, or with what it threw ({@code failure} non-null,
     * {@code result} null). The pool has a bounded number of threads: work given while all are busy waits its turn, so
     * work that waits as long as something outside takes (a child process, a long poll) goes to {@link #runWaiting}.
     * When the runtime is shutting down the work is not run and {@code then} gets a
     * {@link java.util.concurrent.RejectedExecutionException}. {@code then} is called also after the watcher was stopped
     * (to release what the work opened), and a machine's stop waits for the work its watchers still have running.
     */
    <T> void runBlocking(Callable<T> work, BiConsumer<? super T, ? super Throwable> then);

    /**
     * Like {@link #runBlocking}, for work that waits as long as something outside takes (a command waiting for its
     * child): it runs on a thread of its own, which ends with it, so that it delays no other work. Answers, stopping
     * and shutting down as for {@link #runBlocking}. The default runs it as {@link #runBlocking} does.
     */
    default <T> void runWaiting(Callable<T> work, BiConsumer<? super T, ? super Throwable> then) {
        runBlocking(work, then);
    }
}
