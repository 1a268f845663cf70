package dev.tend.cli;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run for the agent's class-data-sharing archive, {@code tend-agent.jsa} (built in {@code package},
 * used by {@code bin/tend} for {@code tend agent} and {@code tend machine run}): runs {@code tend agent} for a few
 * seconds on a copy of the example machines (the directory given as the first argument, only the machines named by
 * the arguments after it, all of them when none is named; no directory: an empty one) and a throw-away store whose
 * buckets already hold values, so that starting every watcher type of those machines, firing kv watchers, making
 * transitions, running exec watchers, rendering files and answering the control socket load their classes. Not a
 * fleet manager's first install nor a NATS store: the agent maps the whole archive, so every class in it is resident
 * in every agent, and theirs made an idle agent with the examples 65.6 MiB instead of 60.9 (issue 12: at most 64) for
 * a first install on 20 fresh NATS agents 0.7 s sooner on a quiet host (p50 2.19 s against 2.86 s, target 5 s;
 * docs/benchmarks.md). An agent that manages machines or uses NATS loads those classes from the jar. What
 * only the training does runs in JVMs of their own, so that only the agent's classes are recorded: filling the store
 * (this class with {@code --fill STORE}) and the commands an operator sends the agent ({@code tend machine ...} on
 * its socket).
 *
 * <p>The build runs it as {@code java -Xshare:off -XX:DumpLoadedClassList=tend-agent.classlist -cp tend.jar
 * dev.tend.cli.AgentCdsTraining DIR NAME...} with bin/tend's options for the agent, then makes a static archive of
 * exactly the classes listed (the JDK's, Tend's and the libraries'). Output is discarded and failures are ignored:
 * what fails only leaves its classes out of the archive.
 */
public final class AgentCdsTraining {

    /** How long the agent runs once it serves its socket: its machines start and make their first transitions. */
    private static final long RUN_MS = 4_000;
    /** How long the agent may take to serve its socket. */
    private static final long START_MS = 60_000;
    /** The argument that makes this class fill a store ({@link #fill}) rather than train. */
    private static final String FILL = "--fill";

    private AgentCdsTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (System.getProperty(LogbackStatusListener.PROPERTY) == null) {
            System.setProperty(LogbackStatusListener.PROPERTY, LogbackStatusListener.class.getName());
        }
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true));
        System.setErr(new PrintStream(OutputStream.nullOutputStream(), true));
        System.setIn(InputStream.nullInputStream());
        if (args.length == 2 && args[0].equals(FILL)) {
            fill(Path.of(args[1]));
            System.exit(0);
        }
        try {
            Class.forName(Main.class.getName());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        Path dir = Files.createTempDirectory("tend-cds-agent-training");
        try {
            train(dir, args.length > 0 ? Path.of(args[0]) : null, List.of(args).subList(Math.min(1, args.length),
                    args.length));
        } catch (IOException | RuntimeException | LinkageError e) {
            // Training only.
        }
        // Removed under the running agent (its hook, which stops it and halts the JVM, may not wait for another);
        // the JVM writes the archive as it halts.
        deleteTree(dir);
        System.exit(0);
    }

    private static void train(Path dir, Path examples, List<String> names) throws IOException, InterruptedException {
        Path machines = Files.createDirectories(dir.resolve("machines"));
        if (examples != null && Files.isDirectory(examples)) {
            if (names.isEmpty()) {
                copyTree(examples, machines);
            }
            for (String name : names) {
                Path machine = examples.resolve(name);
                if (Files.isDirectory(machine)) {
                    copyTree(machine, machines.resolve(name));
                }
            }
        }
        Path store = dir.resolve("kv");
        // Filled by a JVM of its own: the agent does not write to the store, and the classes that do stay out.
        run(List.of(AgentCdsTraining.class.getName(), FILL, store.toString()), Map.of(),
                System.currentTimeMillis() + START_MS);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TEND_STORE", store.toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString()); // no operator's tend.yaml
        env.put("NO_COLOR", "1");
        Path socket = dir.resolve("agent.sock");
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
        Thread agent = new Thread(() -> {
            try {
                new Cli(sink, sink, env).execute("agent", "--machines", machines.toString(),
                        "--state", dir.resolve("state").toString(), "--socket", socket.toString(),
                        "--plugins", dir.resolve("plugins").toString(), "--identity", "training",
                        "--insecure-permissions");
            } catch (RuntimeException | LinkageError e) {
                // Training only.
            }
        }, "tend-cds-training-agent");
        agent.setDaemon(true);
        agent.start();
        // The socket is served before any machine starts; on a loaded build machine that can take longer than the
        // whole run does on a quiet one, and an archive recorded too early leaves out what the machines load.
        long startBy = System.currentTimeMillis() + START_MS;
        while (!Files.exists(socket) && System.currentTimeMillis() < startBy && agent.isAlive()) {
            Thread.sleep(20);
        }
        long deadline = System.currentTimeMillis() + RUN_MS;
        // What an operator asks a running agent through its socket, served by the agent's side of it; the client
        // is the CLI in a JVM of its own, as an operator runs it.
        for (List<String> command : List.of(List.of("machine", "list"), List.of("machine", "info", "deployer"),
                List.of("machine", "transition", "maintenance", "maintenance"))) {
            List<String> argv = new ArrayList<>(List.of(Main.class.getName()));
            argv.addAll(command);
            argv.addAll(List.of("--socket", socket.toString()));
            run(argv, env, deadline + START_MS);
        }
        long left = deadline - System.currentTimeMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    /** The training's buckets, in the store at {@code store}: what the example machines' kv watchers read. */
    private static void fill(Path store) {
        try (KvStore s = KvStore.builder().directory(store).durability(Durability.RELAXED).build()) {
            Bucket cfg = s.create(BucketConfig.builder("CFG").history(5).build());
            cfg.put("username", "training".getBytes(StandardCharsets.UTF_8));
            Bucket fleet = s.create(BucketConfig.builder("FLEET").build());
            fleet.put("nodes.node1", "{\"role\":\"web\"}".getBytes(StandardCharsets.UTF_8));
            Bucket motd = s.create(BucketConfig.builder("MOTD").build());
            motd.put("banner", "training".getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // Training only.
        }
    }

    /**
     * Runs {@code java MAIN ARGS...} on this JVM's class path in a process of its own (environment {@code env}, or
     * this process's when empty), output discarded, until it exits or {@code until} (ms since the epoch) passes.
     */
    private static void run(List<String> mainAndArgs, Map<String, String> env, long until)
            throws InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path")));
        argv.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (!env.isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return; // Training only.
        }
        if (!p.waitFor(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A temporary directory left behind.
        }
    }
}
