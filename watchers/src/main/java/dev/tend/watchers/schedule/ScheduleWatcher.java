package dev.tend.watchers.schedule;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;
import dev.tend.machine.spi.WatcherNext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Opens a window of {@code duration} at each time of each schedule; overlapping windows merge (a count of open
 * windows), so the watcher is {@code on} while any is open. It evaluates when a window opens or closes and when the
 * machine changes state: while active, a change of what it sees publishes its state and fires {@code success_transition}
 * for {@code on} and {@code fail_transition} for {@code off}/{@code unknown}; while inactive it records {@code skipped}
 * and fires nothing, so re-entering a matching state re-evaluates and fires for what it then sees.
 *
 * <p>A watcher that requires other machines' states also re-evaluates every 500 ms, as their transitions do not poke
 * it. Everything here runs on the watcher's lane: the engine's calls, the window timers, and the alarms, which come on
 * the alarm implementation's thread and are handed to the lane at once; so its fields need no lock.
 */
final class ScheduleWatcher implements Watcher {

    /** What the watcher saw last time it evaluated. */
    enum Outcome {
        UNKNOWN, OFF, ON, SKIPPED;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How often a watcher with foreign_state_required re-evaluates (the reference evaluates every 500 ms). */
    static final Duration FOREIGN_STATE_CHECK = Duration.ofMillis(500);

    private final WatcherContext context;
    private final ScheduleSettings settings;
    private final Alarms alarms;
    private final RandomGenerator random;

    private int openWindows;
    private boolean everOpened;
    private Outcome recorded = Outcome.UNKNOWN;
    /** success_transition was fired in the current on-period (skip_trigger_on_reenter). */
    private boolean triggered;
    private boolean stopped;
    /** The pending alarm of each schedule, by index; null when none is set. */
    private final Alarms.Alarm[] pendingAlarms;
    /** When each pending alarm goes off, by index; null when none is set. */
    private final Instant[] pendingTimes;
    /** When each open window closes (one entry per open window). */
    private final List<Instant> closing = new ArrayList<>();
    private final Set<WatcherLane.Scheduled> windowTasks = new HashSet<>();
    private WatcherLane.Scheduled foreignStateChecks;

    ScheduleWatcher(WatcherContext context, ScheduleSettings settings, Alarms alarms, RandomGenerator random) {
        this.context = context;
        this.settings = settings;
        this.alarms = alarms;
        this.random = random;
        this.pendingAlarms = new Alarms.Alarm[settings.schedules().size()];
        this.pendingTimes = new Instant[settings.schedules().size()];
    }

    @Override
    public void start() {
        if (stopped) {
            return;
        }
        Instant now = context.clock().instant();
        for (int i = 0; i < settings.schedules().size(); i++) {
            arm(i, settings.schedules().get(i).nextAfter(now));
        }
        if (settings.startInWindow()) {
            openCurrentWindow(now);
        }
        if (!context.definition().foreignStateRequired().isEmpty()) {
            // Other machines' changes do not poke this one: look as often as the reference's loop does.
            foreignStateChecks = context.lane().every(FOREIGN_STATE_CHECK, this::evaluate);
        }
        evaluate();
    }

    @Override
    public void stateChanged() {
        evaluate();
    }

    @Override
    public void stop() {
        stopped = true;
        context.recordNext(null);
        for (int i = 0; i < pendingAlarms.length; i++) {
            if (pendingAlarms[i] != null) {
                pendingAlarms[i].cancel();
                pendingAlarms[i] = null;
            }
        }
        windowTasks.forEach(WatcherLane.Scheduled::cancel);
        windowTasks.clear();
        if (foreignStateChecks != null) {
            foreignStateChecks.cancel();
            foreignStateChecks = null;
        }
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", windowState().text());
        return fields;
    }

    private Outcome windowState() {
        return openWindows > 0 ? Outcome.ON : everOpened ? Outcome.OFF : Outcome.UNKNOWN;
    }

    /**
     * Tells the engine the next change of the window: when the last open window closes while one is open, else when
     * the next alarm opens one (its splay aside).
     */
    private void recordNext() {
        if (!closing.isEmpty()) {
            context.recordNext(new WatcherNext("closes", Collections.max(closing)));
            return;
        }
        Instant first = null;
        for (Instant t : pendingTimes) {
            if (t != null && (first == null || t.isBefore(first))) {
                first = t;
            }
        }
        context.recordNext(first == null ? null : new WatcherNext("opens", first));
    }

