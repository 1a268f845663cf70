package dev.tend.kv.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * A pool of at most {@code threads} threads, each made when work comes and no thread of the pool is free for it, and
 * ended after {@code idle} without work; work beyond them queues, in order. So the pool has as many threads as work
 * has run at once lately. A {@link ThreadPoolExecutor} with core threads makes one for every task given while it has
 * fewer than its core, free ones or not: work that came one piece at a time kept every thread of the bound alive.
 * The embedded store's watch threads and the machine runtime's bounded pools are made of it.
 *
 * <p>Three races are closed. A task queued for a free thread that ends at that moment (its idle time up) would wait
 * for a busy one: the count of free threads is made again once the task is queued (when it falls short, the task is
 * taken back and the pool makes a thread for it), and a thread that ends while queued work has no free thread to
 * take it starts another in its place.
 * A shutdown between the decision to queue a task and the queueing could leave it queued in a pool with no thread,
 * never run nor refused: a shutdown waits until no task is being given. A task taken out of the queue (by
 * {@link #remove}, {@link #purge}, {@link #shutdownNow} or through {@link #getQueue}) no longer counts as work to do.
 *
 * <p>A subclass that overrides {@link #execute}, {@link #afterExecute}, {@link #shutdown} or {@link #shutdownNow} calls
 * this class's.
 */
public class OnDemandPool extends ThreadPoolExecutor {

    /** What a thread ending starts in its place when queued work has no free thread: a new thread that takes it. */
    private static final Runnable NOTHING = () -> { };

    /**
     * The pool's queue: takes a task only when a thread of the pool is free for it (tasks given and not ended, this one
     * counted, at most the threads, before and after it is queued), so that otherwise the pool makes a thread;
     * {@link #force} queues a task the pool had no thread left for. A task taken out other than by a thread of the
     * pool (which runs it) is no longer counted.
     */
    private static final class WorkQueue extends LinkedBlockingQueue<Runnable> {
        private final AtomicInteger unfinished = new AtomicInteger();
        /** Set once, right after the pool is made, before it is given any task. */
        private volatile ThreadPoolExecutor pool;

        @Override
        public boolean offer(Runnable task) {
            if (unfinished.get() > pool.getPoolSize() || !super.offer(task)) {
                return false;
            }
            // The free thread counted may have ended (its idle time up) before the task was queued: then take the
            // task back, and the pool makes a thread for it. One that ends after this look starts another in its
            // place (threadEnded).
            return unfinished.get() <= pool.getPoolSize() || !super.remove(task);
        }

        void force(Runnable task) {
            super.offer(task);
        }

        @Override
        public boolean remove(Object task) {
            boolean removed = super.remove(task);
            if (removed) {
                unfinished.decrementAndGet();
            }
            return removed;
        }

        /** Never called by the pool's threads, which take work with {@code poll(timeout)} or {@code take()}. */
        @Override
        public Runnable poll() {
            Runnable task = super.poll();
            if (task != null) {
                unfinished.decrementAndGet();
            }
            return task;
        }

        @Override
        public int drainTo(Collection<? super Runnable> to) {
            return drainTo(to, Integer.MAX_VALUE);
        }

        @Override
        public int drainTo(Collection<? super Runnable> to, int most) {
            int n = super.drainTo(to, most);
            unfinished.addAndGet(-n);
            return n;
        }

        @Override
        public boolean removeIf(Predicate<? super Runnable> filter) {
            boolean any = false;
            for (Runnable task : toArray(new Runnable[0])) {
                if (filter.test(task) && remove(task)) {
                    any = true;
                }
            }
            return any;
        }

        @Override
        public boolean removeAll(Collection<?> tasks) {
            return removeIf(tasks::contains);
        }

        @Override
        public boolean retainAll(Collection<?> tasks) {
            return removeIf(task -> !tasks.contains(task));
        }

        @Override
        public void clear() {
            drainTo(new ArrayList<>());
        }

        @Override
        public Iterator<Runnable> iterator() {
            Iterator<Runnable> it = super.iterator();
            return new Iterator<>() {
                private Runnable last;

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Runnable next() {
                    last = it.next();
                    return last;
                }

                @Override
                public void remove() {
                    if (last == null) {
                        throw new IllegalStateException();
                    }
                    WorkQueue.this.remove(last);
                    last = null;
                }
            };
        }
    }

    private final AtomicInteger unfinished;
    private final WorkQueue queue;
    /** Held shared while a task is given, exclusively to shut down: a shutdown never falls inside a task's giving. */
    private final ReentrantReadWriteLock giving = new ReentrantReadWriteLock();

    public OnDemandPool(int threads, long idle, TimeUnit unit, ThreadFactory threadFactory) {
        super(0, threads, idle, unit, new WorkQueue(), threadFactory, OnDemandPool::queueWhenFull);
        this.queue = (WorkQueue) getQueue();
        queue.pool = this;
        this.unfinished = queue.unfinished;
        setThreadFactory(task -> threadFactory.newThread(() -> {
            try {
                task.run();
            } finally {
                threadEnded();
            }
        }));
    }

    /**
     * Every thread is busy and the pool has its most: the task waits in the queue, unless the pool is shut down (it
     * cannot be shut down meanwhile: {@link #execute} holds {@link #giving}).
     */
    private static void queueWhenFull(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the pool is shut down");
        }
        ((WorkQueue) pool.getQueue()).force(task);
    }

    @Override
    public void execute(Runnable task) {
        give(task);
    }

    private void give(Runnable task) {
        giving.readLock().lock();
        try {
            unfinished.incrementAndGet();
            try {
                super.execute(task);
            } catch (RuntimeException e) {
                // Refused without being queued: the pool takes a queued task back out to refuse it only when a
                // shutdown came after the queueing, which the lock rules out.
                unfinished.decrementAndGet();
                throw e;
            }
        } finally {
            giving.readLock().unlock();
        }
    }

    /**
     * A thread of the pool has ended (its idle time was up, or the pool shut down). A task may have been queued for
     * it just before, counted as having a free thread: when queued work now outnumbers the threads, a new thread is
     * started (by giving it nothing to do first), as the task would have had one had it come a moment later.
     */
    private void threadEnded() {
        if (isShutdown() || queue.isEmpty() || unfinished.get() <= getPoolSize()) {
            return;
        }
        try {
            give(NOTHING);
        } catch (RejectedExecutionException e) {
            // Shut down meanwhile: the pool's remaining threads run the queued work, or shutdownNow returned it.
        }
    }

    @Override
    public void shutdown() {
        giving.writeLock().lock();
        try {
            super.shutdown();
        } finally {
            giving.writeLock().unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        giving.writeLock().lock();
        try {
            return super.shutdownNow();
        } finally {
            giving.writeLock().unlock();
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        unfinished.decrementAndGet();
    }

    /** Tasks given and neither ended nor taken out of the queue (tests). */
    int unfinished() {
        return unfinished.get();
    }
}
