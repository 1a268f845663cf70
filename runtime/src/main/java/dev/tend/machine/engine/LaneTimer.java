package dev.tend.machine.engine;

import dev.tend.machine.spi.WatcherLane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task run on a lane after a delay, or every period, timed by the shared scheduler. The scheduler only hands the task to
 * the lane; the task checks there that it was not cancelled meanwhile, so a cancel made on the lane is final even when
 * the scheduler had already let the task go. A periodic tick that finds the previous one still queued on the lane is
 * skipped.
 */
final class LaneTimer implements WatcherLane.Scheduled {

    private static final Logger LOG = LoggerFactory.getLogger(LaneTimer.class);

    private final SerialLane lane;
    private final Runnable task;
    /** A periodic tick is queued on the lane. */
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile Future<?> future;

    private LaneTimer(SerialLane lane, Runnable task) {
        this.lane = lane;
        this.task = task;
    }

    /** Runs {@code task} on {@code lane} once {@code delay} has passed; never when the scheduler is shut down. */
    static LaneTimer once(SerialLane lane, ScheduledExecutorService scheduler, Duration delay, Runnable task) {
        LaneTimer timer = new LaneTimer(lane, task);
        long nanos = Math.max(0, delay.toNanos());
        try {
            timer.started(scheduler.schedule(() -> lane.execute(timer::runIfCurrent), nanos, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            timer.refused();
        }
        return timer;
    }

    /** Runs {@code task} on {@code lane} every {@code period}, from one period from now. */
    static LaneTimer every(SerialLane lane, ScheduledExecutorService scheduler, Duration period, Runnable task) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the period must be positive, not " + period);
        }
        LaneTimer timer = new LaneTimer(lane, task);
        long nanos = period.toNanos();
        try {
            timer.started(scheduler.scheduleAtFixedRate(timer::tick, nanos, nanos, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            timer.refused();
        }
        return timer;
    }

    @Override
    public void cancel() {
        cancelled = true;
        Future<?> f = future;
        if (f != null) {
            f.cancel(false);
        }
    }

    private void started(Future<?> scheduled) {
        future = scheduled;
        if (cancelled) { // cancelled by its own first run, before the future was known
            scheduled.cancel(false);
        }
    }

    private void refused() {
        cancelled = true;
        LOG.debug("{}: the scheduler is shut down; a timer will not run", lane.name());
    }

    /** On the scheduler. */
    private void tick() {
        if (!cancelled && queued.compareAndSet(false, true)) {
            lane.execute(() -> {
                queued.set(false);
                runIfCurrent();
            });
        }
    }

    /** On the lane. */
    private void runIfCurrent() {
        if (!cancelled) {
            task.run();
        }
    }
}
