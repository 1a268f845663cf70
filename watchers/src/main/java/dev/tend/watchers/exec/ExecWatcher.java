package dev.tend.watchers.exec;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command when the machine changes state (if active) and every {@code interval} (re-armed after each interval
 * run ends, so runs never pile up; runs caused by state changes do not move the interval). Runs are serialised: a run
 * asked for while one is going waits for it, and several such requests become one run. A run while the watcher is not
 * active is {@code skipped}: nothing runs, fires or is published. Success publishes the state event (unless
 * {@code suppress_success_announce}) and fires {@code success_transition}; an error publishes it and fires
 * {@code fail_transition}.
 *
 * <p>Threads: the engine's calls only set flags and timers; runs happen on the blocking executor, one loop at a time;
 * the interval is a task on the scheduler that only asks for a run.
 */
final class ExecWatcher implements Watcher {

    /** How many characters of output a failure's warning shows (the debug log has all that was kept). */
    static final int WARN_OUTPUT_CHARS = 2000;
    /** gather_initial_state: the first interval run comes after a random delay below this. */
    static final Duration INITIAL_SPLAY = Duration.ofSeconds(30);
    /** How long stop() waits for a run to finish its bookkeeping after its command was ended. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final WatcherContext context;
    private final ExecProperties properties;
    private final ExecSettings settings;
    private final Duration interval;
    private final ChildSlot slot = new ChildSlot();

    private final Object lock = new Object();
    // Guarded by lock.
    private boolean stopped;
    private boolean running;
    private boolean pokeWaiting;
    private boolean tickWaiting;
    private ScheduledFuture<?> tick;
    private Outcome previousOutcome = Outcome.UNKNOWN;
    private long previousRunTimeNanos;
    private Integer exitCode;

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
        synchronized (lock) {
            arm(first);
        }
    }

    @Override
    public void stateChanged() {
        request(false);
    }

    @Override
    public void stop() {
        synchronized (lock) {
            stopped = true;
            if (tick != null) {
                tick.cancel(false);
                tick = null;
            }
        }
        List<Long> left = slot.stop(settings.stopGrace());
        if (!left.isEmpty()) {
            context.logger().warn("processes {} of the command survived SIGKILL", left);
        }
        awaitIdle();
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("command", properties.command());
        synchronized (lock) {
            state.put("previous_outcome", previousOutcome.text());
            state.put("previous_run_time", previousRunTimeNanos);
            if (exitCode != null) {
                state.put("exit_code", exitCode);
            }
        }
        return state;
    }

    /** The interval's timer: asks for a run. */
    private void onTick() {
        request(true);
    }

    private void request(boolean fromTick) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (fromTick) {
                tickWaiting = true;
                tick = null;
            } else {
                pokeWaiting = true;
            }
            if (running) {
                return; // the running loop takes it when the current run ends
            }
            running = true;
        }
        try {
            context.blockingExecutor().execute(this::runLoop);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                running = false;
                lock.notifyAll();
            }
            context.logger().debug("not running the command: the agent is shutting down");
        }
    }

    private void runLoop() {
        while (true) {
            boolean fromTick;
            synchronized (lock) {
                if (stopped || !(pokeWaiting || tickWaiting)) {
                    running = false;
                    lock.notifyAll();
                    return;
                }
                fromTick = tickWaiting;
                pokeWaiting = false;
                tickWaiting = false;
            }
            try {
                runOnce();
            } catch (RuntimeException e) {
                context.logger().warn("the exec watcher's run failed unexpectedly: {}", e.toString(), e);
            }
            if (fromTick) {
                synchronized (lock) {
                    if (!stopped) {
                        arm(interval); // the interval counts from the end of the run
                    }
                }
            }
        }
    }

    private void runOnce() {
        if (!context.isActive()) {
            synchronized (lock) {
                previousOutcome = Outcome.SKIPPED;
                exitCode = null;
            }
            return;
        }
        Instant begin = context.clock().instant();
        RunResult result = new CommandRun(properties, context, settings, slot).execute();
        long took = Math.max(0, Duration.between(begin, context.clock().instant()).toNanos());
        if (result.isStopped()) {
            return; // a stop cut it short: nothing to report to a machine that is going away
        }
        synchronized (lock) {
            previousOutcome = result.outcome();
            previousRunTimeNanos = took;
            exitCode = result.exitCode();
            if (stopped) {
                return;
            }
        }
        report(result, took);
    }

    private void report(RunResult result, long tookNanos) {
        String took = String.format("%.3fs", tookNanos / 1e9);
        if (result.outcome() == Outcome.SUCCESS) {
            if (context.logger().isDebugEnabled()) {
                context.logger().debug("command {} succeeded in {}{}", Texts.quote(properties.command()), took,
                        result.output().isEmpty() ? "" : "; output: " + result.output());
            }
            if (!properties.suppressSuccessAnnounce()) {
                context.publishState(currentState());
            }
            context.fireSuccess();
        } else {
            String tail = lastChars(result.output());
            context.logger().warn("command {} failed after {}: {}{}", Texts.quote(properties.command()), took,
                    result.reason(), tail.isBlank() ? "" : "; output: " + tail);
            context.publishState(currentState());
            context.fireFail();
        }
    }

    /** Under {@link #lock}. */
    private void arm(Duration delay) {
        try {
            tick = context.scheduler().schedule(this::onTick, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            context.logger().debug("no more interval runs: the scheduler is shut down");
        }
    }

    private void awaitIdle() {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        synchronized (lock) {
            while (running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    context.logger().warn("stop: a run is still finishing after {}s; not waiting for it",
                            STOP_WAIT.toSeconds());
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String lastChars(String output) {
        String trimmed = output.strip();
        return trimmed.length() <= WARN_OUTPUT_CHARS ? trimmed
                : "[...] " + trimmed.substring(trimmed.length() - WARN_OUTPUT_CHARS);
    }
}
