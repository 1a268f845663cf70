package dev.tend.machine.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in order, on a shared executor, so one watcher's calls never overlap while different watchers
 * (and the machine) never wait for each other.
 */
final class SerialRunner implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialRunner.class);

    private final Executor executor;
    private final String name;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** A drain is queued on, or running in, the executor. */
    private boolean draining;
    private Thread drainingThread;

    SerialRunner(Executor executor, String name) {
        this.executor = executor;
        this.name = name;
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
            // The executor is shut down (the runtime is stopping): run here, so stop and delete hooks still happen.
            LOG.debug("{}: executor refused work, running it on the calling thread", name);
            drain();
        }
    }

    /** Whether the calling thread is running one of this runner's tasks (waiting for the runner would then deadlock). */
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
                    // A plugin's bug (or a missing class in its jar) must not stop the other calls of this watcher.
                    LOG.warn("{}: {}", name, e.toString(), e);
                }
            }
        } finally {
            if (!done) {
                synchronized (this) { // an Error escaped: the queued calls are lost with it
                    drainingThread = null;
                    draining = false;
                    tasks.clear();
                }
            }
        }
    }
}
