package dev.tend.machine;

import dev.tend.machine.spi.WatcherRun;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One watcher in a {@link MachineStatus}: whether it is active now, its own state fields, and its latest run.
 *
 * @param lastRun what the watcher reported of its latest run ({@link dev.tend.machine.spi.WatcherContext#recordRun}),
 *                or {@code null} when it has not run (or does not run anything)
 */
public record WatcherStatus(String name, String type, boolean active, Map<String, Object> state, WatcherRun lastRun) {
    public WatcherStatus {
        state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    /** A status without a run. */
    public WatcherStatus(String name, String type, boolean active, Map<String, Object> state) {
        this(name, type, active, state, null);
    }
}