    /** Sets schedule {@code index}'s alarm for {@code at}; throws when no alarm can be set. */
    private void arm(int index, Optional<Instant> at) {
        pendingAlarms[index] = null;
        pendingTimes[index] = null;
        if (at.isEmpty()) {
            recordNext();
            context.logger().warn("schedule \"{}\" has no further times", settings.texts().get(index));
            return;
        }
        Instant when = at.get();
        pendingAlarms[index] = alarms.at(when, () -> context.lane().execute(() -> fired(index, when)));
        pendingTimes[index] = when;
        recordNext();
    }

    /**
     * {@code start_in_window}: opens, at once and without splay, the window that the schedules' latest opening keeps
     * open at {@code now}, closing when that one would; windows open together merge, so one is enough.
     */
    private void openCurrentWindow(Instant now) {
        Instant latest = null;
        for (Schedule schedule : settings.schedules()) {
            Optional<Instant> t = schedule.openAt(now, settings.duration());
            if (t.isPresent() && (latest == null || t.get().isAfter(latest))) {
                latest = t.get();
            }
        }
        if (latest != null) {
            context.logger().debug("started inside the window opened at {}: it counts as opened (start_in_window)",
                    latest);
            openWindows++;
            everOpened = true;
            Instant closeAt = latest.plus(settings.duration());
            closing.add(closeAt);
            later(Duration.between(now, closeAt), () -> close(closeAt));
            recordNext();
        }
    }

    /** A schedule's time came: set the next alarm and open a window, after the splay. */
    private void fired(int index, Instant scheduled) {
        if (stopped) {
            return; // the alarm had gone off before stop cancelled it
        }
        Instant now = context.clock().instant();
        Schedule schedule = settings.schedules().get(index);
        Optional<Instant> next = schedule.nextAfter(scheduled);
        if (next.isPresent() && !next.get().isAfter(now)) {
            next = schedule.nextAfter(now); // the alarm came very late (suspend): no burst of windows long past
        }
        try {
            arm(index, next);
        } catch (RuntimeException e) { // the runtime is closing: its alarms are gone
            context.logger().warn("schedule \"{}\": no further alarm: {}", settings.texts().get(index), e.getMessage());
        }

        Instant closeAt = scheduled.plus(settings.duration());
        if (!closeAt.isAfter(now)) {
            context.logger().debug("window of \"{}\" at {} ended before its alarm ran", settings.texts().get(index),
                    scheduled);
            return;
        }
        Duration splay = splay();
        Duration untilOpen = Duration.between(now, scheduled.plus(splay));
        if (untilOpen.isNegative() || untilOpen.isZero()) {
            open(closeAt);
        } else {
            later(untilOpen, () -> open(closeAt));
        }
    }

    private void open(Instant closeAt) {
        if (stopped) {
            return;
        }
        openWindows++;
        everOpened = true;
        closing.add(closeAt);
        later(Duration.between(context.clock().instant(), closeAt), () -> close(closeAt));
        recordNext();
        evaluate();
    }

    private void close(Instant closeAt) {
        if (stopped) {
            return;
        }
        openWindows--;
        closing.remove(closeAt);
        recordNext();
        if (openWindows == 0) {
            triggered = false; // the on-period ended: the next one may trigger again
        }
        evaluate();
    }

    /**
     * Compares what the watcher sees ({@code skipped} while inactive, else {@code unknown}, {@code off} or {@code on})
     * with what it saw last; on a change while active it publishes its state, then fires {@code success_transition}
     * for {@code on} (once per on-period with {@code skip_trigger_on_reenter}) and {@code fail_transition} otherwise.
     */
    private void evaluate() {
        if (stopped) {
            return;
        }
        Outcome now = context.isActive() ? windowState() : Outcome.SKIPPED;
        if (now == recorded) {
            return;
        }
        recorded = now;
        if (now == Outcome.SKIPPED) {
            return;
        }
        context.publishState(currentState());
        if (now == Outcome.ON) {
            if (settings.skipTriggerOnReenter() && triggered) {
                return;
            }
            triggered = true;
            context.fireSuccess();
        } else {
            context.fireFail();
        }
    }

    private Duration splay() {
        long bound = settings.startSplay().toNanos();
        return bound <= 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(bound));
    }

    /** Runs {@code task} on the lane after {@code delay}; stop cancels it. */
    private void later(Duration delay, Runnable task) {
        WatcherLane.Scheduled[] self = new WatcherLane.Scheduled[1];
        self[0] = context.lane().schedule(delay, () -> {
            windowTasks.remove(self[0]);
            task.run();
        });
        windowTasks.add(self[0]);
    }
}
