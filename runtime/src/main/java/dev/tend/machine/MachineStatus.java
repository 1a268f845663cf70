package dev.tend.machine;

import java.time.Instant;
import java.util.List;

/**
 * A machine's state as {@code tend machine list/info} show it.
 *
 * @param startTime            when its watchers started, or {@code null} before that
 * @param availableTransitions events valid in the current state, sorted
 * @param warnings             what loading its file warned about, sorted by line (usually none)
 */
public record MachineStatus(String name, String version, String state, String path, String instanceId,
                            Instant startTime, List<String> availableTransitions, List<WatcherStatus> watchers,
                            List<Problem> warnings) {
    public MachineStatus {
        availableTransitions = List.copyOf(availableTransitions);
        watchers = List.copyOf(watchers);
        warnings = List.copyOf(warnings);
    }

    /** A status without warnings. */
    public MachineStatus(String name, String version, String state, String path, String instanceId,
                         Instant startTime, List<String> availableTransitions, List<WatcherStatus> watchers) {
        this(name, version, state, path, instanceId, startTime, availableTransitions, watchers, List.of());
    }
}
