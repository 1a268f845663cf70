package dev.tend.machine.control;

/**
 * What an operator's transition did: machine {@code machine} went from {@code fromState} to {@code toState} via
 * {@code event} (the same state when the event is a self transition).
 */
public record TransitionOutcome(String machine, String event, String fromState, String toState) {

    /** {@code NAME: FROM -> TO via EVENT}, as {@code tend machine transition} prints it. */
    @Override
    public String toString() {
        return machine + ": " + fromState + " -> " + toState + " via " + event;
    }
}
