package dev.tend.machine.testing;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An {@link Executor} for tests that holds what it is given until the test runs it, on the test's thread: so a test can
 * stop between "handed to the executor" and "ran", e.g. to show what a lane does with a task queued behind a busy one.
 * After {@link #shutdown()} it refuses work, as a stopped thread pool does.
 */
public final class ManualExecutor implements Executor {

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean shutdown;

    @Override
    public synchronized void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the manual executor is shut down");
        }
        tasks.addLast(task);
    }

    /** Tasks given and not yet run. */
    public synchronized int pending() {
        return tasks.size();
    }

    /** Runs the oldest task; false when there was none. */
    public boolean runNext() {
        Runnable next;
        synchronized (this) {
            next = tasks.pollFirst();
        }
        if (next == null) {
            return false;
        }
        next.run();
        return true;
    }

    /** Runs tasks until none is left, including those the tasks give it. */
    public void runAll() {
        while (runNext()) {
            // keep going
        }
    }

    /** Refuses every task from now on; tasks already given stay until run. */
    public synchronized void shutdown() {
        shutdown = true;
    }
}
