package dev.tend.watchers.metric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.MachineGroup;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.ManualScheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real machine with metric watchers, for tests: its directory, the real loader and a group of machines as the
 * agent's, real commands, events recorded, time on a {@link ManualScheduler} that the waits here keep running. The
 * first run comes at once (the random delay is 0).
 *
 * <p>States {@code RUN} (initial), {@code FAILED} (by {@code bad_output}, back by {@code recover}) and {@code PAUSED}
 * (by {@code pause}, back by {@code resume}); the watchers given are active in {@code RUN} and fire {@code bad_output}.
 */
final class MetricMachine implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger THREADS = new AtomicInteger();

    final String name;
    final Path dir;
    final Path state;
    final EventRecorder events = new EventRecorder();
    final ManualScheduler manual = new ManualScheduler();
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tend-test-blocking-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private Path textfileDirectory;
    private MetricSettings settings;
    private MetricWatcherFactory factory;
    private MachineGroup group;
    private Machine machine;

    MetricMachine(Path root, String name) throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(root.resolve("machines/" + name));
        this.state = Files.createDirectories(root.resolve("state"));
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

    /** An executable file in the machine directory. */
    Path script(String file, String body) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** A script printing {@code output} (in single quotes: no single quote in it). */
    Path printing(String file, String output) throws IOException {
        return script(file, "#!/bin/sh\necho '" + output + "'\n");
    }

    Machine start(String... watcherLines) throws Exception {
        return startYaml(yaml(name, watcherLines));
    }

    /**
     * Loads the machine file through the real loader, starts it in a group of machines (as the agent runs them) and
     * waits until its watchers run.
     */
    Machine startYaml(String yaml) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        factory = new MetricWatcherFactory(settings());
        WatcherRegistry registry = WatcherRegistry.of(List.of(factory));
        MachineDefinition definition = new MachineLoader(registry).load(dir);
        MachineSettings.Builder environment = MachineSettings.builder()
                .identity("node1")
                .watchers(registry)
                .stateDirectory(state)
                .facts(() -> Map.of("fqdn", "node1.example.net"))
                .events(events)
                .scheduler(manual)
                .blockingExecutor(blocking)
                .clock(manual.clock());
        if (textfileDirectory != null) {
            environment.textfileDirectory(textfileDirectory);
        }
        group = MachineGroup.create(environment.build(), "tend-test-" + name);
        machine = group.add(definition);
        machine.start();
        await("the watchers started", () -> machine.status().startTime() != null);
        return machine;
    }

    Machine machine() {
        return machine;
    }

    MetricWatcherFactory factory() {
        return factory;
    }

    /** Polls until {@code condition} holds, running the manual scheduler's due tasks meanwhile. */
    void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            manual.runDue();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + "s waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    void awaitState(String expected) {
        await("the machine is " + expected + " (it is " + machine.state() + ")", () -> machine.state().equals(expected));
    }

    List<WatcherStateEvent> states() {
        return events.watcherStates();
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
    public void close() throws InterruptedException {
        if (group != null) {
            group.close();
        }
        if (factory != null) {
            factory.close();
        }
        blocking.shutdownNow();
        blocking.awaitTermination(10, TimeUnit.SECONDS);
    }
}
