package dev.tend.machine.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} for tests, driven by hand: nothing runs until {@link #advance} or {@link #runDue}
 * moves its {@link #clock()} and runs, on the calling thread, every task that has become due, in order of due time (then
 * of submission). Tasks may schedule more tasks, and other threads may schedule tasks at any time; only one thread should
 * drive it. {@link #execute} schedules at the current time. Periodic tasks are supported (fixed rate and fixed delay).
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final Instant origin;
    private final Clock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    /** Nanoseconds since {@link #origin}; written only by the driving thread, read by any. */
    private volatile long now;
    private long sequence;
    private boolean shutdown;

    public ManualScheduler() {
        this(Instant.parse("2024-01-01T00:00:00Z"));
    }

    public ManualScheduler(Instant origin) {
        this.origin = origin;
        this.clock = new ManualClock(ZoneOffset.UTC);
    }

    /** A clock that reads this scheduler's time. */
    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return origin.plusNanos(now);
    }

    /** Moves time forward by {@code by}, running every task that falls due on the way, at its due time. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + by);
        }
        long target = Math.addExact(now, by.toNanos());
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    break;
                }
                queue.poll();
                if (next.due > now) {
                    now = next.due;
                }
            }
            next.run();
        }
        now = target;
    }

    /** Runs what is due now (including what those tasks schedule for now). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Tasks waiting to run (cancelled ones excluded). */
    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    /** How long until each task that is not cancelled is due, soonest first. */
    public synchronized List<Duration> pendingDelays() {
        return queue.stream().filter(t -> !t.isCancelled()).mapToLong(t -> t.due).sorted()
                .mapToObj(due -> Duration.ofNanos(Math.max(0, due - now))).toList();
    }

    /** How long until the next task that is not cancelled is due, if any. */
    public synchronized Optional<Duration> nextDelay() {
        return queue.stream().filter(t -> !t.isCancelled()).mapToLong(t -> t.due).min()
                .stream().mapToObj(due -> Duration.ofNanos(Math.max(0, due - now))).findFirst();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command, null), unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        return enqueue(new Task<>(Executors.callable(command, null), unit.toNanos(initialDelay), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive");
        }
        return enqueue(new Task<>(Executors.callable(command, null), unit.toNanos(initialDelay), -unit.toNanos(delay)));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private synchronized <V> Task<V> enqueue(Task<V> task) {
        if (shutdown) {
            throw new RejectedExecutionException("the manual scheduler is shut down");
        }
        queue.add(task);
        return task;
    }

    private synchronized void requeue(Task<?> task) {
        if (!shutdown) {
            queue.add(task);
        }
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private long due;
        private final long seq;
        /** 0: once; > 0: fixed rate; < 0: fixed delay. */
        private final long period;

        Task(Callable<V> callable, long delayNanos, long period) {
            super(callable);
            this.due = now + Math.max(0, delayNanos);
            this.period = period;
            synchronized (ManualScheduler.this) {
                this.seq = sequence++;
            }
        }

        @Override
        public void run() {
            if (period == 0) {
                super.run();
            } else if (runAndReset()) {
                due = period > 0 ? due + period : now + -period;
                requeue(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> o = (Task<?>) other;
            int byDue = Long.compare(due, o.due);
            return byDue != 0 ? byDue : Long.compare(seq, o.seq);
        }
    }

    private final class ManualClock extends Clock {
        private final ZoneId zone;

        ManualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new ManualClock(other);
        }

        @Override
        public Instant instant() {
            return now();
        }
    }
}
