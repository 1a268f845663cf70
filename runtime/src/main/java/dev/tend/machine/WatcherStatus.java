package dev.tend.machine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One watcher in a {@link MachineStatus}: whether it is active now and its own state fields. */
public record WatcherStatus(String name, String type, boolean active, Map<String, Object> state) {
    public WatcherStatus {
        state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }
}
