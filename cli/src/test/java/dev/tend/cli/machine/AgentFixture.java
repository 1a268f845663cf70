package dev.tend.cli.machine;

import dev.tend.cli.Cli;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.Problem;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.control.ControlServer;
import dev.tend.machine.control.RunningMachines;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.EventSink;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

/**
 * A small agent for CLI tests: real engine machines behind a real {@link ControlServer} on a temp socket, and
 * {@link #tend} to run the CLI in-process against it ({@code TZ=UTC}, no colour).
 */
final class AgentFixture implements RunningMachines, AutoCloseable {

    /** What one run gave. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** A watcher type with fixed state fields, so info has something to show. */
    static final class ProbeFactory implements WatcherFactory {
        @Override
        public String type() {
            return "probe";
        }

        @Override
        public List<PropertySpec> properties() {
            return List.of();
        }

        @Override
        public Watcher create(WatcherContext context) {
            return new Watcher() {
                @Override
                public void start() {
                }

                @Override
                public void stateChanged() {
                }

                @Override
                public void stop() {
                }

                @Override
                public Map<String, Object> currentState() {
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("checks", 3);
                    state.put("last_outcome", "ok");
                    state.put("tags", List.of("a", "b"));
                    return state;
                }
            };
        }
    }

    final Path dir;
    final Path socket;
    final Map<String, String> env = new HashMap<>();
    private final Map<String, Machine> machines = new TreeMap<>();
    private final Set<EventSink> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "test-agent-scheduler"));
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> new Thread(r, "test-agent-blocking"));
    private final MachineEnvironment environment;
    private ControlServer server;

    AgentFixture(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("run/agent.sock");
        env.put("NO_COLOR", "1");
        env.put("TZ", "UTC");
        env.put("HOME", dir.resolve("home").toString());
        environment = MachineEnvironment.builder()
                .identity("node1")
                .watchers(WatcherRegistry.of(List.of(new ProbeFactory())))
                .stateDirectory(dir.resolve("state"))
                .events(e -> subscribers.forEach(s -> s.publish(e)))
                .scheduler(scheduler)
                .blockingExecutor(blocking)
                .build();
    }

    /** Starts the control server with machines alpha (a probe watcher, active in "on") and beta. */
    AgentFixture start() throws IOException {
        add("beta", List.of());
        add("alpha", List.of(new WatcherDefinition("check", "probe", List.of("on"), List.of(), "", "", Duration.ZERO,
                Duration.ZERO, null, 9)));
        server = ControlServer.start(socket, this);
        return this;
    }

    private void add(String name, List<WatcherDefinition> watchers) {
        add(name, watchers, List.of());
    }

    /** Adds a machine like beta whose file loaded with these warnings. */
    void addWarned(String name, List<Problem> warnings) {
        add(name, List.of(), warnings);
    }

    private void add(String name, List<WatcherDefinition> watchers, List<Problem> warnings) {
        MachineDefinition def = new MachineDefinition(name, "1.0.0", "off", Duration.ZERO, List.of(
                new TransitionDefinition("on", List.of("off"), "on", "", List.of()),
                new TransitionDefinition("off", List.of("on"), "off", "", List.of()),
                new TransitionDefinition("break", List.of("off"), "broken", "", List.of())),
                watchers, dir.resolve("machines").resolve(name), "0".repeat(64), warnings);
        Machine m = Machines.create(def, environment);
        m.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (m.status().startTime() == null) { // the engine starts machines on its scheduler
            if (System.nanoTime() > deadline) {
                throw new AssertionError("machine " + name + " did not start");
            }
            sleep(5);
        }
        synchronized (this) {
            machines.put(name, m);
        }
    }

    Machine get(String name) {
        return machine(name).orElseThrow();
    }

    /** Stops the control server only (the agent "stops"). */
    void stopServer() {
        server.close();
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** {@code tend args...} in-process, with this fixture's environment. */
    Result tend(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new ByteArrayInputStream(new byte[0]), out, err, env, q -> null).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** As {@link #tend}, with every command line read by picocli (no fast path). */
    Result tendPicocli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new ByteArrayInputStream(new byte[0]), out, err, env, q -> null).withoutFastPaths()
                .execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A {@code tend} run in the background whose output can be watched while it runs. */
    final class Running {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final java.util.concurrent.CompletableFuture<Integer> code;

        private Running(String... args) {
            code = java.util.concurrent.CompletableFuture.supplyAsync(() -> new Cli(
                    new ByteArrayInputStream(new byte[0]), out, err, env, q -> null).execute(args));
        }

        /** Waits until standard output has {@code n} lines. */
        void awaitLines(int n) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (out.toString(StandardCharsets.UTF_8).lines().count() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("fewer than " + n + " lines within 20 s: " + out);
                }
                sleep(10);
            }
        }

        Result await() throws Exception {
            int c = code.get(30, TimeUnit.SECONDS);
            return new Result(c, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    Running background(String... args) {
        return new Running(args);
    }

    /** {@code tend machine SUBCOMMAND --socket <this socket> args...} */
    Result tendMachine(String subcommand, String... args) {
        List<String> all = new ArrayList<>(List.of("machine", subcommand, "--socket", socket.toString()));
        all.addAll(List.of(args));
        return tend(all.toArray(String[]::new));
    }

    void publish(MachineEvent event) {
        subscribers.forEach(s -> s.publish(event));
    }

    @Override
    public String identity() {
        return "node1";
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
        if (server != null) {
            server.close();
        }
        machines().forEach(Machine::stop);
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
