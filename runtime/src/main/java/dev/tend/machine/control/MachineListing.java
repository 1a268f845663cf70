package dev.tend.machine.control;

import dev.tend.machine.LoadFailure;
import dev.tend.machine.MachineStatus;

import java.util.List;

/**
 * The answer to {@code list}: the loaded machines and the machine directories whose machine does not load, each sorted
 * by name, and whether the agent runs in noop mode.
 */
public record MachineListing(List<MachineStatus> machines, List<LoadFailure> failed, boolean noop) {
    public MachineListing {
        machines = List.copyOf(machines);
        failed = List.copyOf(failed);
    }

    /** A listing of an agent not in noop mode. */
    public MachineListing(List<MachineStatus> machines, List<LoadFailure> failed) {
        this(machines, failed, false);
    }
}
