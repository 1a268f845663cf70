package dev.tend.watchers.exec;

import dev.tend.watchers.process.ChildSlot;
import dev.tend.watchers.process.MessageQuotes;

import dev.tend.units.Durations;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;
import dev.tend.machine.spi.WatcherNext;
import dev.tend.machine.spi.WatcherRun;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a command when the machine changes state (if active) and every {@code interval} (re-armed after each interval
 * run ends, so runs never pile up; runs caused by state changes do not move the interval). Runs are serialised: a run
 * asked for while one is going waits for it, and several such requests become one run. A run while the watcher is not
 * active is {@code skipped}: nothing runs, fires or is published. Success publishes the state event (unless
 * {@code suppress_success_announce}) and fires {@code success_transition}; an error publishes it and fires
 * {@code fail_transition}.
 *
 * <p>Everything here runs on the watcher's lane, so its fields need no lock. A run ({@link CommandRun}, which waits for
 * the command) is waiting work ({@code runWaiting}: a thread of its own, so that a long command holds none of the
 * threads other watchers' work shares) whose result comes back to the lane; so is ending the command on stop, which
 * the machine's stop waits for.
 */
final class ExecWatcher implements Watcher {

    /** How many characters of output a failure's warning shows (the debug log has all that was kept). */
    static final int WARN_OUTPUT_CHARS = 2000;
    /** gather_initial_state: the first interval run comes after a random delay below this. */
    static final Duration INITIAL_SPLAY = Duration.ofSeconds(30);

    /** A run's result, when it began and how long it took. */
    private record Ran(RunResult result, Instant began, long tookNanos) {
    }

    private final WatcherContext context;
    private final ExecProperties properties;
    private final ExecSettings settings;
    private final Duration interval;
    private final ChildSlot slot = new ChildSlot();
    /**
     * The current run's, completed by {@link #stop()}: a run waiting for its governor's slot gives up. A new one for
     * each run, because the governor's wait registers on it and a future that never completes keeps what was
     * registered for as long as the watcher lives.
     */
    private volatile CompletableFuture<Void> runStopping = new CompletableFuture<>();
    /** Set by {@link #stop()} before it completes {@link #runStopping}; read by a run after it sets its own. */
    private volatile boolean stopRequested;

    private boolean stopped;
    private boolean running;
    private boolean pokeWaiting;
    private boolean tickWaiting;
    private WatcherLane.Scheduled tick;
    private ExecOutcome previousOutcome = ExecOutcome.UNKNOWN;
    private long previousRunTimeNanos;
    private Integer exitCode;
    /** The last run was cut at the timeout: the state event says so ({@code timed_out}), for metrics. */
    private boolean timedOut;

    ExecWatcher(WatcherContext context, ExecProperties properties, ExecSettings settings) {
        this.context = context;
        this.properties = properties;
        this.settings = settings;
        this.interval = context.definition().interval();
    }

    @Override
    public void start() {
        if (interval.isZero()) {
            return; // runs only on state changes
        }
        Duration first = properties.gatherInitialState()
                ? Duration.ofMillis(settings.randomBelow().applyAsLong(INITIAL_SPLAY.toMillis()))
                : interval;
        arm(first);
    }

    @Override
    public void stateChanged() {
        request(false);
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
        context.recordNext(null);
        context.lane().runWaiting(() -> slot.stop(settings.stopGrace()), (left, failure) -> {
            if (failure instanceof RejectedExecutionException) {
                slot.stop(Duration.ZERO); // the agent is shutting down: end it here, without a grace
            } else if (left != null && !left.isEmpty()) {
                context.logger().warn("processes {} of the command survived SIGKILL", left);
            }
        });
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("command", properties.command());
        state.put("previous_outcome", previousOutcome.text());
        state.put("previous_run_time", previousRunTimeNanos);
        if (exitCode != null) {
            state.put("exit_code", exitCode);
        }
        if (timedOut) {
            state.put("timed_out", true);
        }
        return state;
    }

    /** The interval's timer: asks for a run. */
    private void onTick() {
        tick = null;
        context.recordNext(null);
        request(true);
    }

    private void request(boolean fromTick) {
        if (stopped) {
            return;
        }
        if (fromTick) {
            tickWaiting = true;
        } else {
            pokeWaiting = true;
        }
        if (!running) {
            runNext(); // otherwise the run going on takes it when it ends
        }
    }

    /** Starts the run asked for, if any: skipped at once while inactive, else as blocking work. */
    private void runNext() {
        while (!stopped && (pokeWaiting || tickWaiting)) {
            boolean fromTick = tickWaiting;
            pokeWaiting = false;
            tickWaiting = false;
            if (context.isActive()) {
                running = true;
                context.lane().runWaiting(this::runOnce, (ran, failure) -> ran(fromTick, ran, failure));
                return;
            }
            previousOutcome = ExecOutcome.SKIPPED;
            exitCode = null;
            timedOut = false;
            rearmAfter(fromTick);
        }
    }

    /** Blocking work: the run itself. */
    private Ran runOnce() {
        Instant begin = context.clock().instant();
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        runStopping = stopping;
        if (stopRequested) {
            stopping.complete(null);
        }
        CommandRun run = new CommandRun(properties, context, settings, slot, stopping);
        RunResult result = run.execute();
        return new Ran(result, begin, Math.max(0, Duration.between(begin, context.clock().instant()).toNanos()
                - run.governorNanos()));
    }

    /** A run ended (on the lane): report it, then take what was asked for meanwhile. */
    private void ran(boolean fromTick, Ran ran, Throwable failure) {
        running = false;
        if (failure instanceof RejectedExecutionException) {
            context.logger().debug("not running the command: the agent is shutting down");
            return;
        }
        if (failure != null) {
            context.logger().warn("the exec watcher's run failed unexpectedly: {}", failure.toString(), failure);
        } else if (!ran.result().isStopped()) { // a run a stop cut short reports nothing to a machine going away
            previousOutcome = ran.result().outcome();
            previousRunTimeNanos = ran.tookNanos();
            exitCode = ran.result().exitCode();
            timedOut = ran.result().timedOut();
            context.recordRun(new WatcherRun(previousOutcome.text(), exitCode, ran.began(),
                    Duration.ofNanos(ran.tookNanos()), ran.result().output()));
            if (!stopped) {
                report(ran.result(), ran.tookNanos());
            }
        }
        rearmAfter(fromTick);
        runNext();
    }

    /** After an interval run: the next one comes one interval after its end. */
    private void rearmAfter(boolean fromTick) {
        if (fromTick && !stopped) {
            arm(interval);
        }
    }

    private void report(RunResult result, long tookNanos) {
        String took = Durations.format(Duration.ofNanos(tookNanos).truncatedTo(ChronoUnit.MILLIS));
        if (result.outcome() == ExecOutcome.SUCCESS) {
            if (context.logger().isDebugEnabled()) {
                context.logger().debug("command {} succeeded in {}{}", MessageQuotes.quote(properties.command()), took,
                        result.output().isEmpty() ? "" : "; output: " + result.output());
            }
            if (!properties.suppressSuccessAnnounce()) {
                context.publishState(currentState());
            }
            context.fireSuccess();
        } else {
            String tail = lastChars(result.output());
            context.logger().warn("command {} failed after {}: {}{}", MessageQuotes.quote(properties.command()), took,
                    result.reason(), tail.isBlank() ? "" : "; output: " + tail);
            context.publishState(currentState());
            context.fireFail();
        }
    }

    private void arm(Duration delay) {
        tick = context.lane().schedule(delay, this::onTick);
        context.recordNext(new WatcherNext("runs", context.clock().instant().plus(delay)));
    }

    private static String lastChars(String output) {
        String trimmed = output.strip();
        return trimmed.length() <= WARN_OUTPUT_CHARS ? trimmed
                : "[...] " + trimmed.substring(trimmed.length() - WARN_OUTPUT_CHARS);
    }
}
