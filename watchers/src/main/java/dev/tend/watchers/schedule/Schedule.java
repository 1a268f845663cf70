package dev.tend.watchers.schedule;

import java.time.Instant;
import java.util.Optional;

/** When one item of {@code schedules} opens its windows. */
interface Schedule {

    /** The first opening strictly after {@code after}, or empty when there is none (a date that never comes). */
    Optional<Instant> nextAfter(Instant after);
}
