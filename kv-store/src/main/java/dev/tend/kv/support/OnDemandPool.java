package dev.tend.kv.support;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of at most {@code threads} threads, each made when work comes and no thread of the pool is free for it, and
 * ended after {@code idle} without work; work beyond them queues, in order. So the pool has as many threads as work
 * has run at once lately. A {@link ThreadPoolExecutor} with core threads makes one for every task given while it has
 * fewer than its core, free ones or not: work that came one piece at a time kept every thread of the bound alive.
 * The embedded store's watch threads and the machine runtime's bounded pools are made of it.
 *
 * <p>A subclass that overrides {@link #execute}, {@link #afterExecute} calls this class's.
 */
public class OnDemandPool extends ThreadPoolExecutor {

    /**
     * The pool's queue: takes a task only when a thread of the pool is free for it (tasks given and not ended, this one
     * counted, at most the threads), so that otherwise the pool makes a thread; {@link #force} queues a task the pool
     * had no thread left for.
     */
    private static final class WorkQueue extends LinkedBlockingQueue<Runnable> {
        private final AtomicInteger unfinished = new AtomicInteger();
        /** Set once, right after the pool is made, before it is given any task. */
        private volatile ThreadPoolExecutor pool;

        @Override
        public boolean offer(Runnable task) {
            return unfinished.get() <= pool.getPoolSize() && super.offer(task);
        }

        void force(Runnable task) {
            super.offer(task);
        }
    }

    private final AtomicInteger unfinished;

    public OnDemandPool(int threads, long idle, TimeUnit unit, ThreadFactory threadFactory) {
        super(0, threads, idle, unit, new WorkQueue(), threadFactory, OnDemandPool::queueWhenFull);
        WorkQueue queue = (WorkQueue) getQueue();
        queue.pool = this;
        this.unfinished = queue.unfinished;
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
        unfinished.incrementAndGet();
        try {
            super.execute(task);
        } catch (RuntimeException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        unfinished.decrementAndGet();
    }
}
