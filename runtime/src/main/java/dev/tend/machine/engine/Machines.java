package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;

import java.util.Objects;

/**
 * Creates running machines from their definitions: the engine's one public entry (the rest of the package is its
 * implementation).
 *
 * <p>Lifecycle of the machines it creates: {@link Machine#start()} starts the watchers after the splay and may be called
 * again after a watcher could not be created or started (the machine then reports no start time). {@link Machine#stop()}
 * and {@link Machine#delete()} are final: afterwards {@link Machine#start()} and {@link Machine#fire} are ignored
 * (logged at debug) and {@link Machine#transition} throws {@link IllegalStateException} naming the machine, because a
 * stopped machine is being replaced or removed and its state no longer means anything. {@code delete()} after
 * {@code stop()} still runs the delete hooks. Transitions are allowed before {@code start()}: the watchers see the state
 * the machine is in when they start.
 */
public final class Machines {

    private Machines() {
    }

    /**
     * A machine in its initial state, watchers not yet started. Creating it starts nothing and reads no file, but for a
     * machine that resumes its state ({@link MachineDefinition#resumeState()},
     * {@link MachineEnvironment#resumeState()}): that reads its saved state and its data, and starts in the saved state
     * when the definition is the one it was saved with (docs/machines.md, "Resuming the last state").
     */
    public static Machine create(MachineDefinition definition, MachineEnvironment environment) {
        return new EngineMachine(Objects.requireNonNull(definition, "definition"),
                Objects.requireNonNull(environment, "environment"));
    }
}
