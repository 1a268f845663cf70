package dev.tend.machine.event;

import java.time.Instant;

/** A machine moved from {@code fromState} to {@code toState} via {@code transition}. Self transitions are not events. */
public record TransitionEvent(String identity, String machine, String instanceId, String version, Instant time,
                              String transition, String fromState, String toState) implements MachineEvent {

    public static final String TYPE = "dev.tend.machine.v1.transition";

    @Override
    public String type() {
        return TYPE;
    }

    /** The reference's one-line form. */
    @Override
    public String toString() {
        return identity + " " + machine + " transitioned via event " + transition + ": " + fromState + " => " + toState;
    }
}
