package dev.tend.machine.control;

import dev.tend.machine.LoadFailure;
import dev.tend.machine.Machine;
import dev.tend.machine.event.EventSink;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The machines a process runs, as the control socket serves them: {@code Agent} and {@code MachineGroup} (which
 * {@code tend machine run} uses) implement it.
 */
public interface RunningMachines {

    /** The node identity. */
    String identity();

    /** Every loaded machine, sorted by name. */
    List<Machine> machines();

    Optional<Machine> machine(String name);

    /** Whether the machines run in noop mode ({@code tend agent --noop}). Default: false. */
    default boolean noop() {
        return false;
    }

    /** The clock of the machines' times (the time in a state). Default: the system's. */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /** The machine directories whose machine does not load, sorted by name. Default: none. */
    default List<LoadFailure> failures() {
        return List.of();
    }

    /**
     * Sends every event of every machine to {@code listener} (on the publishing thread: it must not block) until the
     * returned handle is closed.
     */
    AutoCloseable subscribe(EventSink listener);
}
