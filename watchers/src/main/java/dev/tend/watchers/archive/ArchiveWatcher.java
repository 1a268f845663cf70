package dev.tend.watchers.archive;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherRun;
import dev.tend.machine.spi.WatcherLane;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs at start, every {@code interval} (when set) and when the machine changes state, while the watcher is active
 * (inactive: {@code skipped}, nothing runs, fires or is published). Runs never overlap: one asked for during a run
 * comes after it, and several such requests become one. {@code verified} and {@code downloaded} publish the state event
 * and fire {@code success_transition} (verified on every run, as in the reference); {@code error} logs its reason,
 * publishes it and fires {@code fail_transition}.
 *
 * <p>Everything here runs on the watcher's lane, so its fields need no lock. A run ({@link ArchiveRun}: files read
 * and hashed, a download, a governor's wait) is waiting work ({@code runWaiting}) whose result comes back to the lane.
 */
final class ArchiveWatcher implements Watcher {

    private final WatcherContext context;
    private final ArchiveProperties properties;
    private final ArchiveSettings settings;
    private final ArchiveInstaller installer;
    private final DeploymentQueue queue;
    private final Duration interval;
    /**
     * The current run's, completed by {@link #stop()}: a run waiting for its governor's slot or another deployment, or
     * downloading, gives up. A new one for each run, as the waits register on it.
     */
    private volatile CompletableFuture<Void> runStopping = new CompletableFuture<>();
    /** Set by {@link #stop()} before it completes {@link #runStopping}; read by a run after it sets its own. */
    private volatile boolean stopRequested;

    private boolean stopped;
    private boolean running;
    private boolean wanted;
    private WatcherLane.Scheduled tick;
    private ArchiveOutcome previousOutcome = ArchiveOutcome.UNKNOWN;
    private long previousRunTimeNanos;
    private String previousSource;
    /** Why the last run that ran (not skipped) failed; empty once one succeeds. */
    private String reason = "";

    ArchiveWatcher(WatcherContext context, ArchiveProperties properties, ArchiveSettings settings,
                   DeploymentQueue queue) {
        this.context = context;
        this.properties = properties;
        this.settings = settings;
        this.installer = new ArchiveInstaller(new SourceFetcher(settings.userAgent(),
                new KvArchiveSource(context::store)));
        this.queue = queue;
        this.interval = context.definition().interval();
    }

    @Override
    public void start() {
        if (!interval.isZero()) {
            tick = context.lane().every(interval, this::request);
        }
        request();
    }

    @Override
    public void stateChanged() {
        request();
    }

    @Override
    public void stop() {
        stopped = true;
        stopRequested = true;
        runStopping.complete(null);
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("source", previousSource != null ? previousSource : ArchiveRun.shown(properties.source()));
        state.put("creates", properties.creates());
        state.put("previous_outcome", previousOutcome.text());
        state.put("previous_run_time", previousRunTimeNanos);
        if (!reason.isEmpty()) {
            state.put("reason", reason);
        }
        return state;
    }

    /** A run is due: now, or after the one going on. */
    private void request() {
        if (stopped) {
            return;
        }
        wanted = true;
        if (!running) {
            runNext();
        }
    }

    private void runNext() {
        if (stopped || !wanted) {
            return;
        }
        wanted = false;
        if (!context.isActive()) {
            previousOutcome = ArchiveOutcome.SKIPPED;
            return;
        }
        running = true;
        context.lane().runWaiting(this::runOnce, this::ran);
    }

    /** Waiting work: the run itself. */
    private ArchiveRun.Result runOnce() {
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        runStopping = stopping;
        if (stopRequested) {
            stopping.complete(null);
        }
        return new ArchiveRun(properties, context, settings, installer, queue, stopping).run();
    }

    /** A run ended (on the lane): report it, then take what was asked for meanwhile. */
    private void ran(ArchiveRun.Result result, Throwable failure) {
        running = false;
        if (failure instanceof RejectedExecutionException) {
            context.logger().debug("not running: the agent is shutting down");
            return;
        }
        if (failure != null) {
            context.logger().warn("the archive watcher's run failed unexpectedly: {}", failure.toString(), failure);
        } else if (!result.isStopped() && !stopped) {
            previousOutcome = result.outcome();
            previousRunTimeNanos = result.tookNanos();
            reason = result.reason();
            context.recordRun(new WatcherRun(previousOutcome.text(), null,
                    context.clock().instant().minusNanos(previousRunTimeNanos), Duration.ofNanos(previousRunTimeNanos),
                    reason));
            if (result.source() != null) {
                previousSource = result.source();
            }
            report();
        }
        runNext();
    }

    private void report() {
        boolean error = !reason.isEmpty();
        if (error) {
            context.logger().error("managing archive {} failed: {}", properties.createsPath(), reason);
        }
        context.publishState(currentState());
        if (error) {
            context.fireFail();
        } else {
            context.fireSuccess();
        }
    }
}
