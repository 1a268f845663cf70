package dev.tend.machine.testing;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.Subscription;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.spi.ForeignState;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Machine definitions built in code for tests, as the loader would produce them:
 * {@code TestMachines.machine("door", dir).initial("closed").transition("open", "opened", "closed").watcher(...).build()}.
 * Watcher properties are given already decoded (a {@link Duration} for a duration, a {@link List} for a string list).
 */
public final class TestMachines {

    private TestMachines() {
    }

    public static MachineBuilder machine(String name, Path directory) {
        return new MachineBuilder(name, directory);
    }

    /** A watcher of the {@link TestWatcherFactory test} type. */
    public static WatcherBuilder testWatcher(String name) {
        return watcher(name, TestWatcherFactory.TYPE);
    }

    public static WatcherBuilder watcher(String name, String type) {
        return new WatcherBuilder(name, type);
    }

    /** Properties as the loader decodes them, every key counted as written. */
    public static WatcherProperties properties(Map<String, Object> values) {
        return new WatcherProperties(values, Map.of(), values.keySet());
    }

    public static final class MachineBuilder {
        private final String name;
        private final Path directory;
        private String version = "1.0.0";
        private String initialState = "unknown";
        private Duration splay = Duration.ZERO;
        private final List<TransitionDefinition> transitions = new ArrayList<>();
        private final List<WatcherDefinition> watchers = new ArrayList<>();

        private MachineBuilder(String name, Path directory) {
            this.name = name;
            this.directory = directory;
        }

        public MachineBuilder version(String value) {
            version = value;
            return this;
        }

        public MachineBuilder initial(String state) {
            initialState = state;
            return this;
        }

        public MachineBuilder splay(Duration value) {
            splay = value;
            return this;
        }

        /** A transition named {@code name} from each of {@code from} to {@code destination}. */
        public MachineBuilder transition(String name, String destination, String... from) {
            transitions.add(new TransitionDefinition(name, Arrays.asList(from), destination, "", List.of()));
            return this;
        }

        /** A transition that also fires when machine {@code otherMachine} fires {@code otherEvent}. */
        public MachineBuilder subscribed(String name, String destination, List<String> from, String otherMachine,
                                         String otherEvent) {
            transitions.add(new TransitionDefinition(name, from, destination, "",
                    List.of(new Subscription(otherMachine, otherEvent))));
            return this;
        }

        public MachineBuilder watcher(WatcherBuilder watcher) {
            watchers.add(watcher.build());
            return this;
        }

        public MachineBuilder watcher(WatcherDefinition watcher) {
            watchers.add(watcher);
            return this;
        }

        public MachineDefinition build() {
            return new MachineDefinition(name, version, initialState, splay, transitions, watchers,
                    directory.toAbsolutePath(), "");
        }
    }

    public static final class WatcherBuilder {
        private final String name;
        private final String type;
        private List<String> stateMatch = List.of();
        private final List<ForeignState> foreign = new ArrayList<>();
        private String success = "";
        private String fail = "";
        private Duration interval = Duration.ZERO;
        private Duration announce = Duration.ZERO;
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private WatcherBuilder(String name, String type) {
            this.name = name;
            this.type = type;
        }

        public WatcherBuilder stateMatch(String... states) {
            stateMatch = List.of(states);
            return this;
        }

        public WatcherBuilder requires(String machine, String state) {
            foreign.add(new ForeignState(machine, state));
            return this;
        }

        public WatcherBuilder success(String transition) {
            success = transition;
            return this;
        }

        public WatcherBuilder fail(String transition) {
            fail = transition;
            return this;
        }

        public WatcherBuilder interval(Duration value) {
            interval = value;
            return this;
        }

        public WatcherBuilder announce(Duration value) {
            announce = value;
            return this;
        }

        public WatcherBuilder property(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        public WatcherDefinition build() {
            return new WatcherDefinition(name, type, stateMatch, foreign, fail, success, interval, announce,
                    properties(properties), 1);
        }
    }
}
