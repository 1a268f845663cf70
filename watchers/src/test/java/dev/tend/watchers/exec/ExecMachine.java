package dev.tend.watchers.exec;

import dev.tend.watchers.process.ProcessTree;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real machine with one exec watcher, for tests: its directory, the real loader and engine, real processes, events
 * recorded. Time is real, or a {@link ManualScheduler} that the waits here keep running ({@link #manual()}).
 *
 * <p>The machine: {@code idle --start--> running --passed/failed--> passed/failed --start--> running}, and {@code rest}
 * back to {@code idle} from anywhere but idle. Watchers are given as YAML list items.
 */
final class ExecMachine implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String HEAD = """
            name: m
            version: 1.0.0
            initial_state: idle
            transitions:
              - {name: start, from: [idle, passed, failed], destination: running}
              - {name: passed, from: [running], destination: passed}
              - {name: failed, from: [running], destination: failed}
              - {name: rest, from: [running, passed, failed], destination: idle}
            watchers:
            """;

    private static final AtomicInteger THREADS = new AtomicInteger();

    final Path dir;
    final Path state;
    final Path tmp;
    final EventRecorder events = new EventRecorder();
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tend-test-blocking-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService scheduler;
    private final ManualScheduler manual;
    private Map<String, Object> facts = Map.of();
    private dev.tend.kv.KvStore store;
    private Machine machine;

    private ExecMachine(Path root, ManualScheduler manual) throws IOException {
        this.dir = Files.createDirectories(root.resolve("machines/m"));
        this.state = Files.createDirectories(root.resolve("state"));
        this.tmp = Files.createDirectories(root.resolve("tmp"));
        this.manual = manual;
        this.scheduler = manual != null ? manual : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tend-test-scheduler-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static ExecMachine realTime(Path root) throws IOException {
        return new ExecMachine(root, null);
    }

    static ExecMachine manualTime(Path root) throws IOException {
        return new ExecMachine(root, new ManualScheduler());
    }

    ManualScheduler manual() {
        return manual;
    }

    /** Test settings: run files under {@link #tmp}, short graces. */
    ExecSettings settings() {
        return ExecSettings.defaults().withTempDirectory(tmp).withGraces(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    ExecMachine facts(Map<String, Object> value) {
        facts = value;
        return this;
    }

    /** The agent's store the machine gets (for governors); none by default. */
    ExecMachine store(dev.tend.kv.KvStore value) {
        store = value;
        return this;
    }

    /** An executable file in the machine directory. */
    Path script(String name, String body) throws IOException {
        return script(dir.resolve(name), body);
    }

    static Path script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    Machine start(String watchers) throws Exception {
        return start(watchers, settings());
    }

    /** Loads HEAD + {@code watchers} through the real loader, starts the machine and waits until its watchers run. */
    Machine start(String watchers, ExecSettings settings) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), HEAD + watchers);
        WatcherRegistry registry = WatcherRegistry.of(List.of(new ExecWatcherFactory(settings)));
        MachineDefinition definition = new MachineLoader(registry).load(dir);
        MachineEnvironment.Builder builder = MachineEnvironment.builder();
        if (store != null) {
            dev.tend.kv.KvStore given = store;
            builder.store(() -> given);
        }
        MachineEnvironment environment = builder
                .identity("node1")
                .watchers(registry)
                .stateDirectory(state)
                .facts(() -> facts)
                .events(events)
                .scheduler(scheduler)
                .blockingExecutor(blocking)
                .clock(manual != null ? manual.clock() : java.time.Clock.systemUTC())
                .build();
        machine = Machines.create(definition, environment);
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
            if (manual != null) {
                manual.runDue();
            }
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

    /** The watcher state events so far. */
    List<WatcherStateEvent> states() {
        return events.watcherStates();
    }

    void awaitStates(int count) {
        await(count + " state events (there are " + states().size() + ")", () -> states().size() >= count);
    }

    /** Whether the process runs (a zombie left unreaped by a container's pid 1 does not). */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }

    /** True once the file holds a whole pid line: a shell creates the file before it writes to it. */
    static boolean pidWritten(Path file) {
        return lineWritten(file) && read(file).matches("\\d+\n");
    }

    /** True once the file holds a whole line: a shell creates the file before it writes to it. */
    static boolean lineWritten(Path file) {
        return read(file).endsWith("\n");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // not there yet
        }
    }

    static long pid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    @Override
    public void close() throws InterruptedException {
        if (machine != null) {
            machine.stop();
        }
        blocking.shutdownNow();
        if (manual == null) {
            scheduler.shutdownNow();
        }
        blocking.awaitTermination(10, TimeUnit.SECONDS);
    }
}
