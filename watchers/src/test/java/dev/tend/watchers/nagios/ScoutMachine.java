package dev.tend.watchers.nagios;

import dev.tend.kv.KvStore;
import dev.tend.machine.Machine;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.data.FactsFile;
import dev.tend.machine.testing.ManualScheduler;
import dev.tend.watchers.testing.MachineFixture;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A real machine in Choria Scout's check layout with one nagios watcher, for tests ({@link MachineFixture}): in
 * a group of machines as the agent's, real plugins, time on a {@link ManualScheduler} that the waits keep running. The first
 * interval check comes at once (the random delay is 0).
 *
 * <p>States {@code UNKNOWN} (initial), {@code OK}, {@code WARNING}, {@code CRITICAL}, {@code FORCE_CHECK},
 * {@code MAINTENANCE}; the watcher is {@code check}, active in the four statuses.
 */
final class ScoutMachine extends MachineFixture {

    static final String PLUGINS = "/usr/lib/nagios/plugins";

    final ManualScheduler manual;
    private Path textfileDirectory;
    private Path overrides;
    private Supplier<KvStore> store;
    private NagiosSettings settings;
    private NagiosWatcherFactory factory;

    ScoutMachine(Path root, String name) throws IOException {
        this(root, name, new ManualScheduler());
    }

    private ScoutMachine(Path root, String name, ManualScheduler manual) throws IOException {
        super(root, name, manual);
        this.manual = manual;
    }

    /** The machine file: Scout's layout, then the check watcher with these extra lines (4-space indented items). */
    static String yaml(String name, String... watcherLines) {
        StringBuilder s = new StringBuilder("""
                name: %s
                version: 1.0.0
                initial_state: UNKNOWN
                transitions:
                  - {name: UNKNOWN, from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK], destination: UNKNOWN}
                  - {name: OK, from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK], destination: OK}
                  - {name: WARNING, from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK], destination: WARNING}
                  - {name: CRITICAL, from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK], destination: CRITICAL}
                  - {name: FORCE_CHECK, from: [UNKNOWN, OK, WARNING, CRITICAL], destination: FORCE_CHECK}
                  - {name: MAINTENANCE, from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK], destination: MAINTENANCE}
                  - {name: RESUME, from: [MAINTENANCE], destination: FORCE_CHECK}
                watchers:
                  - name: check
                    type: nagios
                    state_match: [UNKNOWN, OK, WARNING, CRITICAL]
                """.formatted(name));
        for (String line : watcherLines) {
            s.append("    ").append(line).append('\n');
        }
        return s.toString();
    }

    ScoutMachine textfileDirectory(Path value) {
        textfileDirectory = value;
        return this;
    }

    /** The agent's overrides file (templates' {@code o}, goss's variables); default none. */
    ScoutMachine overrides(Path value) {
        overrides = value;
        return this;
    }

    /** The store the machines get (the agent's is opened on first use); default none. */
    ScoutMachine store(Supplier<KvStore> value) {
        store = value;
        return this;
    }

    ScoutMachine settings(NagiosSettings value) {
        settings = value;
        return this;
    }

    NagiosSettings settings() {
        return settings != null ? settings : NagiosSettings.defaults()
                .withGraces(Duration.ofSeconds(1), Duration.ofSeconds(2)).withRandom(bound -> 0);
    }

    Machine start(String... watcherLines) throws Exception {
        return start(new Builtins(), watcherLines);
    }

    /** Starts the machine in a group of machines (as the agent runs them) and waits until its watchers run. */
    Machine start(Builtins builtins, String... watcherLines) throws Exception {
        factory = new NagiosWatcherFactory(settings(), builtins, manual.clock());
        return startInGroup(yaml(name, watcherLines), WatcherRegistry.of(List.of(factory)), environment -> {
            environment.facts(Map::of);
            if (textfileDirectory != null) {
                environment.textfileDirectory(textfileDirectory);
            }
            if (store != null) {
                environment.store(store);
            }
            if (overrides != null) {
                environment.overrides(overrides, FactsFile.of(overrides, "overrides"));
            }
        });
    }

    NagiosWatcherFactory factory() {
        return factory;
    }

    /** Waits for the {@code count}th state event and returns its fields. */
    Map<String, Object> awaitCheck(int count) {
        await(count + " checks (there are " + states().size() + ")", () -> states().size() >= count);
        return states().get(count - 1).fields();
    }

    @Override
    protected void closeType() {
        if (factory != null) {
            factory.close();
        }
    }
}
