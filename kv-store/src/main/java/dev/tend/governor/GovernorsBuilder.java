package dev.tend.governor;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Options for {@link Governors}: everything but the store has a default. */
public final class GovernorsBuilder {

    /** How often a wait tries again when no change of the governor woke it. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    private final KvStore store;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

    GovernorsBuilder(KvStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * The clock that ages claims and ends waits. A claim's time is the store's ({@code Entry.created}), so a test
     * that moves this clock gives the embedded store the same one.
     */
    public GovernorsBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** What a wait between two tries does; default {@link Sleeper#system()}. */
    public GovernorsBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /** The longest wait between two tries when no change of the governor wakes it; default 2s. */
    public GovernorsBuilder pollInterval(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new InvalidInputException("the poll interval must be positive, not " + interval);
        }
        this.pollInterval = interval;
        return this;
    }

    public Governors build() {
        return new KvGovernors(store, clock, sleeper, pollInterval);
    }
}
