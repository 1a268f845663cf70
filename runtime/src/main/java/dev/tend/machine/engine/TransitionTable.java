package dev.tend.machine.engine;

import dev.tend.machine.MachineDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where each event leads from each state; later definitions of the same (event, from) pair win. Immutable. */
final class TransitionTable {

    /** event -> (from -> destination), events sorted. */
    private final Map<String, Map<String, String>> byEvent;

    TransitionTable(MachineDefinition definition) {
        this.byEvent = definition.transitionTable();
    }

    /** The state {@code event} leads to from {@code state}, or empty when the event is not valid there. */
    Optional<String> destination(String event, String state) {
        Map<String, String> byFrom = byEvent.get(event);
        return byFrom == null ? Optional.empty() : Optional.ofNullable(byFrom.get(state));
    }

    /** Events valid in {@code state}, sorted. */
    List<String> validEvents(String state) {
        List<String> valid = new ArrayList<>();
        byEvent.forEach((event, byFrom) -> {
            if (byFrom.containsKey(state)) {
                valid.add(event);
            }
        });
        return List.copyOf(valid);
    }

    /** The operator's error for an event that is not valid in {@code state}. */
    String invalidMessage(String machine, String event, String state) {
        List<String> valid = validEvents(state);
        String tail = valid.isEmpty()
                ? "(no events are valid in state \"" + state + "\")"
                : "(valid: " + String.join(", ", valid) + ")";
        return "transition \"" + event + "\" is not valid in state \"" + state + "\" of machine \"" + machine + "\" "
                + tail;
    }
}
