package dev.tend.kv.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.Replica;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Three (or more) real {@code nats-server -js} processes clustered on loopback: each has its own client port,
 * cluster port, server name and JetStream store directory, and routes to the others. {@link #start()} returns once
 * every node answers JetStream API requests, i.e. the meta leader is elected. Nodes can be killed, stopped and
 * restarted on the same ports and store directories.
 */
public final class NatsCluster implements AutoCloseable {
    /** The cluster name every node shares. */
    public static final String NAME = "tend-test";
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final List<Node> nodes;

    private NatsCluster(Path binary, Path dir, List<Node> nodes) {
        this.binary = binary;
        this.dir = dir;
        this.nodes = nodes;
    }

    /** Starts a three-node cluster. */
    public static NatsCluster start() {
        return start(3);
    }

    public static NatsCluster start(int size) {
        Path binary = NatsServer.locateBinary();
        Path dir;
        try {
            dir = Files.createTempDirectory("tend-nats-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        // A free port can be taken between finding and binding it: start the whole cluster again on other ports.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            NatsCluster cluster = new NatsCluster(binary, dir, configure(dir, size, attempt));
            try {
                for (int i = 0; i < size; i++) {
                    cluster.launch(i);
                }
                cluster.awaitJetStream(IntStream.range(0, size).toArray());
                cluster.awaitPlacement();
                return cluster;
            } catch (IllegalStateException e) {
                last = e;
                cluster.stopAll();
            }
        }
        NatsServer.deleteTree(dir);
        throw last;
    }

    private static List<Node> configure(Path dir, int size, int attempt) {
        Set<Integer> ports = new HashSet<>();
        while (ports.size() < 2 * size) {
            ports.add(NatsServer.freePort());
        }
        List<Integer> free = new ArrayList<>(ports);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Path nodeDir = dir.resolve("n" + (i + 1));
            nodes.add(new Node("n" + (i + 1), free.get(2 * i), free.get(2 * i + 1), nodeDir,
                    nodeDir.resolve("server-" + attempt + ".conf"), nodeDir.resolve("server-" + attempt + ".log")));
        }
        for (Node n : nodes) {
            String routes = nodes.stream().filter(o -> o != n)
                    .map(o -> "\"nats-route://127.0.0.1:" + o.clusterPort + "\"").collect(Collectors.joining(", "));
            String config = "server_name: \"" + n.name + "\"\n"
                    + "listen: \"127.0.0.1:" + n.clientPort + "\"\n"
                    + "jetstream {\n  store_dir: \"" + n.dir.resolve("jetstream") + "\"\n}\n"
                    + "cluster {\n  name: \"" + NAME + "\"\n  listen: \"127.0.0.1:" + n.clusterPort + "\"\n"
                    + "  routes: [" + routes + "]\n}\n";
            try {
                Files.createDirectories(n.dir);
                Files.writeString(n.config, config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return nodes;
    }

    public int size() {
        return nodes.size();
    }

    /** The URL of every node, e.g. {@code nats://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}. */
    public String url() {
        return url(IntStream.range(0, nodes.size()).toArray());
    }

    /** The URL of the given nodes (0-based) only. */
    public String url(int... indexes) {
        return "nats://" + IntStream.of(indexes).mapToObj(i -> "127.0.0.1:" + nodes.get(i).clientPort)
                .collect(Collectors.joining(","));
    }

    /** The URL of every node but the given one. */
    public String urlWithout(int index) {
        return url(IntStream.range(0, nodes.size()).filter(i -> i != index).toArray());
    }

    /** The node's server name ({@code n1}, {@code n2}, ...). */
    public String serverName(int index) {
        return nodes.get(index).name;
    }

    /** The index of the node with this server name. */
    public int indexOf(String serverName) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name.equals(serverName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node named " + serverName);
    }

    public boolean isRunning(int index) {
        Process p = nodes.get(index).process;
        return p != null && p.isAlive();
    }

    /** SIGKILL: the node dies at once, without a clean shutdown. */
    public void kill(int index) {
        Process p = nodes.get(index).process;
        p.destroyForcibly();
        waitForExit(p);
    }

    /** SIGTERM: the node shuts down cleanly. */
    public void stop(int index) {
        Node n = nodes.get(index);
        n.stopProcess();
    }

    /** Starts a stopped or killed node again, on the same ports and store directory, and waits for JetStream. */
    public void restart(int index) {
        if (isRunning(index)) {
            throw new IllegalStateException("node " + serverName(index) + " is running");
        }
        launch(index);
        awaitJetStream(index);
        awaitPlacement();
    }

    /** The index of the node that leads the stream now, polling until it has a leader. */
    public int leaderOf(String stream) {
        return indexOf(awaitStream(stream, "a leader", (info, c) -> c.getLeader() != null).getClusterInfo()
                .getLeader());
    }

    /**
     * Polls until the stream has a leader and every replica is online and current with no lag, so that a direct
     * get any replica answers sees every write acknowledged so far.
     */
    public void awaitStreamCurrent(String stream) {
        awaitStream(stream, "all replicas current", (info, c) -> {
            if (c.getLeader() == null || c.getReplicas() == null
                    || c.getReplicas().size() != info.getConfiguration().getReplicas() - 1) {
                return false;
            }
            for (Replica r : c.getReplicas()) {
                if (!r.isCurrent() || r.isOffline() || r.getLag() != 0) {
                    return false;
                }
            }
            return true;
        });
    }

    private interface StreamCondition {
        boolean test(StreamInfo info, ClusterInfo cluster);
    }

    private StreamInfo awaitStream(String stream, String what, StreamCondition condition) {
        int[] running = IntStream.range(0, nodes.size()).filter(this::isRunning).toArray();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastSeen = "no answer";
        try (Connection c = connect(url(running))) {
            JetStreamManagement jsm = c.jetStreamManagement();
            while (System.nanoTime() < deadline) {
                try {
                    StreamInfo info = jsm.getStreamInfo(stream);
                    ClusterInfo cluster = info.getClusterInfo();
                    if (cluster != null && condition.test(info, cluster)) {
                        return info;
                    }
                    lastSeen = cluster == null ? "no cluster info" : "leader " + cluster.getLeader() + ", replicas "
                            + cluster.getReplicas();
                } catch (IOException | JetStreamApiException e) {
                    lastSeen = e.getMessage();
                }
                sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            lastSeen = e.getMessage();
        }
        throw new IllegalStateException("stream " + stream + " did not get " + what + ": " + lastSeen);
    }

    /** Each node's state, last leadership changes and last log lines, for a failure's message. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            sb.append('\n').append(n.name).append(isRunning(i) ? " (running): " : " (down): ")
                    .append(notable(n.log));
        }
        return sb.toString();
    }

    /** The last log lines but the route retries a stopped node causes. */
    private static String notable(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream()
                    .filter(l -> !l.contains("Error trying to connect to route") && !l.contains("Duplicate Route")
                            && !l.contains("Route connection created")).toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        stopAll();
        NatsServer.deleteTree(dir);
    }

    private void stopAll() {
        for (Node n : nodes) {
            n.stopProcess();
        }
    }

    private void launch(int index) {
        Node n = nodes.get(index);
        try {
            n.process = new ProcessBuilder(binary.toString(), "-c", n.config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(n.log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        if (!NatsServer.awaitPort(n.process, n.clientPort)) {
            throw new IllegalStateException("nats-server " + n.name + " did not start on port " + n.clientPort + ": "
                    + NatsServer.tail(n.log));
        }
    }

    /** Polls each node alone until it answers a JetStream account request, which needs an elected meta leader. */
    private void awaitJetStream(int... indexes) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (int i : indexes) {
            String lastSeen = "no answer";
            boolean ready = false;
            while (!ready && System.nanoTime() < deadline) {
                try (Connection c = connect(url(i))) {
                    c.jetStreamManagement().getAccountStatistics();
                    ready = true;
                } catch (IOException | JetStreamApiException e) {
                    lastSeen = e.getMessage();
                    sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for JetStream", e);
                }
            }
            if (!ready) {
                throw new IllegalStateException("JetStream on " + serverName(i) + " did not become ready: "
                        + lastSeen + " | " + NatsServer.tail(nodes.get(i).log));
            }
        }
    }

    /**
     * Polls until a stream with a replica on every node can be created: the meta leader answers requests before it
     * knows every peer is up, and refuses such a stream until then ("no suitable peers for placement").
     */
    private void awaitPlacement() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastSeen = "no answer";
        String probe = "tend_cluster_probe_" + System.nanoTime();
        try (Connection c = connect(url())) {
            JetStreamManagement jsm = c.jetStreamManagement();
            while (System.nanoTime() < deadline) {
                try {
                    jsm.addStream(StreamConfiguration.builder().name(probe).subjects("tend.probe." + probe)
                            .storageType(StorageType.Memory).replicas(nodes.size()).build());
                    jsm.deleteStream(probe);
                    return;
                } catch (IOException | JetStreamApiException e) {
                    lastSeen = e.getMessage();
                }
                sleep(100);
            }
        } catch (IOException e) {
            lastSeen = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the cluster cannot place a stream on all " + nodes.size() + " nodes: "
                + lastSeen + describe());
    }

    private static Connection connect(String url) throws IOException, InterruptedException {
        return Nats.connect(Options.builder().server(url).noReconnect().connectionTimeout(Duration.ofSeconds(2))
                .errorListener(new ErrorListener() {
                }).build());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void waitForExit(Process p) {
        try {
            p.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Node {
        final String name;
        final int clientPort;
        final int clusterPort;
        final Path dir;
        final Path config;
        final Path log;
        Process process;

        Node(String name, int clientPort, int clusterPort, Path dir, Path config, Path log) {
            this.name = name;
            this.clientPort = clientPort;
            this.clusterPort = clusterPort;
            this.dir = dir;
            this.config = config;
            this.log = log;
        }

        void stopProcess() {
            if (process == null || !process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
