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
}
