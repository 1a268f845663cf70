package dev.tend.machine.load;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.spi.WatcherDefinition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a machine definition from a machine.yaml tree, reporting every problem found. */
final class MachineReader {

    static final List<String> KEYS = List.of("name", "version", "initial_state", "splay_start", "transitions",
            "watchers");
    /** The name names a directory in the state directory, so it is stricter than the reference (non-empty). */
    static final String NAME_PATTERN = "^[a-zA-Z][a-zA-Z0-9_-]*$";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    /** SemVer 2.0.0 (semver.org). */
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(-((0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(\\.(0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(\\+([0-9a-zA-Z-]+(\\.[0-9a-zA-Z-]+)*))?");

    private final WatcherRegistry registry;
    private final Problems problems;

    MachineReader(WatcherRegistry registry, Problems problems) {
        this.registry = registry;
        this.problems = problems;
    }

    /** The definition, or {@code null} when there were errors (all reported). */
    MachineDefinition read(YamlNode root, Path directory, String sha256) {
        if (!(root instanceof YamlNode.Mapping map)) {
            problems.error(root.line(), "", "a machine file must be a mapping of name, version, initial_state, "
                    + "transitions and watchers, not " + root.describe());
            return null;
        }
        Fields top = new Fields(map, "", "", KEYS, List.of(TendBlock.KEY), problems);
        String name = top.requiredText("name");
        if (name != null && !NAME.matcher(name).matches()) {
            top.error("name", "name " + MessageText.quote(name) + " is not valid: use letters, digits, _ and -, "
                    + "starting with a letter");
        }
        String version = top.requiredText("version");
        if (version != null && !SEMVER.matcher(version).matches()) {
            problems.warning(top.line("version"), "", "version " + MessageText.quote(version)
                    + " is not a SemVer version such as 1.0.0");
        }
        String initialState = top.requiredText("initial_state");
        Duration splay = splayStart(top);
        boolean resumeState = TendBlock.resumeState(top, problems);
        TransitionsReader.Result transitions = new TransitionsReader(problems).read(top);
        Set<String> states = new LinkedHashSet<>(transitions.states());
        if (initialState != null) {
            states.add(initialState);
        }
        List<WatcherDefinition> watchers = new WatchersReader(registry, problems)
                .read(top, states, transitions.names(), transitions.usable());
        if (problems.hasErrors()) {
            return null;
        }
        Map<String, DeadEnds.Place> reached = new LinkedHashMap<>();
        reached.put(initialState, new DeadEnds.Place(top.line("initial_state"), "", "initial state"));
        transitions.reached().forEach(reached::putIfAbsent);
        DeadEnds.check(reached, transitions.transitions(), watchers, problems);
        return new MachineDefinition(name, version, initialState, splay, transitions.transitions(), watchers,
                directory, sha256, List.of(), resumeState);
    }

    private Duration splayStart(Fields top) {
        Optional<YamlNode> value = top.value("splay_start");
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            long seconds = LooseValues.integer(value.get());
            if (seconds < 0) {
                top.error("splay_start", "splay_start must not be negative");
                return Duration.ZERO;
            }
            return Duration.ofSeconds(seconds);
        } catch (ValueException e) {
            top.error("splay_start", "splay_start must be a whole number of seconds, not " + value.get().describe());
            return Duration.ZERO;
        }
    }
}
