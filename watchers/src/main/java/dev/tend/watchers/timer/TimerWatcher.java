package dev.tend.watchers.timer;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;
import dev.tend.machine.spi.WatcherNext;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One timer: started at watcher start when the machine is in a matching state, restarted on every poke while active
 * (also between two matching states), stopped on a poke while inactive, and on expiry it publishes {@code stopped} and
 * fires {@code fail_transition}. Each start and each stop publishes a state event; a restart publishes one
 * {@code running} event.
 *
 * <p>Everything here runs on the watcher's lane, the expiry included, so its fields need no lock, and a timer cancelled by
 * a restart or a stop never expires.
 */
final class TimerWatcher implements Watcher {

    private enum State { STOPPED, RUNNING }

    private final WatcherContext context;
    private final Duration length;

    private State state = State.STOPPED;
    private WatcherLane.Scheduled expiry;
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
    public void stop() {
        stopped = true; // silently, as the reference does on stop and delete
        cancelExpiry();
        state = State.STOPPED;
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", state == State.RUNNING ? "running" : "stopped");
        fields.put("timer", length.toNanos());
        return fields;
    }

    private void restart() {
        if (stopped) {
            return;
        }
        cancelExpiry();
        expiry = context.lane().schedule(length, this::expired);
        context.recordNext(new WatcherNext("expires", context.clock().instant().plus(length)));
        state = State.RUNNING;
        context.publishState(currentState());
    }

    private void cancel() {
        if (stopped || state != State.RUNNING) {
            return;
        }
        cancelExpiry();
        state = State.STOPPED;
        context.publishState(currentState());
    }

    private void expired() {
        expiry = null;
        context.recordNext(null);
        state = State.STOPPED;
        context.publishState(currentState());
        context.fireFail();
    }

    private void cancelExpiry() {
        context.recordNext(null);
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
    }
}
