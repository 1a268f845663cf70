package dev.tend.watchers.nagios;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.kv.KvStore;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.data.FactsFile;
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
import java.util.function.Supplier;

/**
 * A real machine in Choria Scout's check layout with one nagios watcher, for tests: its directory, the real loader and
 * a group of machines as the agent's, real plugins, events recorded, time on a {@link ManualScheduler} that the waits here keep running. The first
 * interval check comes at once (the random delay is 0).
 *
 * <p>States {@code UNKNOWN} (initial), {@code OK}, {@code WARNING}, {@code CRITICAL}, {@code FORCE_CHECK},
 * {@code MAINTENANCE}; the watcher is {@code check}, active in the four statuses.
 */
final class ScoutMachine implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String PLUGINS = "/usr/lib/nagios/plugins";

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
    private Path overrides;
    private Supplier<KvStore> store;
    private NagiosSettings settings;
    private NagiosWatcherFactory factory;
    private MachineGroup group;
    private Machine machine;

    ScoutMachine(Path root, String name) throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(root.resolve("machines/" + name));
        this.state = Files.createDirectories(root.resolve("state"));
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

    /** An executable file in the machine directory. */
    Path script(String file, String body) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    Machine start(String... watcherLines) throws Exception {
        return start(new Builtins(), watcherLines);
    }

    /**
     * Loads the machine through the real loader, starts it in a group of machines (as the agent runs them) and waits
     * until its watchers run.
     */
    Machine start(Builtins builtins, String... watcherLines) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), yaml(name, watcherLines));
        factory = new NagiosWatcherFactory(settings(), builtins, manual.clock());
        WatcherRegistry registry = WatcherRegistry.of(List.of(factory));
        MachineDefinition definition = new MachineLoader(registry).load(dir);
        MachineSettings.Builder environment = MachineSettings.builder()
                .identity("node1")
                .watchers(registry)
                .stateDirectory(state)
                .facts(Map::of)
                .events(events)
                .scheduler(manual)
                .blockingExecutor(blocking)
                .clock(manual.clock());
        if (textfileDirectory != null) {
            environment.textfileDirectory(textfileDirectory);
        }
        if (store != null) {
            environment.store(store);
        }
        if (overrides != null) {
            environment.overrides(overrides, FactsFile.of(overrides, "overrides"));
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

    NagiosWatcherFactory factory() {
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

    /** Waits for the {@code count}th state event and returns its fields. */
    Map<String, Object> awaitCheck(int count) {
        await(count + " checks (there are " + states().size() + ")", () -> states().size() >= count);
        return states().get(count - 1).fields();
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
