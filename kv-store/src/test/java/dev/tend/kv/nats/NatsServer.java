package dev.tend.kv.nats;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nats-server -js} process on a free loopback port with its own temporary store directory. Tests
 * need the binary: without it they fail (CI installs Debian's nats-server), they do not skip.
 */
public final class NatsServer implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 20_000;
    private static final int START_ATTEMPTS = 3;

    private final List<String> command;
    private final Path dir;
    private final int port;
    private Process process;

    private NatsServer(List<String> command, Process process, Path dir, int port) {
        this.command = command;
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server with the {@code nats-server} found on the PATH (or in /usr/sbin, where Debian puts it). */
    public static NatsServer start() {
        return start(locateBinary(), "");
    }

    /**
     * Starts a server whose config file has {@code extraConfig} (nats-server config syntax, e.g. an
     * {@code authorization} or {@code tls} block) after the generated listen address and JetStream directory.
     */
    public static NatsServer startWithConfig(String extraConfig) {
        return start(locateBinary(), extraConfig);
    }

    static NatsServer start(Path binary) {
        return start(binary, "");
    }

    private static NatsServer start(Path binary, String extraConfig) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("nats-server not found at " + binary + ": install it (apt-get install"
                    + " nats-server) to run the NATS tests");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("tend-nats-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        // A free port can be taken by another process between finding and binding it: retry on another one.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            Path log = dir.resolve("server-" + attempt + ".log");
            try {
                Path config = dir.resolve("server-" + attempt + ".conf");
                Files.writeString(config, "listen: \"127.0.0.1:" + port + "\"\njetstream {\n  store_dir: \""
                        + dir.resolve("jetstream") + "\"\n}\n" + extraConfig + "\n");
                List<String> command = List.of(binary.toString(), "-c", config.toString());
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                NatsServer server = new NatsServer(command, p, dir, port);
                if (awaitPort(p, port)) {
                    return server;
                }
                server.stopProcess();
                last = new IllegalStateException("nats-server did not start on port " + port + ": " + tail(log));
            } catch (IOException e) {
                last = new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
            }
        }
        deleteTree(dir);
        throw last;
    }

    public static Path locateBinary() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/usr/local/bin");
        for (String d : dirs) {
            if (!d.isEmpty()) {
                Path candidate = Path.of(d, "nats-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("nats-server is not installed (not on the PATH nor in /usr/sbin): the NATS"
                + " tests need it; install it with apt-get install nats-server");
    }

    /** The server's client URL. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's own directory (config, log, JetStream store); removed on close. */
    public Path dir() {
        return dir;
    }

    /** Polls until the port accepts connections (the server enables JetStream before it listens). */
    static boolean awaitPort(Process process, int port) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Stops the server process (an outage); its port, config and JetStream directory stay for {@link #restart()}. */
    public synchronized void stop() {
        stopProcess();
    }

    /** Starts the server again on the same port with the same config and JetStream directory. */
    public synchronized void restart() {
        stopProcess();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server-restarted.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!awaitPort(process, port)) {
            throw new IllegalStateException("nats-server did not start again on port " + port + ": "
                    + tail(dir.resolve("server-restarted.log")));
        }
    }

    @Override
    public synchronized void close() {
        stopProcess();
        deleteTree(dir);
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
