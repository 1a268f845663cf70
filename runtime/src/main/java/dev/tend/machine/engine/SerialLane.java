package dev.tend.machine.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in the order given, on a shared executor: the engine's one way of serialising work. Each
 * watcher has one ({@link EngineWatcherLane}: the engine's calls and the watcher's own follow-ups), and each machine two
 * ({@link Transitions}: fired events, and what follows each transition). A lane holds no thread between tasks, so any
 * number of lanes share a few threads, and lanes never wait for each other.
 *
 * <p>A task that throws is logged and the next one runs. When the executor refuses work (the runtime is stopping) the
 * calling thread runs the queue, so stop and delete hooks still happen. With a direct executor ({@code Runnable::run})
 * the caller runs the queue unless another thread is already doing so, which then runs this task too.
 */
final class SerialLane implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialLane.class);

    private final Executor executor;
    private final String name;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** A drain is queued on, or running in, the executor. */
    private boolean draining;
    private Thread drainingThread;

    /** @param name for logs, e.g. {@code machine "m" watcher "w"} */
    SerialLane(Executor executor, String name) {
        this.executor = executor;
        this.name = name;
    }

    String name() {
        return name;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.addLast(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: executor refused work, running it on the calling thread", name);
            drain();
        }
    }

    /** Whether the calling thread is running one of this lane's tasks (waiting for the lane would then deadlock). */
    synchronized boolean isRunningOnCurrentThread() {
        return drainingThread == Thread.currentThread();
    }

    private void drain() {
        synchronized (this) {
            drainingThread = Thread.currentThread();
        }
        boolean done = false;
        try {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.pollFirst();
                    if (next == null) {
                        drainingThread = null;
                        draining = false; // in the same critical section as the empty check: no task is stranded
                        done = true;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException | LinkageError e) {
                    // A plugin's bug (or a missing class in its jar) must not stop the lane's other tasks.
                    LOG.warn("{}: {}", name, e.toString(), e);
                }
            }
        } finally {
            if (!done) {
                synchronized (this) { // an Error escaped: the queued tasks are lost with it
                    drainingThread = null;
                    draining = false;
                    tasks.clear();
                }
            }
        }
    }
}
