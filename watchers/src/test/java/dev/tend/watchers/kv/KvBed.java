package dev.tend.watchers.kv;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.FixedRandom;
import dev.tend.machine.testing.ManualScheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the kv watcher tests share: a real embedded store in a temporary directory, machines loaded from YAML by the real
 * loader and run by the real engine, time driven by hand ({@link ManualScheduler}), watcher calls on the calling thread,
 * and the machine's data read back from its file.
 *
 * <p>The machine toggles between {@code a} and {@code b} on every success ({@code changed}) and between {@code broken}
 * and {@code broken2} on every failure ({@code failed}), so each firing is a real transition with an event; {@code nudge}
 * moves between the active states {@code a} and {@code b} without the watcher, {@code sleep}/{@code wake} leave and
 * re-enter them.
 */
final class KvBed implements AutoCloseable {

    /** Line 14 is the watcher's item, 20 its properties. */
    static final String MACHINE = """
            name: m
            version: 1.0.0
            initial_state: a
            transitions:
              - {name: changed, from: [a], destination: b}
              - {name: changed, from: [b, broken, broken2], destination: a}
              - {name: failed, from: [a, b, broken2], destination: broken}
              - {name: failed, from: [broken], destination: broken2}
              - {name: nudge, from: [a], destination: b}
              - {name: nudge, from: [b], destination: a}
              - {name: sleep, from: [a, b, broken, broken2], destination: off}
              - {name: wake, from: [off], destination: a}
            watchers:
              - name: w
                type: kv
                state_match: [a, b, broken, broken2]
                success_transition: changed
                fail_transition: failed
                interval: %s
                properties: %s
            """;

    static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path storeDir;
    final Path stateDir;
    final ManualScheduler scheduler = new ManualScheduler();
    final EventRecorder events = new EventRecorder();
    final WatcherRegistry registry;
    final KvStore store;
    /** What the machines get as the agent's store; tests may replace it before starting a machine. */
    Supplier<KvStore> storeForMachines;
    /** The node's facts the machines see, read on each use; tests may replace them at any time. */
    volatile Map<String, Object> facts = Map.of();
    private final List<Machine> machines = new ArrayList<>();

    KvBed(Path root) {
        this(root, new KvWatcherFactory());
    }

    KvBed(Path root, KvWatcherFactory factory) {
        this.registry = WatcherRegistry.of(List.of(factory));
        this.root = root;
        this.storeDir = root.resolve("kv");
        this.stateDir = root.resolve("state");
        this.store = KvStore.builder().directory(storeDir).build();
        this.storeForMachines = () -> store;
    }

    Bucket bucket(String name) {
        return store.create(BucketConfig.builder(name).history(5).build());
    }

    /** Loads the machine with this watcher interval (empty for none) and properties (a YAML flow mapping) and starts it. */
    Machine start(String interval, String properties) {
        return startYaml(yaml(interval, properties));
    }

    /** Loads this machine file and starts the machine. */
    Machine startYaml(String yaml) {
        MachineDefinition definition;
        try {
            definition = load(yaml);
        } catch (MachineLoadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        Machine machine = Machines.create(definition, MachineEnvironment.builder()
                .identity("node1")
                .watchers(registry)
                .stateDirectory(stateDir)
                .store(() -> storeForMachines.get())
                .facts(() -> facts)
                .events(events)
                .scheduler(scheduler)
                .blockingExecutor(Runnable::run)
                .clock(scheduler.clock())
                .random(new FixedRandom(0.5))
                .build());
        machines.add(machine);
        machine.start();
        scheduler.runDue();
        return machine;
    }

    static String yaml(String interval, String properties) {
        String text = MACHINE.formatted(interval.isEmpty() ? "~" : interval, properties);
        return interval.isEmpty() ? text.replace("    interval: ~\n", "") : text;
    }

    MachineDefinition load(String yaml) throws MachineLoadException {
        try {
            Path dir = Files.createDirectories(root.resolve("machine"));
            Files.writeString(dir.resolve("machine.yaml"), yaml);
            return new MachineLoader(registry).load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems the loader reports for this text, as {@code line: where: message}. */
    List<String> problems(String yaml) {
        try {
            load(yaml);
            throw new AssertionError("the machine loaded");
        } catch (MachineLoadException e) {
            return e.problems().stream().map(KvBed::lineAndMessage).toList();
        }
    }

    private static String lineAndMessage(Problem p) {
        return p.line() + ": " + p.where() + ": " + p.message();
    }

    /** An operator's transition, then what follows it (pokes) applied. */
    void transition(Machine machine, String event) {
        try {
            machine.transition(event);
        } catch (dev.tend.machine.InvalidTransitionException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        scheduler.runDue();
    }

    /** Runs what is due: fired transitions are applied. */
    void settle() {
        scheduler.runDue();
    }

    /** Moves time on (ticks, retries, resyncs run) and applies what they fired. */
    void advance(Duration by) {
        scheduler.advance(by);
        scheduler.runDue();
    }

    /** For what happens on the store's threads: runs what is due until {@code condition} holds, or fails after 20 s. */
    void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            scheduler.runDue();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; transitions: " + transitions()
                        + "; watcher: " + watcherState(machines.get(machines.size() - 1)));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** Waits until the watcher's state is {@code state}. */
    void awaitState(Machine machine, String state) {
        await("watcher state " + state, () -> state.equals(watcherState(machine).get("state")));
    }

    /** Transitions so far as {@code name:destination}. */
    List<String> transitions() {
        return events.transitions().stream().map(KvBed::show).toList();
    }

    long count(String transition) {
        return events.transitions().stream().filter(t -> t.transition().equals(transition)).count();
    }

    private static String show(TransitionEvent t) {
        return t.transition() + ":" + t.toState();
    }

    /** The machine started last. */
    Machine lastMachine() {
        return machines.get(machines.size() - 1);
    }

    Map<String, Object> watcherState(Machine machine) {
        return machine.status().watchers().get(0).state();
    }

    /** The machine's data as persisted. */
    Map<String, Object> data() {
        Path file = stateDir.resolve("machines").resolve("m").resolve("machine_data.json");
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the machine's data file before the machine starts, as an earlier run would have left it. */
    void writeData(String json) {
        try {
            Path dir = Files.createDirectories(stateDir.resolve("machines").resolve("m"));
            Files.writeString(dir.resolve("machine_data.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stopMachines() {
        machines.forEach(Machine::stop);
    }

    @Override
    public void close() {
        stopMachines();
        store.close();
    }
}
