package dev.tend.watchers.process;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a command that has a timeout: the timeout is a task on the scheduler (so tests can drive it by hand), and
 * when it expires the command's processes are ended ({@link ChildProcess#timeOut}) on the blocking executor, since that
 * ending itself waits.
 *
 * @param timeout      how long the command may run
 * @param scheduler    where the timeout waits
 * @param blocking     where the ending after a timeout runs
 * @param timeoutGrace after the timeout's SIGTERM, how long before SIGKILL
 * @param stopGrace    when there is no scheduler (the agent is shutting down): the stop's grace
 * @param drain        after the command ended, how long to wait for its output to close
 * @param log          where processes that survived SIGKILL are reported
 */
public record TimedWait(Duration timeout, ScheduledExecutorService scheduler, Executor blocking, Duration timeoutGrace,
                        Duration stopGrace, Duration drain, Logger log) {

    /** Blocks until the command ended by itself, by its timeout or by a stop. */
    public ChildProcess.Ending await(ChildProcess child) {
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(() -> expire(child), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            child.stop(stopGrace); // no scheduler: the agent is shutting down
            return child.await(drain);
        }
        try {
            return child.await(drain);
        } finally {
            timer.cancel(false);
        }
    }

    /** On the scheduler: the ending itself blocks, so it goes to the (unbounded) blocking executor. */
    private void expire(ChildProcess child) {
        Runnable end = () -> {
            List<Long> left = child.timeOut(timeoutGrace);
            if (!left.isEmpty()) {
                log.warn("processes {} of a timed-out command survived SIGKILL", left);
            }
        };
        try {
            blocking.execute(end);
        } catch (RejectedExecutionException e) {
            child.timeOut(Duration.ZERO);
        }
    }
}
