package dev.tend.machine;

import java.util.List;

/**
 * One {@code transitions} item.
 *
 * @param name        the event name watchers and operators fire
 * @param from        the states in which the event is valid (literal names; there is no wildcard)
 * @param destination the state the event leads to
 * @param description free text, empty when absent
 * @param subscribe   other machines' events on the same node that fire this transition too
 */
public record TransitionDefinition(String name, List<String> from, String destination, String description,
                                   List<Subscription> subscribe) {
    public TransitionDefinition {
        from = List.copyOf(from);
        description = description == null ? "" : description;
        subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
    }
}
