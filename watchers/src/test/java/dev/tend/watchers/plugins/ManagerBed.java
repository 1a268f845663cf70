package dev.tend.watchers.plugins;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.FixedRandom;
import dev.tend.machine.testing.ManualScheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A machine with one {@code plugins} or {@code machines} watcher in a machines directory of its own, on the real
 * engine, with time driven by hand and blocking work run at once; its data is written to its data file before it
 * starts, as the agent would have kept it.
 */
final class ManagerBed implements AutoCloseable {

    static final String MANAGER = """
            name: manager
            version: 1.0.0
            initial_state: idle
            transitions:
              - {name: changed, from: [idle, managed, failed], destination: managed}
              - {name: broken, from: [idle, managed, failed], destination: failed}
            watchers:
              - name: manage
                type: %s
                success_transition: changed
                fail_transition: broken
                %s
                properties:
                  %s
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path machines;
    final Path state;
    final ManualScheduler scheduler = new ManualScheduler();
    final EventRecorder events = new EventRecorder();
    final DataWriterStandIn writer = new DataWriterStandIn();
    final WatcherRegistry registry = WatcherRegistry.of(List.of(new PluginsWatcherFactory(),
            new MachinesWatcherFactory(), new ArchiveStandIn(), writer));
    private final List<Machine> started = new ArrayList<>();
    String identity = "web1.example.net";
    Map<String, Object> facts = Map.of("os", Map.of("family", "Debian"), "role", "web");
    String signingKey;
    /** Watchers added to the manager machine after its {@code manage} watcher (YAML list items, indented by 2). */
    String extraWatchers = "";
    /** Noop mode ({@code tend agent --noop}); set before {@link #start}. */
    boolean noop;

    ManagerBed(Path root) throws IOException {
        machines = Files.createDirectories(root.resolve("machines"));
        state = root.resolve("state");
    }

    /** Loads the manager machine with this type, common fields and properties. */
    MachineDefinition load(String type, String common, String properties) throws Exception {
        Path dir = Files.createDirectories(machines.resolve("manager"));
        Files.writeString(dir.resolve("machine.yaml"), MANAGER.formatted(type, common, properties) + extraWatchers);
        return new MachineLoader(registry).load(dir);
    }

    /** Starts it with this data (replacing what it had), lets it run its first run. */
    Machine start(String type, String common, String properties, Map<String, Object> data) throws Exception {
        MachineDefinition definition = load(type, common, properties);
        writeData(data);
        Machine machine = Machines.create(definition, MachineEnvironment.builder()
                .identity(identity)
                .watchers(registry)
                .stateDirectory(state)
                .facts(() -> facts)
                .events(events)
                .scheduler(scheduler)
                .blockingExecutor(Runnable::run)
                .clock(scheduler.clock())
                .random(new FixedRandom(0))
                .machineSigningKey(signingKey)
                .noop(noop)
                .build());
        started.add(machine);
        machine.start();
        scheduler.runDue();
        return machine;
    }

    void writeData(Map<String, Object> data) throws IOException {
        Path file = Files.createDirectories(state.resolve("machines").resolve("manager")).resolve("machine_data.json");
        Files.write(file, JSON.writeValueAsBytes(data));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> data() throws IOException {
        Path file = state.resolve("machines").resolve("manager").resolve("machine_data.json");
        return Files.exists(file) ? JSON.readValue(file.toFile(), Map.class) : Map.of();
    }

    void advance(Duration by) {
        scheduler.advance(by);
        scheduler.runDue();
    }

    List<String> outcomes() {
        return events.watcherStates().stream().map(e -> String.valueOf(e.fields().get("previous_outcome"))).toList();
    }

    List<String> transitions() {
        return events.transitions().stream().map(t -> t.transition()).toList();
    }

    @Override
    public void close() {
        started.forEach(Machine::stop);
        registry.close();
    }
}
