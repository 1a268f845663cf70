package dev.tend.machine.agent;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineHost;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.Subscription;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.control.RunningMachines;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.EventSink;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.spi.AgentHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Machines that run side by side in one process and are each other's {@link MachineHost}: foreign states are looked up
 * among them and a transition is forwarded to every machine whose transitions {@code subscribe} to it. The agent keeps
 * its machines in one; {@code tend machine run} runs a fixed set in one. Names are unique within a group.
 *
 * <p>Threads: the executors the settings do not give are made here, all named {@code <prefix>-...-n}: the scheduler
 * ({@code -scheduler-n}, one thread per processor, 2 to 8), the watchers' lanes ({@code -lane-n}, as many, made when
 * work comes and ended after a minute idle), the blocking pool for work that ends soon ({@code -blocking-n}, at most
 * {@link MachineSettings#blockingThreads()}, the rest queues) and the threads of long waits ({@code -wait-n}, one per
 * command waiting for its child and per output pump, none when idle). When the blocking executor is given, lanes and
 * waits run on it unless given apart. Work that waits more than 5 s for a thread of the lanes' or the blocking pool
 * is logged once, as a WARN.
 *
 * <p>Thread-safe. {@link #close()} stops every machine, then the threads the group created; executors given in the
 * settings are left to their owner.
 */
public final class MachineGroup implements RunningMachines, MachineHost, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MachineGroup.class);
    private static final Duration EXECUTOR_GRACE = Duration.ofSeconds(10);
    /** The most threads of the scheduler and of the lanes' pool: their tasks are short and never wait. */
    static final int MAX_CPU_THREADS = 8;
    /** How long a pool's idle thread lives. */
    private static final Duration IDLE = Duration.ofSeconds(60);
    /** How long work may wait for a bounded pool's thread before a warning (once). */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    /** A transition of a machine in this group that fires when another machine's event does. */
    private record Target(String machine, String transition) {
    }

    private final MachineEnvironment environment;
    private final List<ExecutorService> owned;
    private final ConcurrentSkipListMap<String, Machine> machines = new ConcurrentSkipListMap<>();
    private final ConcurrentMap<Subscription, Set<Target>> subscribers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<EventSink> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** When the last event of a machine here was published; at first, when the group was made. */
    private volatile Instant lastActivity;

    private MachineGroup(MachineSettings settings, String threadPrefix) {
        List<ExecutorService> created = new ArrayList<>();
        int cpuThreads = cpuThreads(Runtime.getRuntime().availableProcessors());
        ScheduledExecutorService scheduler = settings.scheduler().orElseGet(() -> {
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(cpuThreads,
                    new NamedThreads(threadPrefix + "-scheduler"));
            pool.setRemoveOnCancelPolicy(true); // machines cancel timers all the time; do not keep them queued
            created.add(pool);
            return pool;
        });
        Optional<Executor> given = settings.blockingExecutor();
        Executor blocking = given.orElseGet(() -> {
            BoundedPool pool = new BoundedPool(threadPrefix + "-blocking", settings.blockingThreads(), IDLE, PATIENCE,
                    System::nanoTime, "if it lasts, give it more threads (tend agent --blocking-threads N)");
            created.add(pool);
            return pool;
        });
        Executor lanes = settings.laneExecutor().or(() -> given).orElseGet(() -> {
            BoundedPool pool = new BoundedPool(threadPrefix + "-lane", cpuThreads, IDLE, PATIENCE, System::nanoTime,
                    "a watcher is waiting in a lane task, which it must not do (a thread dump shows which)");
            created.add(pool);
            return pool;
        });
        Executor waits = settings.waitExecutor().or(() -> given).orElseGet(() -> {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE.toSeconds(), TimeUnit.SECONDS,
                    new SynchronousQueue<>(), new NamedThreads(threadPrefix + "-wait"));
            created.add(pool);
            return pool;
        });
        this.owned = List.copyOf(created);
        this.lastActivity = settings.clock().instant();
        this.environment = new MachineEnvironment(settings.withExecutors(scheduler, blocking, lanes, waits)
                .withEvents(this::publishToListeners), this);
    }

    /** The scheduler's and the lanes' threads for {@code cpus} processors: 2 to 8, one per processor. */
    static int cpuThreads(int cpus) {
        return Math.max(2, Math.min(cpus, MAX_CPU_THREADS));
    }

    /**
     * A group of no machines yet, sharing {@code settings}; the executors the settings do not give are made here, in
     * threads named {@code <threadPrefix>-scheduler-n}, {@code -lane-n}, {@code -blocking-n} and {@code -wait-n}
     * (e.g. {@code tend-agent}).
     */
    public static MachineGroup create(MachineSettings settings, String threadPrefix) {
        return new MachineGroup(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(threadPrefix, "threadPrefix"));
    }

    /** What every machine of this group gets. */
    @Override
    public java.time.Clock clock() {
        return environment().clock();
    }

    public MachineEnvironment environment() {
        return environment;
    }

    /**
     * Creates the machine of {@code definition} in this group, not started yet.
     *
     * @throws DuplicateMachineException when a machine of that name is already in the group
     * @throws IllegalStateException     after {@link #close()}
     */
    public Machine add(MachineDefinition definition) throws DuplicateMachineException {
        if (closed) {
            throw new IllegalStateException("the machines were closed");
        }
        Machine existing = machines.get(definition.name());
        if (existing != null) {
            throw new DuplicateMachineException(definition, existing.definition());
        }
        Machine machine = Machines.create(definition, environment);
        if (machines.putIfAbsent(definition.name(), machine) != null) {
            throw new DuplicateMachineException(definition, machines.get(definition.name()).definition());
        }
        for (TransitionDefinition t : definition.transitions()) {
            for (Subscription s : t.subscribe()) {
                subscribers.computeIfAbsent(s, k -> ConcurrentHashMap.newKeySet())
                        .add(new Target(definition.name(), t.name()));
            }
        }
        return machine;
    }

    /** Stops the machine named {@code name} and takes it out of the group (it is reloaded or the group shrinks). */
    public Optional<Machine> remove(String name) {
        return take(name).map(m -> {
            m.stop();
            return m;
        });
    }

    /** Like {@link #remove}, with the watchers' delete hooks: the machine's directory is gone. */
    public Optional<Machine> delete(String name) {
        return take(name).map(m -> {
            m.delete();
            return m;
        });
    }

    private Optional<Machine> take(String name) {
        Machine machine = machines.remove(name);
        if (machine == null) {
            return Optional.empty();
        }
        for (TransitionDefinition t : machine.definition().transitions()) {
            for (Subscription s : t.subscribe()) {
                subscribers.computeIfPresent(s, (k, targets) -> {
                    targets.remove(new Target(name, t.name()));
                    return targets.isEmpty() ? null : targets;
                });
            }
        }
        return Optional.of(machine);
    }

    public int size() {
        return machines.size();
    }

    /** How many (machine, event) pairs some machine of the group subscribes to (for tests). */
    int subscriptionCount() {
        return subscribers.size();
    }

    @Override
    public String identity() {
        return environment.identity();
    }

    @Override
    public boolean noop() {
        return environment.noop();
    }

    @Override
    public List<Machine> machines() {
        return List.copyOf(machines.values());
    }

    @Override
    public Optional<Machine> machine(String name) {
        return Optional.ofNullable(machines.get(name));
    }

    @Override
    public AutoCloseable subscribe(EventSink listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void publishToListeners(MachineEvent event) {
        lastActivity = environment.clock().instant();
        for (EventSink listener : listeners) {
            try {
                listener.publish(event);
            } catch (RuntimeException e) {
                // A listener must not break the machine that published; it has been told it must not throw.
                LOG.warn("an event listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public Optional<AgentHealth> health() {
        return Optional.of(new AgentHealth(machines.size(), lastActivity));
    }

    @Override
    public Optional<String> stateOf(String machineName) {
        Machine machine = machines.get(machineName);
        return machine == null ? Optional.empty() : Optional.of(machine.state());
    }

    /** Forwards the event on the scheduler (never on the machine's own thread) to every subscribed transition. */
    @Override
    public void transitioned(TransitionEvent event) {
        Set<Target> targets = subscribers.get(new Subscription(event.machine(), event.transition()));
        if (targets == null || targets.isEmpty() || closed) {
            return;
        }
        try {
            environment.scheduler().execute(() -> {
                for (Target target : targets) {
                    Machine machine = machines.get(target.machine());
                    if (machine != null) {
                        LOG.debug("{} fires {} because {} fired {}", target.machine(), target.transition(),
                                event.machine(), event.transition());
                        machine.fire(target.transition());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("not forwarding {}: the machines are stopping", event);
        }
    }

    /** Stops every machine, then the threads this group created. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String name : new ArrayList<>(machines.keySet())) {
            try {
                remove(name);
            } catch (RuntimeException e) {
                LOG.warn("machine {} did not stop cleanly: {}", name, e.toString());
            }
        }
        listeners.clear();
        for (ExecutorService executor : owned) {
            executor.shutdown();
        }
        for (ExecutorService executor : owned) {
            try {
                if (!executor.awaitTermination(EXECUTOR_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("machine threads still busy after {}s; interrupting them", EXECUTOR_GRACE.toSeconds());
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
