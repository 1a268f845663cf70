package dev.tend.machine.testing;

/**
 * One call into, or one action of, a {@code test} watcher, as its factory's listener sees it.
 *
 * @param machine the machine's name
 * @param watcher the watcher's name
 * @param kind    what happened
 * @param state   the machine's state at that moment
 * @param active  whether the watcher was active at that moment
 */
public record TestWatcherCall(String machine, String watcher, Kind kind, String state, boolean active) {

    public enum Kind {
        /** The factory created the watcher. */
        CREATED,
        /** {@code start()} was called. */
        STARTED,
        /** {@code stateChanged()} was called (a poke). */
        STATE_CHANGED,
        /** {@code dataChanged()} was called (the machine's data changed). */
        DATA_CHANGED,
        /** The watcher became active (at start or on a poke into an active state) and did its work. */
        ACTIVATED,
        /** The watcher fired its success or fail transition. */
        FIRED,
        /** {@code stop()} was called. */
        STOPPED,
        /** {@code delete()} was called. */
        DELETED
    }
}
