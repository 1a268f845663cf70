package dev.tend.watchers.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When one item of {@code schedules} opens its windows. */
interface Schedule {

    /** Openings looked at by {@link #openAt} at most: a frequent schedule with a long duration stops there. */
    int MAX_OPEN_LOOKUP = 10_000;

    /** The first opening strictly after {@code after}, or empty when there is none (a date that never comes). */
    Optional<Instant> nextAfter(Instant after);

    /**
     * The latest opening whose window of {@code duration} is open at {@code now} (in {@code (now - duration, now]}), or
     * empty when none is: what {@code start_in_window} opens at the watcher's start.
     */
    default Optional<Instant> openAt(Instant now, Duration duration) {
        Instant latest = null;
        Optional<Instant> t = nextAfter(now.minus(duration));
        for (int i = 0; i < MAX_OPEN_LOOKUP && t.isPresent() && !t.get().isAfter(now); i++) {
            latest = t.get();
            t = nextAfter(latest);
        }
        return Optional.ofNullable(latest);
    }
}
