package dev.tend.machine.engine;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherLane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One created watcher and every call the engine makes into it: on the watcher's lane, so one at a time and never
 * overlapping what the watcher does on its own, and never under the machine's lock. State-change pokes go through a
 * one-slot signal, so pokes made while one is pending coalesce and a slow watcher only delays itself.
 */
final class WatcherHandle {

    private static final Logger LOG = LoggerFactory.getLogger(WatcherHandle.class);

    private final String machine;
    private final WatcherDefinition definition;
    private final Watcher watcher;
    private final EngineWatcherLane lane;
    private final AtomicBoolean pokePending = new AtomicBoolean();
    private final AtomicBoolean dataPokePending = new AtomicBoolean();
    private volatile WatcherLane.Scheduled announcer;

    // Touched only on the lane.
    private boolean started;
    private boolean stopped;
    private boolean deleted;

    WatcherHandle(String machine, WatcherDefinition definition, Watcher watcher, EngineWatcherLane lane) {
        this.machine = machine;
        this.definition = definition;
        this.watcher = watcher;
        this.lane = lane;
    }

    WatcherDefinition definition() {
        return definition;
    }

    /** Calls {@code start()}; then {@code onStarted}, or {@code onFailed} with what it threw. Skipped once stopped. */
    void start(Runnable onStarted, Consumer<RuntimeException> onFailed) {
        lane.execute(() -> {
            if (stopped) {
                return;
            }
            try {
                watcher.start();
            } catch (RuntimeException e) {
                onFailed.accept(e);
                return;
            }
            started = true;
            onStarted.run();
        });
    }

    /** Signals a state change; returns at once. Pokes made while one is pending coalesce into it. */
    void poke() {
        if (pokePending.compareAndSet(false, true)) {
            lane.execute(() -> {
                pokePending.set(false); // a poke from now on is a new one: the watcher may already have read the state
                if (started && !stopped) {
                    call("stateChanged", watcher::stateChanged);
                }
            });
        }
    }

    /** Signals a change of the machine's data; returns at once. Signals made while one is pending coalesce into it. */
    void dataPoke() {
        if (dataPokePending.compareAndSet(false, true)) {
            lane.execute(() -> {
                dataPokePending.set(false);
                if (started && !stopped) {
                    call("dataChanged", watcher::dataChanged);
                }
            });
        }
    }

    /** Publishes {@code currentState()} through {@code publish} every {@code interval}, from one interval from now. */
    void announceEvery(Duration interval, Consumer<Map<String, Object>> publish) {
        announcer = lane.every(interval, () -> {
            if (started && !stopped) {
                publish.accept(safeState());
            }
        });
    }

    /**
     * Stops the watcher ({@code delete()} too when {@code delete}); the future completes when the call returned and the
     * blocking work the watcher still had running (e.g. ending its command) is done. Idempotent; a stopped watcher still
     * gets its delete hook.
     */
    CompletableFuture<Void> stop(boolean delete) {
        WatcherLane.Scheduled a = announcer;
        if (a != null) {
            a.cancel();
        }
        Runnable task = () -> {
            if (delete && !deleted) {
                deleted = true;
                stopped = true;
                call("delete", watcher::delete);
            } else if (!stopped) {
                stopped = true;
                call("stop", watcher::stop);
            }
        };
        if (lane.isRunningOnCurrentThread()) {
            // Called from inside one of this watcher's calls: queueing behind it, or waiting for its blocking work, whose
            // answers need this lane, would wait for ourselves.
            task.run();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        lane.execute(() -> {
            try {
                task.run();
            } finally {
                lane.whenBlockingWorkDone().whenComplete((ignored, e) -> done.complete(null));
            }
        });
        return done;
    }

    /** The watcher's own fields, asked through its lane (answered at once when called from inside it). */
    CompletableFuture<Map<String, Object>> currentState() {
        if (lane.isRunningOnCurrentThread()) {
            return CompletableFuture.completedFuture(safeState());
        }
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        lane.execute(() -> answer.complete(safeState()));
        return answer;
    }

    private Map<String, Object> safeState() {
        try {
            Map<String, Object> fields = watcher.currentState();
            return fields == null ? Map.of() : fields;
        } catch (RuntimeException e) {
            LOG.warn("machine \"{}\" watcher \"{}\": currentState failed: {}", machine, definition.name(), e.toString(), e);
            return Map.of();
        }
    }

    private void call(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("machine \"{}\" watcher \"{}\": {} failed: {}", machine, definition.name(), what, e.toString(), e);
        }
    }
}
