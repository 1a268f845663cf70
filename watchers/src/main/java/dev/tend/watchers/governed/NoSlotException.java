package dev.tend.watchers.governed;

/** No slot was obtained in a governor: the reason, one line, for the watcher's {@code error} outcome. */
public final class NoSlotException extends Exception {

    NoSlotException(String message) {
        super(message, null, false, false);
    }
}
