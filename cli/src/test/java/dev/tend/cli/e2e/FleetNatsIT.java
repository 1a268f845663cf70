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
 */
class FleetNatsIT {

    /** The archive watcher's limit (ArchiveLimits.DEFAULT): 64 MiB; the test only announces it, never sends it. */
    private static final long LIMIT = 64L << 20;

    @TempDir
    Path tmp;

    private Tend tend;
    private HttpServer http;
    private final List<Node> nodes = new ArrayList<>();

    /** One agent and its own directories. */
    private record Node(String identity, Path machines, Path state, Path socket, Tend.Background agent) {
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
        tend = Tend.on(Tend.Backend.NATS, tmp);
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
        assertOk(tend.run("fleet", "publish", "fleet.yaml", "--signing-key", seed, "--store", tend.storeUrl()));
    }

    // ---- nodes

    private Node node(String identity, String role) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("nodes/" + identity));
        Path machines = Files.createDirectories(home.resolve("machines"));
        Path facts = home.resolve("facts.yaml");
        Files.writeString(facts, "role: " + role + "\n");
        Path state = home.resolve("state");
        Path socket = home.resolve("agent.sock");
        Tend.Background agent = tend.start("agent", "--machines", machines.toString(), "--state", state.toString(),
                "--socket", socket.toString(), "--identity", identity, "--facts", facts.toString(), "--store",
                tend.storeUrl(), "--manage-machines", "--machines-signing-key", "keys/fleet.pub",
                "--machines-check-interval", "2s");
        Node node = new Node(identity, machines, state, socket, agent);
        nodes.add(node);
        return node;
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

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
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
                  match: 'get_fact("role") == "db"'
                """.formatted(soloUrl, solo.checksum(), solo.verifyChecksum());
        String helloEntry = """
                - name: hello
                  directory: src/hello
                  match: 'get_fact("role") == "web"'
                """;
        // Published before the agents start: they find it at once; later ones reach them through their kv watch.
        publish(helloEntry + soloEntry);

        Node web1 = node("web1", "web");
        Node web2 = node("web2", "web");
        Node db1 = node("db1", "db");
        for (Node n : nodes) {
            Tend.awaitStarted(n.agent());
        }
        eventually("hello 1.0.0 runs on web1", () -> runs(web1, "hello", "1.0.0"));
        eventually("hello 1.0.0 runs on web2", () -> runs(web2, "hello", "1.0.0"));
        eventually("solo 1.0.0 runs on db1", () -> runs(db1, "solo", "1.0.0"));
        assertThat(lists(web1, "solo")).isFalse();
        assertThat(lists(web2, "solo")).isFalse();
        assertThat(lists(db1, "hello")).isFalse();
        assertThat(names(web1.machines())).containsExactly("hello", "mm_hello", "plugins_manager");
        assertThat(names(db1.machines())).containsExactly("mm_solo", "plugins_manager", "solo");

        // fleet status hears every node's machine, its version and its manager machine's archive outcome.
        Tend.Result status = tend.run("fleet", "status", "--wait", "3s", "--json", "--store", tend.storeUrl());
        assertOk(status);
        assertThat(status.out()).contains("\"web1\"", "\"web2\"", "\"db1\"");
        Tend.Result table = tend.run("fleet", "status", "--wait", "3s", "--store", tend.storeUrl());
        assertOk(table);
        assertThat(table.out()).containsPattern("\\| web1 +\\| hello +\\| 1\\.0\\.0 ")
                .containsPattern("\\| web2 +\\| hello +\\| 1\\.0\\.0 ")
                .containsPattern("\\| db1 +\\| solo +\\| 1\\.0\\.0 ");

        // A version bump replaces hello on its two nodes.
        machine("hello", "1.1.0");
        publish(helloEntry + soloEntry);
        eventually("hello 1.1.0 runs on web1", () -> runs(web1, "hello", "1.1.0"));
        eventually("hello 1.1.0 runs on web2", () -> runs(web2, "hello", "1.1.0"));
        assertThat(Files.readString(web1.machines().resolve("hello/machine.yaml"))).contains("version: 1.1.0");

        // solo removed from the list: purged from db1 (its manager machine, then the machine).
        publish(helloEntry);
        eventually("solo gone from db1", () -> !lists(db1, "solo") && !Files.exists(db1.machines().resolve("solo"))
                && !Files.exists(db1.machines().resolve("mm_solo")));
        assertThat(runs(web1, "hello", "1.1.0")).isTrue();

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
        assertThat(names(db1.machines())).containsExactly("plugins_manager");
        assertThat(runs(web1, "hello", "1.1.0") && runs(web2, "hello", "1.1.0")).isTrue();

        // Bad archives and sources for db1: each manager machine says why, nothing is installed.
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
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("wrongsum", serve("/wrongsum.tar.gz", good.bytes()));
        sources.put("dotdot", serve("/dotdot.tar.gz", dotdot));
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
        for (Map.Entry<String, String> s : sources.entrySet()) {
            String checksum = s.getKey().equals("wrongsum") ? wrong
                    : s.getKey().equals("dotdot") ? sha256(dotdot) : good.checksum();
            yaml.append("""
                    - name: %s
                      source: %s
                      checksum: %s
                      verify_checksum: %s
                      match: 'get_fact("role") == "db"'
                    """.formatted(s.getKey(), s.getValue(), checksum, good.verifyChecksum()));
        }
        publish(yaml.toString());
        for (Map.Entry<String, String> c : reasons.entrySet()) {
            String name = c.getKey();
            String manager = "mm_" + name;
            eventually(name + "'s error event", () -> stateEvents(db1, "archive", manager).stream()
                    .anyMatch(e -> e.contains("\"previous_outcome\":\"error\"")
                            && e.contains("\"reason\":\"" + c.getValue())));
            eventually(name + "'s log line", () -> db1.log().lines().anyMatch(l -> l.contains("ERROR")
                    && l.contains("managing archive " + db1.machines().resolve(name) + " failed: "
                    + c.getValue())));
            String info = info(db1, manager);
            assertThat(info).as(name).contains(" previous_outcome: error\n").contains(" reason: " + c.getValue());
            assertThat(db1.machines().resolve(name)).as(name).doesNotExist();
        }
        assertThat(names(db1.machines())).doesNotContain("hello", "solo", "escaped");
        assertThat(tmp.resolve("nodes/escaped")).doesNotExist();
        assertThat(names(web1.machines())).containsExactly("hello", "mm_hello", "plugins_manager");
        assertThat(runs(web1, "hello", "1.1.0") && runs(web2, "hello", "1.1.0")).isTrue();

        for (Node n : nodes) {
            assertThat(n.log()).as(n.identity()).doesNotContain("\tat ", "Exception");
            n.agent().process.destroy();
        }
        for (Node n : nodes) {
            assertThat(n.agent().await().code()).as(n.identity()).isZero();
        }
    }
}
