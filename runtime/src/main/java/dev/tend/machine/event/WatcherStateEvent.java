package dev.tend.machine.event;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A watcher's state, published when it changes (per type) or announced periodically. */
public record WatcherStateEvent(String identity, String machine, String instanceId, String version, Instant time,
                                String watcherType, String watcherName, Map<String, Object> fields)
        implements MachineEvent {

    public WatcherStateEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String type() {
        return "dev.tend.machine.watcher." + watcherType + ".v1.state";
    }

    /**
     * The one-line form the log and {@code tend machine events} show; numbers as in the event's JSON, but the
     * nanoseconds of {@link DurationFields} as Go durations ({@code previous_run_time=1.5s}).
     */
    @Override
    public String toString() {
        return identity + " " + machine + " " + watcherType + " watcher " + watcherName + " "
                + OneLineValues.format(DurationFields.readable(fields));
    }
}
