package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;

import java.util.Objects;

/** The engine's one public entry, for {@link dev.tend.machine.Machines#create}; use that instead. */
public final class Engine {

    private Engine() {
    }

    public static Machine newMachine(MachineDefinition definition, MachineEnvironment environment) {
        return new EngineMachine(Objects.requireNonNull(definition, "definition"),
                Objects.requireNonNull(environment, "environment"));
    }
}
