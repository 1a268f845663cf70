package dev.tend.machine.spi;

import java.util.Map;

/**
 * A running watcher. The engine calls these methods on the watcher's {@link WatcherContext#lane() lane}, one at a time
 * and never overlapping the watcher's own lane tasks, never while holding the machine's lock. None of them may wait:
 * blocking work goes to {@link WatcherLane#runBlocking} (see the package documentation).
 */
public interface Watcher {

    /** The machine started (after its splay). The machine is in its initial state; this is not a state change. */
    void start();

    /**
     * The machine changed state (a real transition, not a self transition). {@link WatcherContext#isActive()} and
     * {@link WatcherContext#currentState()} already answer for the new state. Pokes may coalesce.
     */
    void stateChanged();

    /**
     * A key of the machine's data was put or deleted (by any of its watchers, this one included). Pokes may coalesce:
     * read the keys the watcher cares about and compare them with what it saw. Default: nothing.
     */
    default void dataChanged() {
    }

    /** The machine stops (reload, shutdown): cancel timers, end loops, stop children. Idempotent. */
    void stop();

    /** The machine was removed from disk: stop, and also undo anything kept outside the machine. Default: {@link #stop()}. */
    default void delete() {
        stop();
    }

    /**
     * The watcher's own fields for its state event and for {@code tend machine info} (e.g. {@code state},
     * {@code previous_outcome}); the engine adds the common ones.
     */
    Map<String, Object> currentState();
}
