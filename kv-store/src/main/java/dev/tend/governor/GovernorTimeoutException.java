package dev.tend.governor;

import dev.tend.kv.ConflictException;
import dev.tend.units.Durations;

import java.time.Duration;

/** No slot of a governor came free within the time a caller was willing to wait. */
public class GovernorTimeoutException extends ConflictException {

    private final String governor;
    private final Duration waited;

    public GovernorTimeoutException(String governor, Duration waited) {
        super("no slot in governor " + governor + " came free within " + Durations.format(waited));
        this.governor = governor;
        this.waited = waited;
    }

    public String governor() {
        return governor;
    }

    public Duration waited() {
        return waited;
    }
}
