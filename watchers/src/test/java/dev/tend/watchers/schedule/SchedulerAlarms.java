package dev.tend.watchers.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Alarms as delays on a scheduler read against a clock: with the runtime's ManualScheduler, time moves by hand. */
final class SchedulerAlarms implements Alarms {

    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    SchedulerAlarms(ScheduledExecutorService scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public Alarm at(Instant when, Runnable task) {
        long delay = Math.max(0, Duration.between(clock.instant(), when).toNanos());
        ScheduledFuture<?> future = scheduler.schedule(task, delay, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
