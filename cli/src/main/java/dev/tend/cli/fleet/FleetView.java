package dev.tend.cli.fleet;

import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code tend fleet status} heard, per node and managed machine: the machine's own events give its version and
 * state (a transition's destination), its manager machine's ({@value #MANAGER_PREFIX}{@code NAME}) {@code archive}
 * watcher state events the outcome of its last check. A machine is managed when the specification lists it, or when
 * its manager machine's events are heard.
 */
final class FleetView {

    /** The prefix of the manager machines the {@code plugins} watcher writes (Choria's {@code mm}). */
    static final String MANAGER_PREFIX = "mm_";

    /** One line of the table; {@code "-"} for what was not heard. */
    record Row(String node, String machine, String version, String state, String archive, Instant seen) {
    }

    private final Set<String> listed;
    private final List<MachineEvent> heard = new ArrayList<>();
    /** node -> machine -> what was heard, sorted for the table. */
    private final Map<String, Map<String, Row>> rows = new TreeMap<>();

    FleetView(Set<String> listed) {
        this.listed = listed;
    }

    void add(MachineEvent event) {
        heard.add(event);
    }

    /** The rows by node, then machine. */
    List<Row> rows() {
        Set<String> managed = new HashSet<>(listed);
        for (MachineEvent e : heard) {
            if (e.machine().startsWith(MANAGER_PREFIX)) {
                managed.add(e.machine().substring(MANAGER_PREFIX.length()));
            }
        }
        rows.clear();
        for (MachineEvent e : heard) {
            apply(e, managed);
        }
        List<Row> all = new ArrayList<>();
        rows.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    private void apply(MachineEvent event, Set<String> managed) {
        String machine = event.machine();
        if (machine.startsWith(MANAGER_PREFIX)) {
            String name = machine.substring(MANAGER_PREFIX.length());
            Row row = row(event.identity(), name);
            String archive = row.archive();
            if (event instanceof WatcherStateEvent w && w.watcherType().equals("archive")) {
                Object outcome = w.fields().get("previous_outcome");
                archive = outcome == null ? archive : String.valueOf(outcome);
            }
            put(event.identity(), new Row(row.node(), name, row.version(), row.state(), archive,
                    later(row.seen(), event.time())));
        } else if (managed.contains(machine)) {
            Row row = row(event.identity(), machine);
            String state = event instanceof TransitionEvent t ? t.toState() : row.state();
            put(event.identity(), new Row(row.node(), machine, event.version() == null || event.version().isEmpty()
                    ? row.version() : event.version(), state, row.archive(), later(row.seen(), event.time())));
        }
    }

    private Row row(String node, String machine) {
        return rows.getOrDefault(node, Map.of()).getOrDefault(machine,
                new Row(node, machine, "-", "-", "-", Instant.EPOCH));
    }

    private void put(String node, Row row) {
        rows.computeIfAbsent(node, n -> new TreeMap<>()).put(row.machine(), row);
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
