package dev.tend.cli;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.Agent;
import dev.tend.machine.agent.AgentException;
import dev.tend.machine.control.ControlServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run for tend's class-data-sharing archive, {@code tend.jsa} (built in {@code package}, used by
 * {@code bin/tend}): runs typical commands on a throw-away store so the classes they load are archived. The build
 * runs it as {@code java -XX:ArchiveClassesAtExit=tend.jsa -cp tend.jar dev.tend.cli.CdsTraining}; the JVM writes the
 * archive when this exits. Output is discarded and failures are ignored: a command that fails only leaves its
 * classes out of the archive.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (System.getProperty(LogbackStatusListener.PROPERTY) == null) {
            System.setProperty(LogbackStatusListener.PROPERTY, LogbackStatusListener.class.getName());
        }
        // Nothing reaches the build's output, and nothing waits for input.
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true));
        System.setErr(new PrintStream(OutputStream.nullOutputStream(), true));
        System.setIn(InputStream.nullInputStream());
        try {
            Class.forName(Main.class.getName()); // the launcher's main class, archived too (never run here)
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        Path dir = Files.createTempDirectory("tend-cds-training");
        try {
            train(dir.resolve("kv"));
            trainMachines(dir.resolve("agent"));
        } finally {
            deleteTree(dir);
        }
        System.exit(0);
    }

    private static void train(Path store) {
        // A bucket big enough (> 4 MiB of log) for its index snapshot to be written on close and read on open.
        try (KvStore s = KvStore.builder().directory(store).durability(Durability.RELAXED).build()) {
            Bucket big = s.create(BucketConfig.builder("BIG").history(5).build());
            byte[] value = new byte[64 * 1024];
            for (int i = 0; i < 80; i++) {
                big.put("key." + i, value);
            }
        } catch (RuntimeException e) {
            // Training only.
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TEND_STORE", store.toString());
        env.put("NO_COLOR", "1");
        List<String[]> commands = List.of(
                new String[] {"--version"},
                new String[] {"--help"},
                new String[] {"kv", "--help"},
                new String[] {"kv", "get", "BIG", "key.1", "--raw"},
                new String[] {"kv", "add", "CFG", "--history", "5"},
                new String[] {"kv", "add", "SIZED", "--max-bucket-size", "1MiB", "--max-value-size", "10KiB"},
                new String[] {"kv", "put", "CFG", "username", "myservice"},
                new String[] {"kv", "create", "CFG", "other", "v"},
                new String[] {"kv", "update", "CFG", "other", "v2", "--revision", "2"},
                new String[] {"kv", "del", "CFG", "other", "-f"},
                new String[] {"kv", "get", "CFG", "username", "--raw"},
                new String[] {"kv", "get", "CFG", "username"},
                new String[] {"kv", "get", "CFG", "username", "--json"},
                new String[] {"kv", "get", "CFG", "nope"},
                new String[] {"kv", "history", "CFG", "username"},
                new String[] {"kv", "keys", "CFG"},
                new String[] {"kv", "keys", "BIG"},
                new String[] {"kv", "info", "CFG"},
                new String[] {"kv", "ls"},
                new String[] {"kv", "nosuchcommand"},
                new String[] {"machine", "list", "--socket", store.resolve("no-agent.sock").toString()});
        run(env, commands);
        // The socket from a config file's socket: (no --socket), as an installed node's operators run it.
        try {
            Path config = store.resolveSibling("config");
            Files.createDirectories(config.resolve("tend"));
            Files.writeString(config.resolve("tend").resolve("tend.yaml"), "# training\nsocket: "
                    + store.resolve("no-agent.sock") + "\n");
            Map<String, String> configured = new HashMap<>(env);
            configured.put("XDG_CONFIG_HOME", config.toString());
            run(configured, List.<String[]>of(new String[] {"machine", "list"}));
        } catch (IOException e) {
            // Training only.
        }
    }

    /**
     * {@code tend machine list}, {@code info} and {@code transition} against a real control socket, served by an
     * agent in this process on one machine (whose schedule never fires in the run), so that the client's classes (the
     * socket channel, the protocol's lines, the blocks printed) are archived too.
     */
    private static void trainMachines(Path dir) {
        Path socket = dir.resolve("agent.sock");
        try {
            Path machine = dir.resolve("machines").resolve("ping");
            Files.createDirectories(machine);
            Files.writeString(machine.resolve("machine.yaml"), """
                    name: ping
                    version: "1.0.0"
                    initial_state: IDLE
                    transitions:
                      - name: poke
                        from: [IDLE]
                        destination: IDLE
                    watchers:
                      - name: tick
                        type: schedule
                        state_match: [IDLE]
                        success_transition: poke
                        properties:
                          schedules: ["0 0 1 1 *"]
                          duration: 1m
                    """);
            MachineSettings settings = MachineSettings.builder().identity("training")
                    .watchers(WatcherRegistry.load(CdsTraining.class.getClassLoader()))
                    .stateDirectory(dir.resolve("state")).build();
            try (Agent agent = Agent.builder(settings).machines(dir.resolve("machines")).strictPermissions(false)
                    .watchFileSystem(false).build();
                 ControlServer control = ControlServer.start(socket, agent)) {
                agent.start();
                awaitStarted(agent, "ping");
                Map<String, String> env = new HashMap<>(System.getenv());
                env.put("NO_COLOR", "1");
                String s = socket.toString();
                run(env, List.of(
                        new String[] {"machine", "list", "--socket", s},
                        new String[] {"machine", "list", "--json", "--socket", s},
                        new String[] {"machine", "info", "ping", "--socket", s},
                        new String[] {"machine", "info", "ping", "--json", "--socket", s},
                        new String[] {"machine", "info", "nope", "--socket", s},
                        new String[] {"machine", "transition", "ping", "poke", "--socket", s},
                        new String[] {"machine", "transition", "ping", "nope", "--socket", s}));
                // Times in a zone other than UTC, as on a host whose zone it is: the JDK's formatter and its locale
                // data for the month's and the zone's names (which a UTC time, on the build's host or not, does not
                // load), archived whatever the build host's zone.
                Map<String, String> zoned = new HashMap<>(env);
                zoned.put("TZ", "Europe/Paris");
                run(zoned, List.<String[]>of(new String[] {"machine", "info", "ping", "--socket", s}));
            }
        } catch (IOException | AgentException | RuntimeException e) {
            // Training only.
        }
    }

    /** The engine starts a machine on its scheduler: its start time is set once it runs (a few milliseconds). */
    private static void awaitStarted(Agent agent, String name) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Machine m = agent.machine(name).orElse(null);
            if (m != null && m.status().startTime() != null) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void run(Map<String, String> env, List<String[]> commands) {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
        for (String[] command : commands) {
            try {
                new Cli(sink, sink, env).execute(command);
            } catch (RuntimeException | LinkageError e) {
                // Training only.
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
