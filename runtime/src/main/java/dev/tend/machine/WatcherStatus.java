package dev.tend.machine;

import dev.tend.machine.spi.WatcherNext;
import dev.tend.machine.spi.WatcherRun;

import java.time.Duration;
import java.time.Instant;
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
 */
public record WatcherStatus(String name, String type, boolean active, Map<String, Object> state, WatcherRun lastRun,
                            WatcherNext next) {
    public WatcherStatus {
        state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    /** A status without a run or what comes next. */
    public WatcherStatus(String name, String type, boolean active, Map<String, Object> state) {
        this(name, type, active, state, null, null);
    }

    /** How long from {@code now} until {@link #next} (zero when overdue), or null when nothing is next. */
    public Duration nextIn(Instant now) {
        if (next == null) {
            return null;
        }
        Duration d = Duration.between(now, next.at());
        return d.isNegative() ? Duration.ZERO : d;
    }
}
