package dev.tend.watchers.schedule;

import java.time.Instant;

/**
 * Calls a task at a wall-clock instant. The schedule watcher's window logic depends only on this, so tests drive it with
 * a manual scheduler and clock while the agent uses {@link ClockAlarms} on its scheduler.
 */
interface Alarms {

    /**
     * Runs {@code task} at {@code when}, or at once when that has passed. The task must be short: it runs on the alarm
     * implementation's thread.
     */
    Alarm at(Instant when, Runnable task);

    /** A pending call. */
    interface Alarm {
        /** The task will not run (unless it already started). Idempotent. */
        void cancel();
    }
}
