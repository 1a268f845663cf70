package dev.tend.watchers.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** {@code @every DURATION}: a window every period, counted from the watcher's start (not aligned to the clock). */
record EverySchedule(Duration period) implements Schedule {

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        return Optional.of(after.plus(period));
    }

    /** Its windows are counted from the watcher's start: none was open before it. */
    @Override
    public Optional<Instant> openAt(Instant now, Duration duration) {
        return Optional.empty();
    }
}
