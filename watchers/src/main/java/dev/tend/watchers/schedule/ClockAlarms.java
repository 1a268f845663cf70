package dev.tend.watchers.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Alarms at wall-clock instants, kept in one timeline and checked on a scheduler the runtime gives (no thread of their
 * own). One check is pending at a time: at the earliest alarm's time by the clock, or {@link #RECHECK} from now when
 * that is sooner. A scheduler's delays count elapsed time, which a clock adjusted or a host suspended leaves behind; the
 * clock is read again at every check, so an alarm set for 02:00 fires at 02:00 (at most {@code RECHECK} late) after
 * the clock was set forward or the host woke up, and not early after it was set back. An alarm whose time has passed
 * fires at the next check, at once when it is set.
 *
 * <p>Thread-safe. Alarms run on the scheduler's thread, one after the other, so they must be short; one that throws
 * (an exception or an Error) is logged with its owner, and the alarms due with it still run.
 */
final class ClockAlarms implements Alarms, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClockAlarms.class);
    /** The longest wait before the clock is read again. */
    static final Duration RECHECK = Duration.ofSeconds(10);

    /**
     * An alarm set and not yet run or cancelled; {@code order} keeps alarms of one instant in the order set; {@code
     * owner} names who set it, in the log line when it fails.
     */
    private record Pending(Instant when, long order, String owner, Runnable task) {
    }

    private static final Comparator<Pending> BY_TIME =
            Comparator.comparing(Pending::when).thenComparingLong(Pending::order);

    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    // Guarded by this.
    private final TreeSet<Pending> pending = new TreeSet<>(BY_TIME);
    private long setCount;
    /** The pending check, its instant and its number (a check that is not the latest one planned does nothing). */
    private ScheduledFuture<?> check;
    private Instant checkAt;
    private long checkNumber;
    private boolean closed;

    ClockAlarms(ScheduledExecutorService scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * @throws IllegalStateException when closed, or when the scheduler no longer takes work (the runtime is closing)
     */
    @Override
    public Alarm at(Instant when, Runnable task) {
        return at(when, "a schedule watcher", task);
    }

    /**
     * {@link #at(Instant, Runnable)} for {@code owner} (for example {@code machine m, watcher w}), named in the log
     * line if the task fails.
     *
     * @throws IllegalStateException when closed, or when the scheduler no longer takes work (the runtime is closing)
     */
    Alarm at(Instant when, String owner, Runnable task) {
        Pending alarm;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the schedule watcher type was closed: no more alarms");
            }
            alarm = new Pending(when, setCount++, owner, task);
            pending.add(alarm);
            try {
                planCheck();
            } catch (RejectedExecutionException e) {
                pending.remove(alarm);
                throw new IllegalStateException("cannot set an alarm for " + when + ": the scheduler is stopping", e);
            }
        }
        return () -> cancel(alarm);
    }

    /** Alarms set and not yet run or cancelled (tests). */
    synchronized int pending() {
        return pending.size();
    }

    /** Pending alarms never run; later ones are refused. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        pending.clear();
        stopCheck();
    }

    private synchronized void cancel(Pending alarm) {
        if (pending.remove(alarm) && pending.isEmpty()) {
            stopCheck();
        }
    }

    /** Plans the next check, unless one is planned already for no later. Guarded by this. */
    private void planCheck() {
        if (pending.isEmpty()) {
            stopCheck();
            return;
        }
        Instant now = clock.instant();
        Instant first = pending.first().when();
        Instant latest = now.plus(RECHECK);
        Instant at = first.isBefore(latest) ? first : latest;
        if (check != null && !at.isBefore(checkAt)) {
            return;
        }
        stopCheck();
        long number = ++checkNumber;
        long delay = Math.max(0, Duration.between(now, at).toNanos());
        check = scheduler.schedule(() -> check(number), delay, TimeUnit.NANOSECONDS);
        checkAt = at;
    }

    private void stopCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
            checkAt = null;
        }
    }

    /**
     * Runs every alarm whose time the clock has reached, each whatever the others threw (logged with its owner), and
     * plans the next check before running them.
     */
    private void check(long number) {
        List<Pending> due = new ArrayList<>();
        synchronized (this) {
            if (number != checkNumber || closed) {
                return; // a newer check is planned, or none is wanted
            }
            check = null;
            checkAt = null;
            Instant now = clock.instant();
            while (!pending.isEmpty() && !pending.first().when().isAfter(now)) {
                due.add(pending.pollFirst());
            }
            try {
                planCheck();
            } catch (RejectedExecutionException e) {
                LOG.debug("no further check of the schedule alarms: the scheduler is stopping");
            }
        }
        for (Pending alarm : due) {
            try {
                alarm.task().run();
            } catch (RuntimeException e) {
                LOG.warn("the schedule alarm of {} failed: {}", alarm.owner(), e.toString(), e);
            } catch (Error e) {
                // The alarms due with it still run: one watcher's failure must not silence the others' schedules.
                LOG.error("the schedule alarm of {} failed: {}", alarm.owner(), e.toString(), e);
            }
        }
    }
}
