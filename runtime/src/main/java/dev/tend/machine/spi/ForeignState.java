package dev.tend.machine.spi;

/** A {@code foreign_state_required} item: machine {@code machineName} on this node must be in {@code state}. */
public record ForeignState(String machineName, String state) {
}
