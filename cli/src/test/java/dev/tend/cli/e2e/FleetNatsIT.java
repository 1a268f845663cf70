package dev.tend.cli.e2e;

import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet end to end on real parts: one nats-server on loopback, three {@code tend agent --manage-machines} processes
 * with their own identity, facts, state, socket and machines directory, and {@code tend fleet publish} of a machine
 * packed into {@code kv://} and of one served over {@code http://} by a JDK {@code HttpServer} on loopback. The
 * machines run on exactly the nodes their {@code match} accepts; a new version replaces them; an entry removed is
 * purged; a specification signed with another key, a wrong checksum, a {@code ../} entry, an oversized archive and an
 * unreachable source change nothing on the nodes and each says why in an event, the log and {@code tend machine info}.
 * {@link FleetEmbeddedIT} runs the same flow on one node with the embedded store.
 */
class FleetNatsIT {

    /** The archive watcher's limit (ArchiveLimits.DEFAULT): 64 MiB; the test only announces it, never sends it. */
    private static final long LIMIT = 64L << 20;

    @TempDir
    Path tmp;

    private Tend tend;
    private HttpServer http;
    private final List<Node> nodes = new ArrayList<>();

    /**
     * A node to start: its identity and facts. {@code hello} is published for {@code role: web}, {@code solo} and the
     * bad entries for {@code zone: a}.
     */
    record NodeSpec(String identity, String role, String zone) {
        boolean web() {
            return role.equals("web");
        }

        boolean zoneA() {
            return zone.equals("a");
        }
    }

    Tend.Backend backend() {
        return Tend.Backend.NATS;
    }

    /** Two web nodes in zone b and one db node in zone a: hello runs on two of three nodes, solo on the third. */
    List<NodeSpec> fleet() {
        return List.of(new NodeSpec("web1", "web", "b"), new NodeSpec("web2", "web", "b"),
                new NodeSpec("db1", "db", "a"));
    }

    /** One agent and its own directories. */
    private record Node(NodeSpec spec, Path machines, Path state, Path socket, Tend.Background agent) {
        String identity() {
            return spec.identity();
        }

        String log() {
            try {
                return agent.err();
            } catch (IOException e) {
                return "";
            }
        }

        String events() {
            try {
                Path file = state.resolve("events.jsonl");
                return Files.exists(file) ? Files.readString(file) : "";
            } catch (IOException e) {
                return "";
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        tend = Tend.on(backend(), tmp);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.start();
    }

    @AfterEach
    void tearDown() {
        http.stop(0);
        tend.close();
    }

    // ---- archives and sources

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tar.gz of these entries (a name ending in / is a directory). */
    private static byte[] tarGz(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
                boolean dir = e.getKey().endsWith("/");
                entry.setMode(dir ? 040755 : 0100644);
                if (!dir) {
                    entry.setSize(content.length);
                }
                tar.putArchiveEntry(entry);
                if (!dir) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private String serve(String path, byte[] body) {
        http.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        return url(path);
    }

    /** Announces {@code length} bytes at {@code path}: the client refuses the body from its Content-Length. */
    private String serveAnnouncing(String path, long length) {
        http.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, length);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < length; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, length - sent));
                }
            } catch (IOException e) {
                // the client closed the connection: what the test expects
            }
        });
        return url(path);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    /** A machine directory {@code src/NAME} of {@code version} that waits in IDLE. */
    private Path machine(String name, String version) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("src/" + name));
        Files.writeString(dir.resolve("machine.yaml"), """
                name: %s
                version: %s
                initial_state: IDLE
                transitions:
                  - name: tick
                    from: [IDLE]
                    destination: IDLE
                  - name: wake
                    from: [IDLE]
                    destination: AWAKE
                  - name: rest
                    from: [AWAKE]
                    destination: IDLE
                watchers:
                  - name: ticker
                    type: timer
                    state_match: [IDLE]
                    fail_transition: tick
                    properties:
                      timer: 1h
                """.formatted(name, version));
        return dir;
    }

    /** Packs src/NAME with tend fleet pack; its "checksum" and "verify_checksum" and the archive's bytes. */
    private record Packed(String checksum, String verifyChecksum, byte[] bytes) {
    }

    private Packed pack(String name) throws Exception {
        Path out = tmp.resolve(name + ".tar.gz");
        Tend.Result r = tend.run("fleet", "pack", tmp.resolve("src/" + name).toString(), "-o", out.toString(),
                "--json");
        assertOk(r);
        return new Packed(field(r.out(), "checksum"), field(r.out(), "verify_checksum"), Files.readAllBytes(out));
    }

    private static String field(String json, String name) {
        var m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([0-9a-f]{64})\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    private void publish(String yaml) throws Exception {
        publish(yaml, "keys/fleet.seed");
    }

    private void publish(String yaml, String seed) throws Exception {
        Files.writeString(tmp.resolve("fleet.yaml"), yaml);
        assertOk(tend.run(withStore("fleet", "publish", "fleet.yaml", "--signing-key", seed)));
    }

    /** The arguments with {@code --store URL} added on NATS (the embedded store is the harness's TEND_STORE). */
    private String[] withStore(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (backend() == Tend.Backend.NATS) {
            all.addAll(List.of("--store", tend.storeUrl()));
        }
        return all.toArray(String[]::new);
    }

    // ---- nodes

    private Node node(NodeSpec spec) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("nodes/" + spec.identity()));
        Path machines = Files.createDirectories(home.resolve("machines"));
        Path facts = home.resolve("facts.yaml");
        Files.writeString(facts, "role: " + spec.role() + "\nzone: " + spec.zone() + "\n");
        Path state = home.resolve("state");
        Path socket = home.resolve("agent.sock");
        // 2s: the shortest check interval the agent takes (its manager machines check archives every 10 s at most,
        // but a new specification reaches the data at once through the manager's kv watch).
        Tend.Background agent = tend.start(withStore("agent", "--machines", machines.toString(), "--state",
                state.toString(), "--socket", socket.toString(), "--identity", spec.identity(), "--facts",
                facts.toString(), "--manage-machines", "--machines-signing-key", "keys/fleet.pub",
                "--machines-check-interval", "2s"));
        Node node = new Node(spec, machines, state, socket, agent);
        nodes.add(node);
        return node;
    }

    /** What a node's machines directory holds when it runs what {@code running} names (in name order). */
    private static List<String> installed(String... running) {
        List<String> out = new ArrayList<>(List.of("plugins_manager"));
        for (String name : running) {
            out.add(name);
            out.add("mm_" + name);
        }
        return out.stream().sorted().toList();
    }

    private String list(Node node) {
        try {
            Tend.Result r = tend.run("machine", "list", "--socket", node.socket().toString());
            return r.code() == 0 ? r.out() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** True when the node's agent runs {@code name} of {@code version}, in its IDLE state. */
    private boolean runs(Node node, String name, String version) {
        return Pattern.compile("\\| " + name + " +\\| " + Pattern.quote(version) + " +\\| IDLE ")
                .matcher(list(node)).find();
    }

    private boolean lists(Node node, String name) {
        return Pattern.compile("\\| " + name + " +\\|").matcher(list(node)).find();
    }

    private String info(Node node, String machine) throws Exception {
        Tend.Result r = tend.run("machine", "info", machine, "--socket", node.socket().toString());
        assertThat(r.code()).as(r.describe()).isZero();
        return r.out();
    }

    private static List<String> stateEvents(Node node, String type, String machine) {
        List<String> out = new ArrayList<>();
        for (String line : node.events().split("\n")) {
            if (line.contains("\"type\":\"dev.tend.machine.watcher." + type + ".v1.state\"")
                    && line.contains("\"machine\":\"" + machine + "\"")) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * The machines directory's entries but {@code tmp}, the archive watchers' private download directory (each
     * manager machine's target is the machines directory), which must be empty between downloads.
     */
    private static List<String> names(Path dir) throws IOException, InterruptedException {
        Path tmp = dir.resolve("tmp");
        // A deployment removes its download after the machine is in place, so a machine may already run while its
        // download is being removed: wait for that (a busy host makes it slow), then the directory must be empty.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(tmp) && !isEmpty(tmp) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (Files.exists(tmp)) {
            assertThat(tmp).as("the archive watchers' temporary directory").isEmptyDirectory();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("tmp")).sorted().toList();
        }
    }

    private static boolean isEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return true; // gone meanwhile
        }
    }

    @Test
    void publishedMachinesRunOnTheMatchingNodesAndBadOnesChangeNothing() throws Exception {
        assertThat(tend.run("fleet", "keygen", "keys").code()).isZero();
        machine("hello", "1.0.0");
        machine("solo", "1.0.0");
        Packed solo = pack("solo");
        String soloUrl = serve("/solo-1.0.0.tar.gz", solo.bytes());
        String soloEntry = """
                - name: solo
                  source: %s
                  checksum: %s
                  verify_checksum: %s
                  match: 'get_fact("zone") == "a"'
                """.formatted(soloUrl, solo.checksum(), solo.verifyChecksum());
        String helloEntry = """
                - name: hello
                  directory: src/hello
                  match: 'get_fact("role") == "web"'
                """;
        // Published before the agents start: they find it at once; later ones reach them through their kv watch.
        publish(helloEntry + soloEntry);

        for (NodeSpec spec : fleet()) {
            node(spec);
        }
        for (Node n : nodes) {
            Tend.awaitStarted(n.agent());
        }
        for (Node n : nodes) {
            if (n.spec().web()) {
                eventually("hello 1.0.0 runs on " + n.identity(), () -> runs(n, "hello", "1.0.0"));
            }
            if (n.spec().zoneA()) {
                eventually("solo 1.0.0 runs on " + n.identity(), () -> runs(n, "solo", "1.0.0"));
            }
        }
        for (Node n : nodes) {
            assertThat(lists(n, "hello")).as(n.identity()).isEqualTo(n.spec().web());
            assertThat(lists(n, "solo")).as(n.identity()).isEqualTo(n.spec().zoneA());
            List<String> expected = new ArrayList<>();
            if (n.spec().web()) {
                expected.add("hello");
            }
            if (n.spec().zoneA()) {
                expected.add("solo");
            }
            assertThat(names(n.machines())).as(n.identity()).isEqualTo(installed(expected.toArray(String[]::new)));
        }

        if (backend() == Tend.Backend.NATS) {
            // fleet status learns a machine's version from the machine's own events, which it publishes when it
            // changes state (a transition to the state it is in publishes nothing): while it listens, each node's
            // machine is moved to AWAKE and back through its socket. Under load each of these commands can take
            // seconds, so the status listens long enough for a few rounds of them.
            Tend.Background status = tend.start(withStore("fleet", "status", "--wait", "20s"));
            Tend.repeatUntil("fleet status to finish", () -> {
                for (Node n : nodes) {
                    String machine = n.spec().web() ? "hello" : "solo";
                    assertOk(tend.run("machine", "transition", machine, "wake", "--socket", n.socket().toString()));
                    assertOk(tend.run("machine", "transition", machine, "rest", "--socket", n.socket().toString()));
                }
            }, () -> !status.process.isAlive());
            Tend.Result heard = status.await();
            assertOk(heard);
            for (Node n : nodes) {
                String name = n.spec().web() ? "hello" : "solo";
                assertThat(heard.out()).as(heard.describe())
                        .containsPattern("\\| " + n.identity() + " +\\| " + name + " +\\| 1\\.0\\.0 ");
            }
        } else {
            Tend.assertOneLineError(tend.run("fleet", "status"), 2);
        }

        // A version bump replaces hello on its nodes.
        machine("hello", "1.1.0");
        publish(helloEntry + soloEntry);
        for (Node n : nodes) {
            if (n.spec().web()) {
                eventually("hello 1.1.0 runs on " + n.identity(), () -> runs(n, "hello", "1.1.0"));
                assertThat(Files.readString(n.machines().resolve("hello/machine.yaml"))).contains("version: 1.1.0");
            }
        }

        // solo removed from the list: purged (its manager machine, then the machine).
        publish(helloEntry);
        for (Node n : nodes) {
            if (n.spec().zoneA()) {
                eventually("solo gone from " + n.identity(), () -> !lists(n, "solo")
                        && !Files.exists(n.machines().resolve("solo"))
                        && !Files.exists(n.machines().resolve("mm_solo")));
            }
        }
        assertHelloOnly();

        // Signed with another key: every node refuses it and keeps what runs.
        assertThat(tend.run("fleet", "keygen", "other").code()).isZero();
        publish(soloEntry, "other/fleet.seed");
        String publicKey = Files.readString(tmp.resolve("keys/fleet.pub")).strip();
        for (Node n : nodes) {
            eventually(n.identity() + " refuses the signature", () -> n.log().contains(
                    "does not verify with public key " + publicKey + ", removing data"));
            eventually(n.identity() + "'s plugins error event", () -> stateEvents(n, "plugins", "plugins_manager")
                    .stream().anyMatch(e -> e.contains("\"previous_outcome\":\"error\"")));
            assertThat(info(n, "plugins_manager")).contains(" previous_outcome: error\n");
        }
        assertHelloOnly();

        // Bad archives and sources for zone a: each manager machine says why, nothing is installed.
        Map<String, String> evil = new LinkedHashMap<>();
        evil.put("dotdot/", "");
        evil.put("dotdot/../../escaped", "x");
        byte[] dotdot = tarGz(evil);
        Packed good = solo;
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/gone.tar.gz";
        // dotdot comes from the store, the others over http.
        assertThat(tend.runWithInput(dotdot, withStore("kv", "put", "CHORIA_PLUGINS", "dotdot.tar.gz", "-")).code())
                .isZero();
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("wrongsum", serve("/wrongsum.tar.gz", good.bytes()));
        sources.put("dotdot", "kv://CHORIA_PLUGINS/dotdot.tar.gz");
        sources.put("oversize", serveAnnouncing("/oversize.tar.gz", LIMIT + 1));
        sources.put("unreachable", unreachable);
        String wrong = sha256("not the archive".getBytes(StandardCharsets.UTF_8));
        Map<String, String> reasons = Map.of(
                "wrongsum", "archive checksum " + good.checksum() + " does not match " + wrong,
                "dotdot", "archive entry 'dotdot/../../escaped' has '..' in its name",
                "oversize", "download of " + sources.get("oversize") + " failed: the response is over the limit of "
                        + LIMIT + " bytes",
                "unreachable", "download of " + unreachable + " failed: cannot connect to 127.0.0.1:" + closedPort);
        StringBuilder yaml = new StringBuilder(helloEntry);
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String checksum = e.getKey().equals("wrongsum") ? wrong
                    : e.getKey().equals("dotdot") ? sha256(dotdot) : good.checksum();
            yaml.append("""
                    - name: %s
                      source: %s
                      checksum: %s
                      verify_checksum: %s
                      match: 'get_fact("zone") == "a"'
                    """.formatted(e.getKey(), e.getValue(), checksum, good.verifyChecksum()));
        }
        publish(yaml.toString());
        for (Node n : nodes) {
            if (!n.spec().zoneA()) {
                continue;
            }
            for (Map.Entry<String, String> c : reasons.entrySet()) {
                String name = c.getKey();
                String manager = "mm_" + name;
                eventually(name + "'s error event on " + n.identity(), () -> stateEvents(n, "archive", manager)
                        .stream().anyMatch(e -> e.contains("\"previous_outcome\":\"error\"")
                                && e.contains("\"reason\":\"" + c.getValue())));
                eventually(name + "'s log line on " + n.identity(), () -> n.log().lines().anyMatch(l ->
                        l.contains("ERROR") && l.contains("managing archive " + n.machines().resolve(name)
                                + " failed: " + c.getValue())));
                assertThat(info(n, manager)).as(name).contains(" previous_outcome: error\n")
                        .contains(" reason: " + c.getValue());
                assertThat(n.machines().resolve(name)).as(name).doesNotExist();
            }
            List<String> expected = new ArrayList<>(List.of("plugins_manager"));
            reasons.keySet().forEach(name -> expected.add("mm_" + name));
            if (n.spec().web()) {
                expected.addAll(List.of("hello", "mm_hello"));
            }
            assertThat(names(n.machines())).as(n.identity()).isEqualTo(expected.stream().sorted().toList());
        }
        for (Node n : nodes) {
            assertThat(n.machines().resolveSibling("escaped")).doesNotExist();
        }
        assertThat(tmp.resolve("escaped")).doesNotExist();
        for (Node n : nodes) {
            if (n.spec().web()) {
                assertThat(runs(n, "hello", "1.1.0")).as(n.identity()).isTrue();
            }
        }

        for (Node n : nodes) {
            assertThat(n.log()).as(n.identity()).doesNotContain("\tat ", "Exception");
            n.agent().process.destroy();
        }
        for (Node n : nodes) {
            assertThat(n.agent().await().code()).as(n.identity()).isZero();
        }
    }

    /** Every web node runs hello 1.1.0 and holds only it; the others hold only the built-in manager. */
    private void assertHelloOnly() throws IOException, InterruptedException {
        for (Node n : nodes) {
            assertThat(names(n.machines())).as(n.identity())
                    .isEqualTo(n.spec().web() ? installed("hello") : installed());
            if (n.spec().web()) {
                assertThat(runs(n, "hello", "1.1.0")).as(n.identity()).isTrue();
            }
        }
    }
}
