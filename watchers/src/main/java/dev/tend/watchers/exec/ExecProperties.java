package dev.tend.watchers.exec;

import dev.tend.machine.spi.WatcherProperties;

import java.time.Duration;
import java.util.List;

/**
 * An exec watcher's decoded properties.
 *
 * @param command                 the command template, unrendered (it is also the state event's {@code command})
 * @param timeout                 how long a run may take before its process tree is killed
 * @param environment             {@code VAR=value} templates, applied last
 * @param inheritEnvironment      names of the agent's variables the command also gets
 * @param parseAsData             stdout is a JSON object whose keys go into machine data
 * @param suppressSuccessAnnounce no state event after a successful run
 * @param gatherInitialState      the first interval run comes after a random 0-30 s instead of a full interval
 * @param disown                  the command is neither timed out, killed on stop nor captured
 * @param governor                the governor template whose slot a run waits for; empty: none
 * @param governorTimeout         how long a run waits for the governor's slot
 */
record ExecProperties(String command, Duration timeout, List<String> environment, List<String> inheritEnvironment,
                      boolean parseAsData, boolean suppressSuccessAnnounce, boolean gatherInitialState,
                      boolean disown, String governor, Duration governorTimeout) {

    static final String COMMAND = "command";
    static final String TIMEOUT = "timeout";
    static final String ENVIRONMENT = "environment";
    static final String INHERIT_ENVIRONMENT = "inherit_environment";
    static final String PARSE_AS_DATA = "parse_as_data";
    static final String SUPPRESS_SUCCESS_ANNOUNCE = "suppress_success_announce";
    static final String GATHER_INITIAL_STATE = "gather_initial_state";
    static final String DISOWN = "disown";
    static final String GOVERNOR = "governor";
    static final String GOVERNOR_TIMEOUT = "governor_timeout";

    /** The reference's documented default (its code says 1s); also what {@code timeout: 0} means. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The reference's wait for a governor's slot when {@code governor_timeout} is unset (or 0). */
    static final Duration DEFAULT_GOVERNOR_TIMEOUT = Duration.ofMinutes(5);

    ExecProperties {
        environment = List.copyOf(environment);
        inheritEnvironment = List.copyOf(inheritEnvironment);
        governor = governor == null ? "" : governor;
    }

    /** Without a governor. */
    ExecProperties(String command, Duration timeout, List<String> environment, List<String> inheritEnvironment,
                   boolean parseAsData, boolean suppressSuccessAnnounce, boolean gatherInitialState, boolean disown) {
        this(command, timeout, environment, inheritEnvironment, parseAsData, suppressSuccessAnnounce,
                gatherInitialState, disown, "", DEFAULT_GOVERNOR_TIMEOUT);
    }

    boolean hasGovernor() {
        return !governor.isBlank();
    }

    static ExecProperties of(WatcherProperties p) {
        Duration timeout = p.duration(TIMEOUT);
        Duration governorTimeout = p.duration(GOVERNOR_TIMEOUT);
        return new ExecProperties(p.string(COMMAND), timeout.isZero() ? DEFAULT_TIMEOUT : timeout,
                p.stringList(ENVIRONMENT), p.stringList(INHERIT_ENVIRONMENT), p.bool(PARSE_AS_DATA),
                p.bool(SUPPRESS_SUCCESS_ANNOUNCE), p.bool(GATHER_INITIAL_STATE), p.bool(DISOWN), p.string(GOVERNOR),
                governorTimeout.isZero() || governorTimeout.isNegative() ? DEFAULT_GOVERNOR_TIMEOUT : governorTimeout);
    }
}
