package dev.tend.watchers.archive;

import dev.tend.kv.KvStore;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.WatcherStatus;
import dev.tend.machine.agent.MachineGroup;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.ManualScheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real machine with one archive watcher {@code download}, for tests: its directory, the real loader and a group of
 * machines as the agent's, a real embedded store as the agent's, events recorded, time on a {@link ManualScheduler}
 * (the waits here keep it running) and a thread per run as the agent gives.
 *
 * <p>States {@code MANAGE} (initial; the watcher is active only there), {@code READY} (by {@code deployed}, the
 * success transition), {@code FAILED} (by {@code broken}, the fail transition), {@code PAUSED} (by {@code pause});
 * {@code retry} goes back to {@code MANAGE} from the other three, which runs the watcher again.
 */
final class ArchiveMachine implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(30);
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
    private final KvStore store;
    private ArchiveSettings settings = ArchiveSettings.defaults();
    private ArchiveWatcherFactory factory;
    private MachineGroup group;
    private Machine machine;

    ArchiveMachine(Path root, String name, KvStore store) throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(root.resolve("machines/" + name));
        this.state = Files.createDirectories(root.resolve("state-" + name));
        this.store = store;
    }

    private boolean noop;

    /** Runs the machine in noop mode ({@code tend agent --noop}). */
    ArchiveMachine noop() {
        noop = true;
        return this;
    }

    ArchiveMachine settings(ArchiveSettings value) {
        settings = value;
        return this;
    }

    /** Runs the machine with this factory (shared with other machines, as one agent shares it), not one of its own. */
    ArchiveMachine factory(ArchiveWatcherFactory shared) {
        factory = shared;
        return this;
    }

    /** The machine file, with the watcher's extra lines (its properties, 4-space indented). */
    static String yaml(String name, String... watcherLines) {
        StringBuilder s = new StringBuilder("""
                name: %s
                version: 1.0.0
                initial_state: MANAGE
                transitions:
                  - {name: deployed, from: [MANAGE], destination: READY}
                  - {name: broken, from: [MANAGE], destination: FAILED}
                  - {name: pause, from: [MANAGE], destination: PAUSED}
                  - {name: retry, from: [READY, FAILED, PAUSED], destination: MANAGE}
                watchers:
                  - name: download
                    type: archive
                    state_match: [MANAGE]
                    success_transition: deployed
                    fail_transition: broken
                """.formatted(name));
        for (String line : watcherLines) {
            s.append("    ").append(line).append('\n');
        }
        return s.toString();
    }

    Machine start(String... watcherLines) throws Exception {
        return startYaml(yaml(name, watcherLines));
    }

    /** Loads the machine file through the real loader and starts it in a group of machines, as the agent runs them. */
    Machine startYaml(String yaml) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        if (factory == null) {
            factory = new ArchiveWatcherFactory(settings);
        }
        WatcherRegistry registry = WatcherRegistry.of(List.of(factory));
        MachineDefinition definition = new MachineLoader(registry).load(dir);
        MachineSettings environment = MachineSettings.builder()
                .identity("node1")
                .watchers(registry)
                .stateDirectory(state)
                .store(() -> store)
                .facts(() -> Map.of("fqdn", "node1.example.net"))
                .events(events)
                .scheduler(manual)
                .blockingExecutor(blocking)
                .clock(manual.clock())
                .noop(noop)
                .build();
        group = MachineGroup.create(environment, "tend-test-" + name);
        machine = group.add(definition);
        machine.start();
        await("the watchers started", () -> machine.status().startTime() != null);
        return machine;
    }

    Machine machine() {
        return machine;
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
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    void awaitState(String expected) {
        await("the machine is " + expected + " (it is " + machine.state() + ")",
                () -> machine.state().equals(expected));
    }

    List<WatcherStateEvent> states() {
        return events.watcherStates();
    }

    /** Waits for the {@code count}th state event; returns its fields. */
    Map<String, Object> awaitEvent(int count) {
        await(count + " state events (there are " + states().size() + ")", () -> states().size() >= count);
        return states().get(count - 1).fields();
    }

    /** The watcher's fields as {@code tend machine info} shows them. */
    Map<String, Object> watcherState() {
        return machine.status().watchers().stream().filter(w -> w.name().equals("download")).findFirst()
                .map(WatcherStatus::state).orElseThrow();
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
