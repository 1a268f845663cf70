package dev.tend.machine.control;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.EventSink;
import dev.tend.machine.event.MachineEvent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small {@link RunningMachines} for control socket tests: real engine machines (no watchers) whose events go to the
 * subscribers, and {@link #publish} to push events directly.
 */
final class ControlTestMachines implements RunningMachines, AutoCloseable {

    private final Map<String, Machine> machines = new TreeMap<>();
    private final Set<EventSink> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threads = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "test-machines-scheduler-" + threads.incrementAndGet()));
    private final ExecutorService blocking = Executors.newCachedThreadPool(
            r -> new Thread(r, "test-machines-blocking-" + threads.incrementAndGet()));
    private final MachineEnvironment environment;

    private final String identity;
    private volatile boolean noop;
    private volatile Clock clock = Clock.systemUTC();

    ControlTestMachines(Path stateDir) {
        this(stateDir, "node1");
    }

    ControlTestMachines(Path stateDir, String identity) {
        this.identity = identity;
        environment = MachineEnvironment.builder()
                .identity(identity)
                .watchers(WatcherRegistry.of(List.of()))
                .stateDirectory(stateDir)
                .events(this::publish)
                .scheduler(scheduler)
                .blockingExecutor(blocking)
                .build();
    }

    /** Adds and starts a machine {@code name}: off --on--> on --off--> off, and broken: off --break--> broken. */
    synchronized Machine add(String name, Path dir) {
        MachineDefinition def = new MachineDefinition(name, "1.0.0", "off", Duration.ZERO, List.of(
                new TransitionDefinition("on", List.of("off"), "on", "switch on", List.of()),
                new TransitionDefinition("off", List.of("on"), "off", "", List.of()),
                new TransitionDefinition("break", List.of("off"), "broken", "", List.of())),
                List.of(), dir, "0".repeat(64));
        Machine m = Machines.create(def, environment);
        m.start();
        awaitStarted(m);
        machines.put(name, m);
        return m;
    }

    /** The engine starts a machine on its scheduler: wait for it, so that statuses compare equal. */
    private static void awaitStarted(Machine m) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (m.status().startTime() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("machine " + m.definition().name() + " did not start");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Sends {@code event} to every subscriber, as an agent's broadcaster would. */
    void publish(MachineEvent event) {
        subscribers.forEach(s -> s.publish(event));
    }

    int subscriberCount() {
        return subscribers.size();
    }

    @Override
    public String identity() {
        return identity;
    }

    /** Says it runs in noop mode, or not (the default). */
    ControlTestMachines noop(boolean value) {
        noop = value;
        return this;
    }

    @Override
    public boolean noop() {
        return noop;
    }

    /** The clock {@link #clock()} gives from now on (the machines' own times keep the system's). */
    void clock(Clock c) {
        clock = c;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized List<Machine> machines() {
        return List.copyOf(machines.values());
    }

    @Override
    public synchronized Optional<Machine> machine(String name) {
        return Optional.ofNullable(machines.get(name));
    }

    @Override
    public AutoCloseable subscribe(EventSink listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    @Override
    public void close() {
        machines().forEach(Machine::stop);
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }
}
