package dev.tend.machine;

/** An operator asked for an event that is not valid in the machine's current state. */
public final class InvalidTransitionException extends Exception {
    public InvalidTransitionException(String message) {
        super(message);
    }
}
