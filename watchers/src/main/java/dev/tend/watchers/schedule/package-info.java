/**
 * The {@code schedule} watcher type: opens a window of {@code duration} at each time of its {@code schedules} (5-field
 * cron expressions or descriptors such as {@code @daily} and {@code @every 1h}), read in a time zone with cron's
 * daylight saving rules. The watcher is {@code on} while any window is open: {@code success_transition} fires when it
 * turns on, {@code fail_transition} when it turns off, and entering a matching state fires for what it then sees.
 *
 * <p>Entry point: {@link dev.tend.watchers.schedule.ScheduleWatcherFactory}. Read
 * {@link dev.tend.watchers.schedule.ScheduleWatcher} first (windows and evaluation), then
 * {@link dev.tend.watchers.schedule.Schedules} (reading one item), {@link dev.tend.watchers.schedule.CronSchedule} and
 * {@link dev.tend.watchers.schedule.WallClockCron} (cron times and daylight saving), and
 * {@link dev.tend.watchers.schedule.ClockAlarms} (wall-clock alarms).
 *
 * <p>Threads: none of their own. The watchers of one factory on one scheduler (the runtime's) share one timeline of
 * alarms on it, whose one pending check reads the clock again at least every 10 s; it is closed by the factory's
 * {@code close()}. An alarm fires on the scheduler's thread and only hands its work to the watcher's lane; everything
 * else of {@code ScheduleWatcher}, including opening a window after its splay, closing it, and the 500 ms
 * re-evaluation of a watcher with {@code foreign_state_required}, runs on the lane.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code schedule}.
 */
package dev.tend.watchers.schedule;
