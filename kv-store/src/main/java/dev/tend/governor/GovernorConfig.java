package dev.tend.governor;

import dev.tend.kv.InvalidConfigException;
import dev.tend.units.Durations;

import java.time.Duration;
import java.util.Objects;

/**
 * A governor's settings.
 *
 * @param capacity how many holders may hold a slot at once, 1 to {@link #MAX_CAPACITY}
 * @param expire   the maximum hold time: a claim older than this may be taken over; at least {@link #MIN_EXPIRE}
 */
public record GovernorConfig(int capacity, Duration expire) {

    public static final int MAX_CAPACITY = 10_000;
    public static final Duration MIN_EXPIRE = Duration.ofSeconds(1);

    public GovernorConfig {
        Objects.requireNonNull(expire, "expire");
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new InvalidConfigException("a governor's capacity must be from 1 to " + MAX_CAPACITY + ", not "
                    + capacity);
        }
        if (expire.compareTo(MIN_EXPIRE) < 0) {
            throw new InvalidConfigException("a governor's hold time (expire) must be at least "
                    + Durations.format(MIN_EXPIRE) + ", not " + Durations.format(expire));
        }
    }
}
