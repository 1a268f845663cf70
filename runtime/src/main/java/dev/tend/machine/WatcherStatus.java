package dev.tend.machine;

import dev.tend.machine.spi.WatcherNext;
import dev.tend.machine.spi.WatcherRun;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One watcher in a {@link MachineStatus}: whether it is active now, its own state fields, its latest run and what it
 * does next.
 *
 * @param lastRun what the watcher reported of its latest run ({@link dev.tend.machine.spi.WatcherContext#recordRun}),
 *                or {@code null} when it has not run (or does not run anything)
 * @param next    what it reported it does next ({@link dev.tend.machine.spi.WatcherContext#recordNext}), or
 *                {@code null}
 * @param nextIn  how long until {@code next} when the status was made (zero when overdue), or {@code null} with it
 */
public record WatcherStatus(String name, String type, boolean active, Map<String, Object> state, WatcherRun lastRun,
                            WatcherNext next, Duration nextIn) {
    public WatcherStatus {
        state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    /** A status without a run or what comes next. */
    public WatcherStatus(String name, String type, boolean active, Map<String, Object> state) {
        this(name, type, active, state, null, null, null);
    }
}
