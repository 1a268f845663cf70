package dev.tend.machine;

import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.spi.AgentHealth;

import java.util.Optional;

/** What a machine asks of whatever runs it beside other machines (the agent, {@code tend machine run}). */
public interface MachineHost {

    /** The current state of the machine named {@code machineName} on this node, if it is loaded. */
    Optional<String> stateOf(String machineName);

    /**
     * A machine made a real transition; the host forwards it, asynchronously, to every machine with a matching
     * {@code subscribe} entry (the origin included).
     */
    void transitioned(TransitionEvent event);

    /** What the host knows of its own health (its watchers' {@code agentHealth()}); empty when it tells none. */
    default Optional<AgentHealth> health() {
        return Optional.empty();
    }

    /** A host of one machine: no other machines, no subscriptions. */
    MachineHost NONE = new MachineHost() {
        @Override
        public Optional<String> stateOf(String machineName) {
            return Optional.empty();
        }

        @Override
        public void transitioned(TransitionEvent event) {
        }
    };
}
