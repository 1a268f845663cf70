package dev.tend.governor;

import dev.tend.kv.KvStore;

import java.time.Duration;
import java.util.List;

/**
 * The governors of one store: the entry point of this package. Make one with {@link #builder(KvStore)}; it uses the
 * store but does not own it (closing the store is the caller's job).
 */
public interface Governors {

    /**
     * Checks a governor's name: A-Z, a-z, 0-9, '-' and '_', at most 243 characters (its bucket's name is
     * {@code GOVERNOR_<name>}).
     *
     * @throws dev.tend.kv.InvalidNameException when it is not valid
     */
    static String checkName(String name) {
        return GovernorKeys.checkName(name);
    }

    /** The one entry point for options: the store, then a clock, a sleeper and a poll interval if wanted. */
    static GovernorsBuilder builder(KvStore store) {
        return new GovernorsBuilder(store);
    }

    /**
     * Creates a governor, or changes an existing one's capacity and hold time (its claims stay; a claim on a slot
     * above a lowered capacity is shown until it is released, and that slot is not claimed again).
     *
     * @param replicas copies the backend keeps of its bucket (NATS); used only when the governor is created
     * @throws dev.tend.kv.InvalidInputException when the name, capacity or hold time is invalid
     */
    Governor add(String name, GovernorConfig config, int replicas);

    /**
     * An existing governor.
     *
     * @throws UnknownGovernorException when there is none of that name
     */
    Governor governor(String name);

    /** True when the governor exists. */
    boolean exists(String name);

    /** The names of every governor, sorted. */
    List<String> names();

    /**
     * Removes a governor with its claims; its holders' leases then release nothing.
     *
     * @throws UnknownGovernorException when there is none of that name
     */
    void delete(String name);

    /** The poll interval of waits when nothing wakes them, for information. */
    Duration pollInterval();
}
