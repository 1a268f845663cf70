package dev.tend.watchers.testing;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.MachineGroup;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.ManualScheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the tests of a watcher type on a real machine share: the machine's directory ({@code machines/<name>}) and the
 * state directory under a root, the machine file loaded by the real loader and run by the real engine (alone, or in a
 * group of machines as the agent runs them), real commands on a blocking executor of named daemon threads, events
 * recorded, and time either real or on a {@link ManualScheduler} that the waits here keep running. Each type's fixture
 * extends it with its machine file and its settings.
 */
public abstract class MachineFixture implements AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(20);

    private static final AtomicInteger THREADS = new AtomicInteger();

    public final String name;
    public final Path dir;
    public final Path state;
    public final EventRecorder events = new EventRecorder();
    /** The scheduler's time; null when time is real. */
    private final ManualScheduler manual;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tend-test-blocking-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private MachineGroup group;
    private Machine machine;
    private boolean noop;

    /** @param manual the scheduler whose time the machine runs on, or null for real time */
    protected MachineFixture(Path root, String name, ManualScheduler manual) throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(root.resolve("machines/" + name));
        this.state = Files.createDirectories(root.resolve("state"));
        this.manual = manual;
        this.scheduler = manual != null ? manual : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tend-test-scheduler-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the machine in noop mode ({@code tend agent --noop}); call before starting it. */
    public void noop() {
        noop = true;
    }

    /** The manual scheduler, or null when time is real. */
    public ManualScheduler manual() {
        return manual;
    }

    public Machine machine() {
        return machine;
    }

    /**
     * Writes {@code yaml} as the machine file, loads it with {@code registry}, starts the machine on its own (with
     * {@code settings} beside the fixture's) and waits until its watchers run.
     */
    protected Machine startAlone(String yaml, WatcherRegistry registry, Consumer<MachineEnvironment.Builder> settings)
            throws Exception {
        MachineDefinition definition = load(yaml, registry);
        MachineEnvironment.Builder environment = common(MachineEnvironment.builder(), registry);
        settings.accept(environment);
        machine = Machines.create(definition, environment.build());
        return started();
    }

    /** As {@link #startAlone}, in a group of machines as the agent runs them. */
    protected Machine startInGroup(String yaml, WatcherRegistry registry, Consumer<MachineSettings.Builder> settings)
            throws Exception {
        MachineDefinition definition = load(yaml, registry);
        MachineSettings.Builder environment = common(MachineSettings.builder(), registry);
        settings.accept(environment);
        group = MachineGroup.create(environment.build(), "tend-test-" + name);
        machine = group.add(definition);
        return started();
    }

    private MachineDefinition load(String yaml, WatcherRegistry registry) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        return new MachineLoader(registry).load(dir);
    }

    private <B extends MachineSettings.Setters<B>> B common(B builder, WatcherRegistry registry) {
        return builder.identity("node1")
                .watchers(registry)
                .stateDirectory(state)
                .events(events)
                .scheduler(scheduler)
                .blockingExecutor(blocking)
                .clock(manual != null ? manual.clock() : Clock.systemUTC())
                .noop(noop);
    }

    private Machine started() {
        machine.start();
        await("the watchers started", () -> machine.status().startTime() != null);
        return machine;
    }

    /** An executable file in the machine directory. */
    public Path script(String file, String body) throws IOException {
        return script(dir.resolve(file), body);
    }

    /** An executable file (its directory created). */
    public static Path script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** Polls until {@code condition} holds, running the manual scheduler's due tasks meanwhile. */
    public void await(String what, BooleanSupplier condition) {
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

    public void awaitState(String expected) {
        await("the machine is " + expected + " (it is " + machine.state() + ")", () -> machine.state().equals(expected));
    }

    /** The watcher state events so far. */
    public List<WatcherStateEvent> states() {
        return events.watcherStates();
    }

    /** What the type's fixture closes once the machines stopped, before the executors end (its factory). */
    protected void closeType() {
    }

    @Override
    public void close() throws InterruptedException {
        if (group != null) {
            group.close();
        } else if (machine != null) {
            machine.stop();
        }
        closeType();
        blocking.shutdownNow();
        if (manual == null) {
            scheduler.shutdownNow();
        }
        blocking.awaitTermination(10, TimeUnit.SECONDS);
    }
}
