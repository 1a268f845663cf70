package dev.tend.machine.load;

import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.spi.ForeignState;
import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads the {@code watchers} list: the common fields, then each watcher's properties by its type. */
final class WatchersReader {

    static final List<String> KEYS = List.of("name", "type", "state_match", "foreign_state_required",
            "fail_transition", "success_transition", "interval", "announce_interval", "properties");
    /** Choria's watcher types that Tend does not have: a clear message instead of "unknown type". */
    static final Set<String> REFERENCE_ONLY_TYPES = Set.of("gossip", "httpswitch", "ccm_manifest", "homekit");
    private static final List<String> FOREIGN_KEYS = List.of("machine_name", "state");
    private static final Duration MIN_ANNOUNCE = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(WatchersReader.class);

    private final WatcherRegistry registry;
    private final Problems problems;

    WatchersReader(WatcherRegistry registry, Problems problems) {
        this.registry = registry;
        this.problems = problems;
    }

    /**
     * @param states      known states, to check {@code state_match}
     * @param transitions known transition names, to check {@code success_transition}/{@code fail_transition}
     * @param checkRefs   false when the transitions could not be read, so that references are not all reported
     */
    List<WatcherDefinition> read(Fields top, Set<String> states, Set<String> transitions, boolean checkRefs) {
        List<WatcherDefinition> watchers = new ArrayList<>();
        if (!ListSection.check(top, "watchers", "watcher", problems)) {
            return watchers;
        }
        Map<String, Integer> names = new HashMap<>();
        for (Map.Entry<Integer, YamlNode.Mapping> item : top.mappingList("watchers",
                "a watcher with name and type").entrySet()) {
            YamlNode.Mapping map = item.getValue();
            int before = problems.errorCount();
            Fields f = new Fields(map, Fields.itemWhere("watcher", map, item.getKey()), "", KEYS, problems);
            String name = f.requiredText("name");
            if (name != null) {
                Integer first = names.putIfAbsent(name, f.line("name"));
                if (first != null) {
                    f.error("name", "another watcher has this name (line " + first + ")");
                }
            }
            Optional<WatcherFactory> factory = factory(f);
            List<String> stateMatch = stateMatch(f, states, checkRefs);
            List<ForeignState> foreign = foreignStates(f);
            String fail = transition(f, "fail_transition", transitions, checkRefs);
            String success = transition(f, "success_transition", transitions, checkRefs);
            Duration interval = duration(f, "interval");
            Duration announce = duration(f, "announce_interval");
            if (announce.compareTo(Duration.ZERO) > 0 && announce.compareTo(MIN_ANNOUNCE) < 0) {
                f.error("announce_interval", "announce_interval " + MessageText.quote(f.optionalText("announce_interval"))
                        + " is too short; the minimum is 1m");
            }
            if (factory.isEmpty() || name == null) {
                continue;
            }
            Optional<WatcherProperties> properties = new PropertyDecoder(factory.get().properties(),
                    factory.get().type(), f.where(), problems)
                    .decode(map.entry("properties").map(YamlNode.Entry::value).orElse(null), f.line());
            if (properties.isEmpty()) {
                continue;
            }
            WatcherDefinition definition = new WatcherDefinition(name, factory.get().type(), stateMatch, foreign, fail,
                    success, interval, announce, properties.get(), f.line());
            typeChecks(factory.get(), definition, f);
            if (problems.errorCount() == before) {
                watchers.add(definition);
            }
        }
        return watchers;
    }

    private Optional<WatcherFactory> factory(Fields f) {
        String type = f.requiredText("type");
        if (type == null) {
            return Optional.empty();
        }
        Optional<WatcherFactory> factory = registry.factory(type);
        if (factory.isPresent()) {
            return factory;
        }
        if (REFERENCE_ONLY_TYPES.contains(type)) {
            f.error("type", "type " + MessageText.quote(type) + " is not supported by Tend");
        } else if (registry.types().isEmpty()) {
            f.error("type", "unknown type " + MessageText.quote(type) + ": no watcher types are installed");
        } else {
            f.error("type", "unknown type " + MessageText.quote(type) + Suggestions.didYouMean(type, registry.types())
                    + "; known types: " + MessageText.list(registry.types()));
        }
        return Optional.empty();
    }

    private List<String> stateMatch(Fields f, Set<String> states, boolean checkRefs) {
        List<String> out = new ArrayList<>();
        for (Fields.Located state : f.textList("state_match")) {
            if (checkRefs && !states.contains(state.text())) {
                problems.error(state.line(), f.where(), "unknown state " + MessageText.quote(state.text())
                        + " in state_match" + Suggestions.closest(state.text(), states)
                        .map(Suggestions::hint)
                        .orElse("; known states: " + MessageText.list(new TreeSet<>(states))));
            }
            out.add(state.text());
        }
        return out;
    }

    private List<ForeignState> foreignStates(Fields f) {
        List<ForeignState> out = new ArrayList<>();
        for (Map.Entry<Integer, YamlNode.Mapping> item : f.mappingList("foreign_state_required",
                "a mapping with machine_name and state").entrySet()) {
            Fields s = new Fields(item.getValue(), f.where(), "foreign_state_required item " + (item.getKey() + 1)
                    + ": ", FOREIGN_KEYS, problems);
            String machine = s.requiredText("machine_name");
            String state = s.requiredText("state");
            if (machine != null && state != null) {
                out.add(new ForeignState(machine, state));
            }
        }
        return out;
    }

    private String transition(Fields f, String key, Set<String> transitions, boolean checkRefs) {
        String name = f.optionalText(key);
        if (name == null || name.isEmpty()) {
            return "";
        }
        if (checkRefs && !transitions.contains(name)) {
            f.error(key, "unknown transition " + MessageText.quote(name) + Suggestions.closest(name, transitions)
                    .map(Suggestions::hint)
                    .orElse("; known transitions: " + MessageText.list(new TreeSet<>(transitions))));
        }
        return name;
    }

    private Duration duration(Fields f, String key) {
        String text = f.optionalText(key);
        if (text == null) {
            return Duration.ZERO;
        }
        try {
            return MachineDurations.extended(text);
        } catch (ValueException e) {
            f.error(key, key + ": " + e.getMessage());
            return Duration.ZERO;
        }
    }

    /** The type's own checks; a plugin that throws is reported, not allowed to break loading. */
    private void typeChecks(WatcherFactory factory, WatcherDefinition definition, Fields f) {
        try {
            factory.validate(definition, new ProblemReporter() {
                @Override
                public void report(String property, String message) {
                    problems.error(line(definition, property, f), where(property, f), message);
                }

                @Override
                public void warn(String property, String message) {
                    problems.warning(line(definition, property, f), where(property, f), message);
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("the {} watcher's checks of {} failed", factory.type(), f.where(), e);
            problems.error(f.line(), f.where(), "the " + factory.type() + " watcher's checks failed: " + e);
        }
    }

    /** The property's line, else the watcher's. */
    private static int line(WatcherDefinition definition, String property, Fields f) {
        int line = property == null ? 0 : definition.properties().line(property);
        return line > 0 ? line : f.line();
    }

    private static String where(String property, Fields f) {
        return property == null ? f.where() : f.where() + " property " + MessageText.quote(property);
    }
}
