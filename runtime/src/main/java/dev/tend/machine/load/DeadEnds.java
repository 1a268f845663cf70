package dev.tend.machine.load;

import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.spi.WatcherDefinition;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Warns about states a machine reaches but can never leave and where nothing runs: no transition leads out of them
 * (a transition back to the same state changes nothing) and no watcher is active in them. Nothing can move a machine
 * out of such a state, not even an operator, and nothing happens there; it is usually a misspelt {@code destination}.
 * A final state on purpose is one too, so the message is a hint. A watcher without {@code state_match} is active in
 * every state, so a machine with one has none. {@code from: ["*"]} is a state named {@code *}, not a wildcard.
 */
final class DeadEnds {

    /** Where a state is reached: a transition's {@code destination}, or {@code initial_state}. */
    record Place(int line, String where, String what) {
    }

    /** How many of a machine's states with no way out get a "did you mean". */
    static final int MAX_SUGGESTED = 20;

    private DeadEnds() {
    }

    /**
     * @param reached where each state is first reached, in file order: {@code initial_state} first, then transitions'
     *                destinations (transitions from the state itself left out)
     */
    static void check(Map<String, Place> reached, List<TransitionDefinition> transitions,
                      List<WatcherDefinition> watchers, Problems problems) {
        Set<String> watched = new HashSet<>();
        for (WatcherDefinition w : watchers) {
            if (w.stateMatch().isEmpty()) {
                return;
            }
            watched.addAll(w.stateMatch());
        }
        Set<String> fine = new TreeSet<>(leaving(transitions));
        fine.addAll(watched);
        int suggested = 0;
        for (Map.Entry<String, Place> e : reached.entrySet()) {
            String state = e.getKey();
            if (fine.contains(state)) {
                continue;
            }
            // A suggestion compares the name with every other state: for the first few only, so that a generated
            // machine with thousands of final states still loads in linear time.
            Optional<String> closest = suggested++ < MAX_SUGGESTED ? Suggestions.closest(state, fine) : Optional.empty();
            Place p = e.getValue();
            problems.warning(p.line(), p.where(), p.what() + " " + MessageText.quote(state) + " has no way out: no "
                    + "transition leaves it and no watcher runs in it, so the machine stays there"
                    + closest.map(Suggestions::hint).orElse(" (fine for a final state)"));
        }
    }

    /** The states some event leads out of, after later transitions override earlier ones as in the machine. */
    private static Set<String> leaving(List<TransitionDefinition> transitions) {
        Map<String, Map<String, String>> table = new HashMap<>();
        for (TransitionDefinition t : transitions) {
            Map<String, String> byFrom = table.computeIfAbsent(t.name(), k -> new LinkedHashMap<>());
            t.from().forEach(from -> byFrom.put(from, t.destination()));
        }
        Set<String> out = new HashSet<>();
        table.values().forEach(byFrom -> byFrom.forEach((from, to) -> {
            if (!from.equals(to)) {
                out.add(from);
            }
        }));
        return out;
    }
}
