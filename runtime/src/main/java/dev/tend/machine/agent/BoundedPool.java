package dev.tend.machine.agent;

import dev.tend.kv.support.OnDemandPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A pool of at most a fixed number of named threads, made when work comes and no thread of the pool is free for it, and
 * ended after {@code idle} without work; work beyond them queues, in order ({@link OnDemandPool}). The first time a
 * task has waited in the queue longer than {@code patience} (seen when it starts, or when more work comes while it
 * still waits), one WARN names the pool and what to do about it.
 */
final class BoundedPool extends OnDemandPool {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedPool.class);

    /** A task and when it was given. */
    private record Queued(Runnable task, long givenNanos) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    private final String name;
    private final String advice;
    private final long patienceNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * @param name     the threads' prefix ({@code <name>-n}), also in the warning
     * @param threads  at most this many threads
     * @param patience how long a task may wait for a thread before the warning
     * @param nanoTime the clock that times the waits ({@link System#nanoTime} but in tests)
     * @param advice   the warning's end: what to do when it lasts
     */
    BoundedPool(String name, int threads, Duration idle, Duration patience, LongSupplier nanoTime, String advice) {
        super(threads, idle.toNanos(), TimeUnit.NANOSECONDS, new NamedThreads(name));
        this.name = name;
        this.advice = advice;
        this.patienceNanos = patience.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public void execute(Runnable task) {
        long now = nanoTime.getAsLong();
        if (getQueue().peek() instanceof Queued oldest) {
            checkWait(now - oldest.givenNanos());
        }
        super.execute(new Queued(task, now));
    }

    @Override
    protected void beforeExecute(Thread thread, Runnable task) {
        if (task instanceof Queued queued) {
            checkWait(nanoTime.getAsLong() - queued.givenNanos());
        }
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
