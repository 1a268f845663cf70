package dev.tend.machine.spi;

import java.time.Duration;
import java.util.List;

/**
 * One {@code watchers} item, validated, with its properties decoded by its type's declared property specs.
 *
 * @param name                 unique within the machine
 * @param type                 the registered watcher type ({@code exec}, {@code kv}, ...)
 * @param stateMatch           states in which the watcher is active; empty means every state
 * @param foreignStateRequired states other machines must be in as well (all of them)
 * @param failTransition       fired on the failure outcome; empty for none
 * @param successTransition    fired on the success outcome; empty for none
 * @param interval             the common {@code interval}; {@link Duration#ZERO} when not set (each type has its default)
 * @param announceInterval     period of state announcements; {@link Duration#ZERO} for none (else at least a minute)
 * @param properties           the type's properties, decoded
 * @param line                 the line of the item in {@code machine.yaml}, for messages
 */
public record WatcherDefinition(String name, String type, List<String> stateMatch, List<ForeignState> foreignStateRequired,
                                String failTransition, String successTransition, Duration interval,
                                Duration announceInterval, WatcherProperties properties, int line) {
    public WatcherDefinition {
        stateMatch = stateMatch == null ? List.of() : List.copyOf(stateMatch);
        foreignStateRequired = foreignStateRequired == null ? List.of() : List.copyOf(foreignStateRequired);
        failTransition = failTransition == null ? "" : failTransition;
        successTransition = successTransition == null ? "" : successTransition;
        interval = interval == null ? Duration.ZERO : interval;
        announceInterval = announceInterval == null ? Duration.ZERO : announceInterval;
        properties = properties == null ? WatcherProperties.EMPTY : properties;
    }
}
