package dev.tend.cli.machine;

import dev.tend.machine.MachineDefinition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A machine's states and transitions drawn as Graphviz DOT (as the reference's {@code machine graph}) or Mermaid. */
final class StateGraph {

    /** One arrow: {@code event} leads from {@code from} to {@code to}. */
    record Edge(String from, String event, String to) {
    }

    private static final Pattern MERMAID_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Set<String> MERMAID_WORDS = Set.of("state", "note", "end", "class", "classDef", "direction",
            "as", "click", "style", "fork", "join", "choice");

    private StateGraph() {
    }

    /** One edge per (source, event), sorted by source then event; a later entry for the same pair wins. */
    static List<Edge> edges(MachineDefinition machine) {
        List<Edge> edges = new ArrayList<>();
        machine.transitionTable().forEach((event, byFrom) ->
                byFrom.forEach((from, to) -> edges.add(new Edge(from, event, to))));
        edges.sort(Comparator.comparing(Edge::from).thenComparing(Edge::event));
        return edges;
    }

    /**
     * {@code digraph fsm {}, one {@code "src" -> "dst" [ label = "event" ];} per edge, a blank line, every state
     * sorted ({@code marked} as {@code "s" [color = "red"];}), {@code }}.
     */
    static String dot(MachineDefinition machine, String marked) {
        StringBuilder b = new StringBuilder("digraph fsm {\n");
        for (Edge e : edges(machine)) {
            b.append("    ").append(dotId(e.from())).append(" -> ").append(dotId(e.to()))
                    .append(" [ label = ").append(dotId(e.event())).append(" ];\n");
        }
        b.append('\n');
        for (String state : machine.states()) {
            b.append("    ").append(dotId(state)).append(state.equals(marked) ? " [color = \"red\"];\n" : ";\n");
        }
        return b.append("}\n").toString();
    }

    /**
     * {@code stateDiagram-v2}, {@code [*] --> initial}, one {@code src --> dst: event} per edge, and the marked state
     * in the class {@code current}.
     */
    static String mermaid(MachineDefinition machine, String marked) {
        Map<String, String> ids = new HashMap<>();
        StringBuilder b = new StringBuilder("stateDiagram-v2\n");
        int n = 0;
        for (String state : machine.states()) {
            if (MERMAID_ID.matcher(state).matches() && !MERMAID_WORDS.contains(state)) {
                ids.put(state, state);
            } else {
                String id = "s" + (++n);
                ids.put(state, id);
                b.append("    state \"").append(oneLine(state).replace("\"", "#quot;")).append("\" as ").append(id)
                        .append('\n');
            }
        }
        b.append("    [*] --> ").append(ids.get(machine.initialState())).append('\n');
        for (Edge e : edges(machine)) {
            b.append("    ").append(ids.get(e.from())).append(" --> ").append(ids.get(e.to())).append(": ")
                    .append(oneLine(e.event())).append('\n');
        }
        b.append("    classDef current fill:#f96,stroke:#c00,stroke-width:2px\n");
        b.append("    class ").append(ids.get(marked)).append(" current\n");
        return b.toString();
    }

    private static String dotId(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
