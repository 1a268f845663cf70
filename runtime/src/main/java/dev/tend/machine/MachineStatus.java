package dev.tend.machine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine's state as {@code tend machine list/info} show it.
 *
 * @param startTime            when its watchers started, or {@code null} before that
 * @param availableTransitions events valid in the current state, sorted
 * @param warnings             what loading its file warned about, sorted by line (usually none)
 * @param stateSince           when it entered the current state (its load for the initial state), or {@code null}
 *                             when the agent did not say (an older agent)
 * @param data                 its data (the kv watcher's values, ...), JSON-like values by key
 * @param resume               for a machine that resumes its state, whether it resumed the saved one when it was loaded
 *                             and why not; {@code null} when nothing was saved, or it does not resume its state
 */
public record MachineStatus(String name, String version, String state, String path, String instanceId,
                            Instant startTime, List<String> availableTransitions, List<WatcherStatus> watchers,
                            List<Problem> warnings, Instant stateSince, Map<String, Object> data,
                            ResumeOutcome resume) {
    public MachineStatus {
        availableTransitions = List.copyOf(availableTransitions);
        watchers = List.copyOf(watchers);
        warnings = List.copyOf(warnings);
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** How long it has been in its current state at {@code now} (zero if {@code now} is before), or null when unknown. */
    public Duration timeInState(Instant now) {
        if (stateSince == null) {
            return null;
        }
        Duration d = Duration.between(stateSince, now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** A status of a machine that did not resume a saved state. */
    public MachineStatus(String name, String version, String state, String path, String instanceId,
                         Instant startTime, List<String> availableTransitions, List<WatcherStatus> watchers,
                         List<Problem> warnings, Instant stateSince, Map<String, Object> data) {
        this(name, version, state, path, instanceId, startTime, availableTransitions, watchers, warnings, stateSince,
                data, null);
    }

    /** A status without the state's start and data. */
    public MachineStatus(String name, String version, String state, String path, String instanceId,
                         Instant startTime, List<String> availableTransitions, List<WatcherStatus> watchers,
                         List<Problem> warnings) {
        this(name, version, state, path, instanceId, startTime, availableTransitions, watchers, warnings, null,
                Map.of());
    }

    /** A status without warnings. */
    public MachineStatus(String name, String version, String state, String path, String instanceId,
                         Instant startTime, List<String> availableTransitions, List<WatcherStatus> watchers) {
        this(name, version, state, path, instanceId, startTime, availableTransitions, watchers, List.of());
    }
}
