package dev.tend.watchers.timer;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One timer: started at watcher start when the machine is in a matching state, restarted on every poke while active
 * (also between two matching states), stopped on a poke while inactive, and on expiry it publishes {@code stopped} and
 * fires {@code fail_transition}. Each start and each stop publishes a state event; a restart publishes one
 * {@code running} event.
 */
final class TimerWatcher implements Watcher {

    private enum State { STOPPED, RUNNING }

    private final WatcherContext context;
    private final Duration length;

    // Guarded by this.
    private State state = State.STOPPED;
    private ScheduledFuture<?> expiry;
    /** Identifies the current run, so an expiry that raced with a restart or a stop does nothing. */
    private long run;
    private boolean stopped;

    TimerWatcher(WatcherContext context, Duration length) {
        this.context = context;
        this.length = length;
    }

    @Override
    public void start() {
        if (context.isActive()) {
            restart();
        }
    }

    @Override
    public void stateChanged() {
        if (context.isActive()) {
            restart();
        } else {
            cancel();
        }
    }

    @Override
    public synchronized void stop() {
        stopped = true; // silently, as the reference does on stop and delete
        run++;
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        state = State.STOPPED;
    }

    @Override
    public synchronized Map<String, Object> currentState() {
        return fields();
    }

    private void restart() {
        Map<String, Object> event;
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (expiry != null) {
                expiry.cancel(false);
            }
            long mine = ++run;
            try {
                expiry = context.scheduler().schedule(() -> expired(mine), length.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return; // the runtime is stopping
            }
            state = State.RUNNING;
            event = fields();
        }
        context.publishState(event);
    }

    private void cancel() {
        Map<String, Object> event;
        synchronized (this) {
            if (stopped || state != State.RUNNING) {
                return;
            }
            run++;
            expiry.cancel(false);
            expiry = null;
            state = State.STOPPED;
            event = fields();
        }
        context.publishState(event);
    }

    /** On the scheduler: short, as its tasks must be. */
    private void expired(long which) {
        Map<String, Object> event;
        synchronized (this) {
            if (stopped || which != run) {
                return;
            }
            expiry = null;
            state = State.STOPPED;
            event = fields();
        }
        context.publishState(event);
        context.fireFail();
    }

    private Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", state == State.RUNNING ? "running" : "stopped");
        fields.put("timer", length.toNanos());
        return fields;
    }
}
