package dev.tend.watchers.nagios;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;
import dev.tend.watchers.perfdata.PerfData;
import dev.tend.watchers.perfdata.PluginOutput;
import dev.tend.watchers.process.ChildSlot;
import dev.tend.machine.spi.WatcherRun;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a check every {@code interval} (the first after a random delay below one interval) and when the machine enters
 * {@code FORCE_CHECK}; each check's status fires the transition named after it ({@code OK}, {@code WARNING},
 * {@code CRITICAL}, {@code UNKNOWN}); {@code success_transition} and {@code fail_transition} are not used. A tick is
 * skipped while a check runs, while the watcher is inactive, or when the last check began less than
 * {@code interval - 1s} ago; a forced check skips only the first. Other state changes run nothing: they record the
 * status the new state names ({@link NagiosStatus#ofState}) for the Prometheus file.
 *
 * <p>Everything here runs on the watcher's lane, so its fields need no lock. A check is waiting work
 * ({@code runWaiting}) whose result comes back to the lane; that work also records the check in the machine's data
 * ({@link DataRecord}), which is persisted, so not on the lane.
 */
final class NagiosWatcher implements Watcher {

    /** How many checks the history keeps (the reference's). */
    static final int HISTORY = 15;
    static final String FORCE_CHECK = "FORCE_CHECK";
    /** A tick this much before a full interval since the last check still runs (the reference's slack). */
    private static final Duration SLACK = Duration.ofSeconds(1);

    private final WatcherContext context;
    private final NagiosProperties properties;
    private final NagiosSettings settings;
    private final Builtins builtins;
    private final StatusFile statusFile;
    private final Duration interval;
    private final ChildSlot slot = new ChildSlot();
    private final Deque<CheckRecord> history = new ArrayDeque<>();

    private boolean stopped;
    private boolean running;
    private boolean forceWaiting;
    private WatcherLane.Scheduled tick;
    private NagiosStatus status = NagiosStatus.NOTCHECKED;
    private String plugin;
    private String output = "";
    private List<PerfData> perfData = List.of();
    private Instant checkTime;
    private long runtimeNanos;

    NagiosWatcher(WatcherContext context, NagiosProperties properties, NagiosSettings settings, Builtins builtins,
                  StatusFile statusFile) {
        this.context = context;
        this.properties = properties;
        this.settings = settings;
        this.builtins = builtins;
        this.statusFile = statusFile;
        this.interval = context.definition().interval();
        this.plugin = properties.describe();
    }

    @Override
    public void start() {
        statusFile.update(context.machineName(), NagiosStatus.UNKNOWN, context.clock().instant());
        if (interval.isZero()) {
            return; // checks only on FORCE_CHECK
        }
        Duration first = Duration.ofMillis(settings.randomBelow().applyAsLong(Math.max(1, interval.toMillis())));
        tick = context.lane().schedule(first, () -> {
            tick = context.lane().every(interval, () -> check(false));
            check(false);
        });
    }

    @Override
    public void stateChanged() {
        String state = context.currentState();
        if (FORCE_CHECK.equals(state)) {
            context.logger().info("forcing a check");
            check(true);
            return;
        }
        status = NagiosStatus.ofState(state);
        statusFile.update(context.machineName(), status, context.clock().instant());
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        statusFile.remove(context.machineName());
        context.lane().runWaiting(() -> slot.stop(settings.stopGrace()), (left, failure) -> {
            if (failure instanceof RejectedExecutionException) {
                slot.stop(Duration.ZERO); // the agent is shutting down: end it here, without a grace
            } else if (left != null && !left.isEmpty()) {
                context.logger().warn("processes {} of the plugin survived SIGKILL", left);
            }
        });
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("plugin", plugin);
        state.put("status", status.name());
        state.put("status_code", status.code());
        state.put("output", output);
        state.put("check_time", checkTime == null ? 0L : checkTime.getEpochSecond());
        state.put("perfdata", perfData.stream().map(PerfData::toMap).toList());
        state.put("runtime", runtimeNanos / 1e9);
        state.put("history", history.stream().map(CheckRecord::toMap).toList());
        state.put("annotations", properties.annotations());
        return state;
    }

    /** A tick or a forced check. */
    private void check(boolean force) {
        if (stopped) {
            return;
        }
        if (running) {
            forceWaiting |= force; // the forced check comes after the one going on
            return;
        }
        Instant now = context.clock().instant();
        if (!force) {
            if (checkTime != null && Duration.between(checkTime, now).compareTo(interval.minus(SLACK)) < 0) {
                context.logger().debug("skipping a check: the last one began less than an interval ago");
                return;
            }
            if (!context.isActive()) {
                return;
            }
        }
        running = true;
        checkTime = now;
        context.lane().runWaiting(() -> runCheck(now), (result, failure) -> checked(now, result, failure));
    }

    /** Waiting work: the check itself, then its record in the machine's data ({@link DataRecord}). */
    private CheckResult runCheck(Instant began) {
        PluginRun runner = new PluginRun(properties, context, settings, slot);
        CheckResult result = properties.builtin().isEmpty() ? runner.execute()
                : builtins.run(properties, context, settings, runner);
        if (!result.stopped()) {
            String text = result.output().strip();
            DataRecord.store(context.data(), context.definition().name(),
                    new CheckRecord(began, result.status(), PluginOutput.parse(text).perfData()), text,
                    context.logger());
        }
        return result;
    }

    /** A check ended (on the lane): record it, publish it, fire its status. */
    private void checked(Instant began, CheckResult result, Throwable failure) {
        running = false;
        if (failure instanceof RejectedExecutionException) {
            context.logger().debug("not checking: the agent is shutting down");
            return;
        }
        if (stopped || (result != null && result.stopped())) {
            return; // a check a stop cut short reports nothing to a machine going away
        }
        if (failure != null) {
            context.logger().warn("the nagios check failed unexpectedly: {}", failure.toString(), failure);
            result = CheckResult.of(NagiosStatus.UNKNOWN, "UNKNOWN: " + failure, plugin);
        }
        runtimeNanos = Math.max(0, Duration.between(began, context.clock().instant()).toNanos());
        plugin = result.plugin();
        output = result.output().strip();
        perfData = PluginOutput.parse(output).perfData();
        status = result.status();
        if (history.size() >= HISTORY) {
            history.removeFirst();
        }
        history.addLast(new CheckRecord(began, status, perfData));
        context.recordRun(new WatcherRun(status.name(), status.code(), began, Duration.ofNanos(runtimeNanos), output));
        if (context.logger().isDebugEnabled()) {
            context.logger().debug("{} {}: {}", plugin, status, output);
        }
        context.publishState(currentState());
        statusFile.update(context.machineName(), status, context.clock().instant());
        context.fire(status.name());
        if (forceWaiting) {
            forceWaiting = false;
            check(true);
        }
    }
}
