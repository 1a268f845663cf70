package dev.tend.machine.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A pool of at most a fixed number of named threads, made when work comes and no thread of the pool is free for it, and
 * ended after {@code idle} without work; work beyond them queues, in order. So the pool has as many threads as work
 * has run at once lately, not one per task given while it had fewer than its bound (what a {@link ThreadPoolExecutor}
 * with core threads does: work that came one piece at a time at start left every thread of the bound alive for a
 * minute). The first time a task has waited in the queue longer than {@code patience} (seen when it starts, or when
 * more work comes while it still waits), one WARN names the pool and what to do about it.
 */
final class BoundedPool extends ThreadPoolExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedPool.class);

    /** A task and when it was given. */
    private record Queued(Runnable task, long givenNanos) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    /**
     * The pool's queue: takes a task only when a thread of the pool is free for it (tasks given and not ended, this one
     * counted, at most the threads), so that otherwise the pool makes a thread; {@link #force} queues a task the pool
     * had no thread left for.
     */
    private static final class WorkQueue extends LinkedBlockingQueue<Runnable> {
        private final AtomicInteger unfinished;
        /** Set once, right after the pool is made, before it is given any task. */
        private volatile ThreadPoolExecutor pool;

        WorkQueue(AtomicInteger unfinished) {
            this.unfinished = unfinished;
        }

        @Override
        public boolean offer(Runnable task) {
            return unfinished.get() <= pool.getPoolSize() && super.offer(task);
        }

        void force(Runnable task) {
            super.offer(task);
        }
    }

    private final String name;
    private final String advice;
    private final long patienceNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean warned = new AtomicBoolean();
    /** Tasks given and not ended: queued or running. */
    private final AtomicInteger unfinished;

    /**
     * @param name     the threads' prefix ({@code <name>-n}), also in the warning
     * @param threads  at most this many threads
     * @param patience how long a task may wait for a thread before the warning
     * @param nanoTime the clock that times the waits ({@link System#nanoTime} but in tests)
     * @param advice   the warning's end: what to do when it lasts
     */
    BoundedPool(String name, int threads, Duration idle, Duration patience, LongSupplier nanoTime, String advice) {
        this(name, threads, idle, patience, nanoTime, advice, new AtomicInteger());
    }

    private BoundedPool(String name, int threads, Duration idle, Duration patience, LongSupplier nanoTime,
            String advice, AtomicInteger unfinished) {
        super(0, threads, idle.toNanos(), TimeUnit.NANOSECONDS, new WorkQueue(unfinished), new NamedThreads(name),
                BoundedPool::queueWhenFull);
        ((WorkQueue) getQueue()).pool = this;
        this.name = name;
        this.advice = advice;
        this.patienceNanos = patience.toNanos();
        this.nanoTime = nanoTime;
        this.unfinished = unfinished;
    }

    /** Every thread is busy and the pool has its most: the task waits in the queue, unless the pool is shut down. */
    private static void queueWhenFull(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the pool is shut down");
        }
        ((WorkQueue) pool.getQueue()).force(task);
    }

    @Override
    public void execute(Runnable task) {
        long now = nanoTime.getAsLong();
        if (getQueue().peek() instanceof Queued oldest) {
            checkWait(now - oldest.givenNanos());
        }
        unfinished.incrementAndGet();
        try {
            super.execute(new Queued(task, now));
        } catch (RuntimeException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    @Override
    protected void beforeExecute(Thread thread, Runnable task) {
        if (task instanceof Queued queued) {
            checkWait(nanoTime.getAsLong() - queued.givenNanos());
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        unfinished.decrementAndGet();
    }

    /** Whether the warning was given (for tests). */
    boolean warned() {
        return warned.get();
    }

    private void checkWait(long waitedNanos) {
        if (waitedNanos > patienceNanos && warned.compareAndSet(false, true)) {
            LOG.warn("work waited {}s for one of the {} {} threads, all busy; {} (warned once)",
                    String.format(Locale.ROOT, "%.1f", waitedNanos / 1e9), getMaximumPoolSize(), name, advice);
        }
    }
}
