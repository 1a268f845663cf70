package dev.tend.watchers.metric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.Machine;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.testing.ManualScheduler;
import dev.tend.watchers.testing.MachineFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real machine with metric watchers, for tests ({@link MachineFixture}): in a group of machines as the agent's, real
 * commands, time on a {@link ManualScheduler} that the waits keep running. The first run comes at once (the random
 * delay is 0).
 *
 * <p>States {@code RUN} (initial), {@code FAILED} (by {@code bad_output}, back by {@code recover}) and {@code PAUSED}
 * (by {@code pause}, back by {@code resume}); the watchers given are active in {@code RUN} and fire {@code bad_output}.
 */
final class MetricMachine extends MachineFixture {

    private static final ObjectMapper JSON = new ObjectMapper();

    final ManualScheduler manual;
    private Path textfileDirectory;
    private MetricSettings settings;
    private MetricWatcherFactory factory;

    MetricMachine(Path root, String name) throws IOException {
        this(root, name, new ManualScheduler());
    }

    private MetricMachine(Path root, String name, ManualScheduler manual) throws IOException {
        super(root, name, manual);
        this.manual = manual;
    }

    /** The machine file, with one watcher {@code gather} of these extra lines (4-space indented items). */
    static String yaml(String name, String... watcherLines) {
        return yamlWith(name, List.of(List.of(watcherLines)), List.of("gather"));
    }

    /** The machine file with a watcher per name and its lines. */
    static String yamlWith(String name, List<List<String>> watchers, List<String> names) {
        StringBuilder s = new StringBuilder("""
                name: %s
                version: 1.0.0
                initial_state: RUN
                transitions:
                  - {name: bad_output, from: [RUN], destination: FAILED}
                  - {name: recover, from: [FAILED], destination: RUN}
                  - {name: pause, from: [RUN], destination: PAUSED}
                  - {name: resume, from: [PAUSED], destination: RUN}
                watchers:
                """.formatted(name));
        for (int i = 0; i < watchers.size(); i++) {
            s.append("  - name: ").append(names.get(i)).append('\n');
            s.append("    type: metric\n");
            s.append("    state_match: [RUN]\n");
            s.append("    fail_transition: bad_output\n");
            for (String line : watchers.get(i)) {
                s.append("    ").append(line).append('\n');
            }
        }
        return s.toString();
    }

    MetricMachine textfileDirectory(Path value) {
        textfileDirectory = value;
        return this;
    }

    MetricMachine settings(MetricSettings value) {
        settings = value;
        return this;
    }

    MetricSettings settings() {
        return settings != null ? settings : MetricSettings.defaults().withRandom(bound -> 0);
    }

    /** A script printing {@code output} (in single quotes: no single quote in it). */
    Path printing(String file, String output) throws IOException {
        return script(file, "#!/bin/sh\necho '" + output + "'\n");
    }

    Machine start(String... watcherLines) throws Exception {
        return startYaml(yaml(name, watcherLines));
    }

    /** Starts the machine of this file in a group of machines (as the agent runs them); waits until its watchers run. */
    Machine startYaml(String yaml) throws Exception {
        factory = new MetricWatcherFactory(settings());
        return startInGroup(yaml, WatcherRegistry.of(List.of(factory)), environment -> {
            environment.facts(() -> Map.of("fqdn", "node1.example.net"));
            if (textfileDirectory != null) {
                environment.textfileDirectory(textfileDirectory);
            }
        });
    }

    MetricWatcherFactory factory() {
        return factory;
    }

    /** Waits for the {@code count}th state event and returns its {@code metrics} field. */
    @SuppressWarnings("unchecked")
    Map<String, Object> awaitResult(int count) {
        await(count + " results (there are " + states().size() + ")", () -> states().size() >= count);
        return (Map<String, Object>) states().get(count - 1).fields().get("metrics");
    }

    /** The machine's persisted data, or an empty object when there is none. */
    JsonNode data() throws IOException {
        Path file = state.resolve("machines/" + name + "/machine_data.json");
        return Files.exists(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    /** Waits until the file exists (the command wrote it: it ran). */
    void awaitFile(Path file) {
        await(file + " is written", () -> Files.exists(file));
    }

    @Override
    protected void closeType() {
        if (factory != null) {
            factory.close();
        }
    }
}
