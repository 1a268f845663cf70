package dev.tend.machine.engine;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One created watcher and every call the engine makes into it: one at a time through its own {@link SerialRunner}, never
 * under the machine's lock. State-change pokes go through a one-slot signal, so pokes made while one is pending coalesce
 * and a slow watcher only delays itself.
 */
final class WatcherHandle {

    private static final Logger LOG = LoggerFactory.getLogger(WatcherHandle.class);

    private final String machine;
    private final WatcherDefinition definition;
    private final Watcher watcher;
    private final SerialRunner calls;
    private final AtomicBoolean pokePending = new AtomicBoolean();
    private final AtomicBoolean announcePending = new AtomicBoolean();
    private volatile ScheduledFuture<?> announcer;

    // Touched only by tasks on {@link #calls}, which run one at a time.
    private boolean started;
    private boolean stopped;
    private boolean deleted;

    WatcherHandle(String machine, WatcherDefinition definition, Watcher watcher, Executor executor) {
        this.machine = machine;
        this.definition = definition;
        this.watcher = watcher;
        this.calls = new SerialRunner(executor, "machine \"" + machine + "\" watcher \"" + definition.name() + "\"");
    }

    WatcherDefinition definition() {
        return definition;
    }

    /** Calls {@code start()}; then {@code onStarted}, or {@code onFailed} with what it threw. Skipped once stopped. */
    void start(Runnable onStarted, Consumer<RuntimeException> onFailed) {
        calls.execute(() -> {
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
            calls.execute(() -> {
                pokePending.set(false); // a poke from now on is a new one: the watcher may already have read the state
                if (started && !stopped) {
                    call("stateChanged", watcher::stateChanged);
                }
            });
        }
    }

    /** Publishes {@code currentState()} through {@code publish} every {@code interval}, from one interval from now. */
    void announceEvery(Duration interval, ScheduledExecutorService scheduler, Consumer<Map<String, Object>> publish) {
        long nanos = interval.toNanos();
        announcer = scheduler.scheduleAtFixedRate(() -> {
            if (announcePending.compareAndSet(false, true)) {
                calls.execute(() -> {
                    announcePending.set(false);
                    if (started && !stopped) {
                        publish.accept(safeState());
                    }
                });
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Stops the watcher ({@code delete()} too when {@code delete}); the future completes when the call returned. Idempotent;
     * a stopped watcher still gets its delete hook.
     */
    CompletableFuture<Void> stop(boolean delete) {
        ScheduledFuture<?> a = announcer;
        if (a != null) {
            a.cancel(false);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                if (delete && !deleted) {
                    deleted = true;
                    stopped = true;
                    call("delete", watcher::delete);
                } else if (!stopped) {
                    stopped = true;
                    call("stop", watcher::stop);
                }
            } finally {
                done.complete(null);
            }
        };
        if (calls.isRunningOnCurrentThread()) {
            task.run(); // called from inside one of this watcher's calls: queueing behind it would wait for ourselves
        } else {
            calls.execute(task);
        }
        return done;
    }

    /** The watcher's own fields, asked through its call queue (answered at once when called from inside it). */
    CompletableFuture<Map<String, Object>> currentState() {
        if (calls.isRunningOnCurrentThread()) {
            return CompletableFuture.completedFuture(safeState());
        }
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        calls.execute(() -> answer.complete(safeState()));
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
