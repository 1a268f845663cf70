package dev.tend.machine.agent;

import dev.tend.machine.MachineDefinition;

/** Two machines with the same name: the second one is refused. The message names both directories. */
public final class DuplicateMachineException extends Exception {
    private final MachineDefinition refused;
    private final MachineDefinition existing;

    public DuplicateMachineException(MachineDefinition refused, MachineDefinition existing) {
        super("machine \"" + refused.name() + "\" in " + refused.directory() + " is refused: a machine of that name is"
                + " already loaded from " + existing.directory());
        this.refused = refused;
        this.existing = existing;
    }

    public MachineDefinition refused() {
        return refused;
    }

    public MachineDefinition existing() {
        return existing;
    }
}
