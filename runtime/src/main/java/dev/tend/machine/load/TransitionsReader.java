package dev.tend.machine.load;

import dev.tend.machine.Subscription;
import dev.tend.machine.TransitionDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code transitions} list. */
final class TransitionsReader {

    static final List<String> KEYS = List.of("name", "from", "destination", "description", "subscribe");
    private static final List<String> SUBSCRIBE_KEYS = List.of("machine_name", "event");

    /**
     * @param transitions the valid transitions, in file order
     * @param names       every transition name written, also of transitions with problems (so that watchers that
     *                    refer to them get no second error)
     * @param states      every state written in {@code from} and {@code destination}
     * @param usable      whether the list was there to check references against
     * @param reached     where each destination is first written (transitions from it to itself left out)
     */
    record Result(List<TransitionDefinition> transitions, Set<String> names, Set<String> states, boolean usable,
                  Map<String, DeadEnds.Place> reached) {
    }

    private final Problems problems;

    TransitionsReader(Problems problems) {
        this.problems = problems;
    }

    Result read(Fields top) {
        List<TransitionDefinition> transitions = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> states = new LinkedHashSet<>();
        Map<String, DeadEnds.Place> reached = new LinkedHashMap<>();
        if (!ListSection.check(top, "transitions", "transition", problems)) {
            return new Result(transitions, names, states, false, Map.of());
        }
        for (Map.Entry<Integer, YamlNode.Mapping> item : top.mappingList("transitions",
                "a transition with name, from and destination").entrySet()) {
            int before = problems.errorCount();
            YamlNode.Mapping map = item.getValue();
            Fields f = new Fields(map, Fields.itemWhere("transition", map, item.getKey()), "", KEYS, problems);
            String name = f.requiredText("name");
            List<String> from = from(f);
            String destination = f.requiredText("destination");
            String description = f.optionalText("description");
            List<Subscription> subscribe = subscriptions(f);
            if (name != null) {
                names.add(name);
            }
            states.addAll(from);
            if (destination != null) {
                states.add(destination);
                if (from.stream().anyMatch(state -> !state.equals(destination))) {
                    reached.putIfAbsent(destination, new DeadEnds.Place(f.line("destination"), f.where(),
                            "destination"));
                }
            }
            if (problems.errorCount() == before) {
                transitions.add(new TransitionDefinition(name, from, destination, description, subscribe));
            }
        }
        return new Result(transitions, names, states, true, reached);
    }

    private List<String> from(Fields f) {
        if (f.value("from").isEmpty()) {
            f.error("from", f.has("from") ? "from must not be empty" : "from is required");
            return List.of();
        }
        int before = problems.errorCount();
        List<Fields.Located> located = f.textList("from");
        located.stream().filter(s -> s.text().equals("*")).findFirst().ifPresent(s -> problems.warning(s.line(),
                f.where(), "from \"*\" is a state named \"*\", not every state: there is no wildcard"));
        List<String> from = located.stream().map(Fields.Located::text).toList();
        if (from.isEmpty() && problems.errorCount() == before) {
            f.error("from", "from must list at least one state");
        }
        return from;
    }

    private List<Subscription> subscriptions(Fields f) {
        List<Subscription> out = new ArrayList<>();
        for (Map.Entry<Integer, YamlNode.Mapping> item : f.mappingList("subscribe",
                "a mapping with machine_name and event").entrySet()) {
            Fields s = new Fields(item.getValue(), f.where(), "subscribe item " + (item.getKey() + 1) + ": ",
                    SUBSCRIBE_KEYS, problems);
            String machine = s.requiredText("machine_name");
            String event = s.requiredText("event");
            if (machine != null && event != null) {
                out.add(new Subscription(machine, event));
            }
        }
        return out;
    }
}
