package dev.tend.machine;

import dev.tend.machine.spi.WatcherDefinition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One machine as loaded and validated from its {@code machine.yaml}: everything the engine needs, nothing it must check again.
 *
 * @param name         the machine's name, unique within an agent
 * @param version      the machine's version as written (a non-SemVer version is only a warning)
 * @param initialState the state the machine starts in (also after an agent restart, unless it resumes its saved state)
 * @param splayStart   the upper bound of the random delay before the watchers start ({@link Duration#ZERO} for none)
 * @param transitions  the transitions in file order; the same name may appear more than once (entries merge)
 * @param watchers     the watchers in file order, names unique
 * @param directory    the machine's directory, absolute
 * @param sha256       hex SHA-256 of the {@code machine.yaml} bytes, to notice a changed file
 * @param warnings     what the loader warned about (unknown keys, ...), sorted by line; shown by {@code machine info}
 * @param resumeState  the file's Tend block asks to resume the last saved state after a restart or a reload of the
 *                     same file ({@code tend: {resume_state: true}}; docs/machines.md, "Resuming the last state")
 */
public record MachineDefinition(String name, String version, String initialState, Duration splayStart,
                                List<TransitionDefinition> transitions, List<WatcherDefinition> watchers,
                                Path directory, String sha256, List<Problem> warnings, boolean resumeState) {

    public MachineDefinition {
        transitions = List.copyOf(transitions);
        watchers = List.copyOf(watchers);
        warnings = List.copyOf(warnings);
    }

    /** A definition that does not ask to resume its state. */
    public MachineDefinition(String name, String version, String initialState, Duration splayStart,
                             List<TransitionDefinition> transitions, List<WatcherDefinition> watchers,
                             Path directory, String sha256, List<Problem> warnings) {
        this(name, version, initialState, splayStart, transitions, watchers, directory, sha256, warnings, false);
    }

    /** A definition without warnings. */
    public MachineDefinition(String name, String version, String initialState, Duration splayStart,
                             List<TransitionDefinition> transitions, List<WatcherDefinition> watchers,
                             Path directory, String sha256) {
        this(name, version, initialState, splayStart, transitions, watchers, directory, sha256, List.of());
    }

    /** This definition with {@code warnings} instead of its own. */
    public MachineDefinition withWarnings(List<Problem> warnings) {
        return new MachineDefinition(name, version, initialState, splayStart, transitions, watchers, directory, sha256,
                warnings, resumeState);
    }

    /** Known states: the initial state, every {@code from} and every {@code destination}, sorted. */
    public SortedSet<String> states() {
        SortedSet<String> states = new TreeSet<>();
        states.add(initialState);
        for (TransitionDefinition t : transitions) {
            states.addAll(t.from());
            states.add(t.destination());
        }
        return states;
    }

    /** Every transition name, sorted. */
    public SortedSet<String> transitionNames() {
        SortedSet<String> names = new TreeSet<>();
        transitions.forEach(t -> names.add(t.name()));
        return names;
    }

    /**
     * Where each event leads from each state: {@code event -> (from-state -> destination)}, sorted. Later entries for the
     * same (event, from) pair win, as in the reference's FSM library.
     */
    public Map<String, Map<String, String>> transitionTable() {
        Map<String, Map<String, String>> table = new TreeMap<>();
        for (TransitionDefinition t : transitions) {
            Map<String, String> byFrom = table.computeIfAbsent(t.name(), k -> new TreeMap<>());
            t.from().forEach(from -> byFrom.put(from, t.destination()));
        }
        return table;
    }

    /** The watcher named {@code name}, if any. */
    public Optional<WatcherDefinition> watcher(String name) {
        return watchers.stream().filter(w -> w.name().equals(name)).findFirst();
    }
}
