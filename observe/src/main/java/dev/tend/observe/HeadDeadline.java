package dev.tend.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The time a connection has to send its request head (request line and headers) once its first byte came. The JDK's
 * server reads the head on a request thread, blocking, with no limit of its own: a client that sends part of a
 * request line and then nothing held that thread for as long as it stayed connected. Each task {@link #around} runs
 * has a deadline on this class's one timer thread ({@code tend-observe-deadline-N}); a task still reading its head
 * when it passes is interrupted, which closes its connection (the JDK reads from an interruptible channel). A route
 * calls {@link #headRead()} first thing: from then on the exchange has no deadline.
 *
 * <p>A connection that sends nothing at all holds no thread: the JDK's dispatcher waits for its first byte without
 * one (and closes such a connection after its own idle interval).
 */
final class HeadDeadline {

    private static final Logger LOG = LoggerFactory.getLogger(HeadDeadline.class);

    private final long limitNanos;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadLocal<Watch> current = new ThreadLocal<>();

    HeadDeadline(Duration limit) {
        this.limitNanos = limit.toNanos();
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("tend-observe-deadline-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** {@code pool}, running each task under a deadline for its request head. */
    Executor around(Executor pool) {
        return task -> pool.execute(() -> run(task));
    }

    /** The current request's head is read: its exchange has no deadline any more. */
    void headRead() {
        Watch w = current.get();
        if (w != null) {
            w.headRead();
        }
    }

    /** Ends the timer thread. */
    void stop() {
        timer.shutdownNow();
    }

    private void run(Runnable task) {
        Watch w = new Watch(Thread.currentThread());
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(w::expire, limitNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            deadline = null;
        }
        current.set(w);
        try {
            task.run();
        } finally {
            current.remove();
            if (deadline != null) {
                deadline.cancel(false);
            }
            w.finish();
            // an expiry that came after the connection was closed another way must not reach the next task
            Thread.interrupted();
        }
    }

    /** One task's state: reading its head, handling, done or expired; changed under its lock. */
    private static final class Watch {
        private final Thread thread;
        private boolean reading = true;

        Watch(Thread thread) {
            this.thread = thread;
        }

        synchronized void headRead() {
            reading = false;
        }

        synchronized void finish() {
            reading = false;
        }

        synchronized void expire() {
            if (reading) {
                reading = false;
                LOG.debug("a request head was not read in time: closing its connection");
                thread.interrupt();
            }
        }
    }
}
