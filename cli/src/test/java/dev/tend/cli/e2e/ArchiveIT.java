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

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive watcher through {@code tend agent}, as an operator runs it: machines whose archive watchers fetch a
 * machine directory over HTTP from a server the test starts on loopback and from {@code kv://} (a value the test puts
 * with {@code tend kv put}), verify and unpack it; and the bad cases (a wrong checksum, a {@code ../} entry, an
 * oversized archive, an unreachable source), which change nothing in the target and each say why in the agent's log,
 * the state event and {@code tend machine info}. {@link NatsArchiveIT} runs the same on a nats-server.
 */
class ArchiveIT {

    /** The archive watcher's limit (ArchiveLimits.DEFAULT): 64 MiB. */
    private static final long LIMIT = 64L << 20;

    @TempDir
    Path tmp;

    Tend tend;
    private HttpServer http;
    private Path machines;
    private Path deployed;
    private Path state;
    private Path socket;

    Tend.Backend backend() {
        return Tend.Backend.EMBEDDED;
    }

    @BeforeEach
    void setUp() throws Exception {
        tend = Tend.on(backend(), tmp);
        machines = Files.createDirectories(tmp.resolve("machines"));
        deployed = Files.createDirectories(tmp.resolve("deployed"));
        state = tmp.resolve("state");
        socket = tmp.resolve("run/agent.sock");
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.start();
    }

    @AfterEach
    void tearDown() {
        http.stop(0);
        tend.close();
    }

    // ---- archives

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A tar.gz of these entries (a name ending in / is a directory). */
    private static byte[] tarGz(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
                if (!e.getKey().endsWith("/")) {
                    entry.setMode(0100644);
                    entry.setSize(content.length);
                } else {
                    entry.setMode(040755);
                }
                tar.putArchiveEntry(entry);
                if (!e.getKey().endsWith("/")) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** The machine directory {@code app} of {@code version}, with its SHA256SUMS. */
    private static byte[] app(String version) throws IOException {
        String readme = "app " + version + "\n";
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("app/", "");
        entries.put("app/README", readme);
        entries.put("app/SHA256SUMS", sums(version));
        return tarGz(entries);
    }

    private static String sums(String version) {
        return sha256("app " + version + "\n") + "  README\n";
    }

    /** Serves {@code body} at {@code path}; returns its URL. */
    private String serve(String path, byte[] body) {
        http.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        return url(path);
    }

    /** Says {@code length} bytes of zeros at {@code path} (the client may stop reading at once); returns its URL. */
    private String serveZeros(String path, long length) {
        http.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, length);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < length; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, length - sent));
                }
            } catch (IOException e) {
                // the client refused the body
            }
        });
        return url(path);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    // ---- machines and the agent

    /**
     * A manager-like machine whose archive watcher keeps {@code deployed/NAME/app}; its downloads may take 2 minutes
     * (not the default 5 s), so that a loaded machine's slow loopback download is not a timeout.
     */
    private void machine(String name, String source, String checksum, String verifyChecksum) throws IOException {
        Path dir = Files.createDirectories(machines.resolve(name));
        Files.writeString(dir.resolve("machine.yaml"), """
                name: %s
                version: 1.0.0
                initial_state: MANAGE
                transitions:
                  - {name: enter_maintenance, from: [MANAGE], destination: MAINTENANCE}
                  - {name: resume, from: [MAINTENANCE], destination: MANAGE}
                watchers:
                  - name: download
                    type: archive
                    interval: 1m
                    state_match: [MANAGE]
                    properties:
                      source: '%s'
                      checksum: '%s'
                      creates: app
                      target: %s
                      verify: SHA256SUMS
                      verify_checksum: '%s'
                      timeout: 2m
                """.formatted(name, source, checksum, deployed.resolve(name), verifyChecksum));
    }

    private Tend.Background agent() throws Exception {
        Tend.Background agent = tend.start("agent", "--machines", machines.toString(), "--state", state.toString(),
                "--socket", socket.toString(), "--identity", "archive-node");
        Tend.awaitStarted(agent);
        return agent;
    }

    private String info(String name) throws Exception {
        Tend.Result r = tend.run("machine", "info", name, "--socket", socket.toString());
        assertThat(r.code()).as(r.describe()).isZero();
        return r.out();
    }

    private String events() {
        try {
            Path file = state.resolve("events.jsonl");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The archive watcher's state events of machine {@code name} in the events file. */
    private List<String> archiveEvents(String name) {
        List<String> out = new ArrayList<>();
        for (String line : events().split("\n")) {
            if (line.contains("\"type\":\"dev.tend.machine.watcher.archive.v1.state\"")
                    && line.contains("\"machine\":\"" + name + "\"")) {
                out.add(line);
            }
        }
        return out;
    }

    private static String errOf(Tend.Background b) {
        try {
            return b.err();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void machinesAreFetchedOverHttpAndFromTheStoreVerifiedAndUnpacked() throws Exception {
        byte[] v1 = app("v1");
        machine("web", serve("/web.tgz", v1), sha256(v1), sha256(sums("v1")));
        byte[] v2 = app("v2");
        assertOk(tend.run("kv", "add", "FLEET"));
        assertOk(tend.runWithInput(v2, "kv", "put", "FLEET", "machines/app", "-"));
        machine("stored", "kv://FLEET/machines/app", sha256(v2), sha256(sums("v2")));

        Tend.Result validate = tend.run("machine", "validate", machines.resolve("web").toString());
        assertThat(validate.code()).as(validate.describe()).isZero();

        Tend.Background agent = agent();
        eventually("web's app", () -> Files.isRegularFile(deployed.resolve("web/app/README")));
        eventually("stored's app", () -> Files.isRegularFile(deployed.resolve("stored/app/README")));
        assertThat(deployed.resolve("web/app/README")).hasContent("app v1");
        assertThat(deployed.resolve("stored/app/README")).hasContent("app v2");
        eventually("the events", () -> !archiveEvents("web").isEmpty() && !archiveEvents("stored").isEmpty());
        assertThat(archiveEvents("web").get(0)).contains("\"previous_outcome\":\"downloaded\"")
                .contains("\"source\":\"" + url("/web.tgz") + "\"").contains("\"creates\":\"app\"");
        assertThat(archiveEvents("stored").get(0)).contains("\"previous_outcome\":\"downloaded\"")
                .contains("\"source\":\"kv://FLEET/machines/app\"");
        assertThat(info("stored")).contains(" previous_outcome: downloaded\n")
                .contains(" source: kv://FLEET/machines/app\n");
        assertThat(errOf(agent)).contains("was deployed to " + deployed.resolve("web/app"))
                .doesNotContain("Exception");

        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
        assertThat(deployed.resolve("web/tmp")).isEmptyDirectory();
    }

    @Test
    void badArchivesAndSourcesChangeNothingAndSayWhy() throws Exception {
        byte[] good = app("v1");
        byte[] other = app("v2");
        Map<String, String> evil = new LinkedHashMap<>();
        evil.put("app/", "");
        evil.put("app/../../escaped", "x");
        byte[] dotdot = tarGz(evil);
        assertOk(tend.run("kv", "add", "FLEET"));
        assertOk(tend.runWithInput(dotdot, "kv", "put", "FLEET", "evil", "-"));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/app.tgz";

        machine("wrongsum", serve("/other.tgz", other), sha256(good), sha256(sums("v1")));
        machine("dotdot", "kv://FLEET/evil", sha256(dotdot), sha256(sums("v1")));
        machine("oversize", serveZeros("/big.tgz", LIMIT + 1), sha256(good), sha256(sums("v1")));
        machine("unreachable", unreachable, sha256(good), sha256(sums("v1")));
        Map<String, String> reasons = Map.of(
                "wrongsum", "archive checksum " + sha256(other) + " does not match " + sha256(good),
                "dotdot", "archive entry 'app/../../escaped' has '..' in its name",
                "oversize", "download of " + url("/big.tgz") + " failed: the response is over the limit of " + LIMIT
                        + " bytes",
                "unreachable", "download of " + unreachable + " failed: cannot connect to 127.0.0.1:" + closedPort);
        // What each had in place: a copy without its sums file, which a run replaces (when it can).
        for (String name : reasons.keySet()) {
            Path app = Files.createDirectories(deployed.resolve(name + "/app"));
            Files.writeString(app.resolve("README"), "the copy in place\n");
        }

        Tend.Background agent = agent();
        for (Map.Entry<String, String> c : reasons.entrySet()) {
            String name = c.getKey();
            eventually(name + "'s error event", () -> !archiveEvents(name).isEmpty());
            String event = archiveEvents(name).get(0);
            assertThat(event).as(name).contains("\"previous_outcome\":\"error\"")
                    .contains("\"reason\":\"" + c.getValue());
            eventually(name + "'s log line", () -> errOf(agent).lines().anyMatch(l -> l.contains("ERROR")
                    && l.contains("managing archive " + deployed.resolve(name + "/app") + " failed: " + c.getValue())));
            String info = info(name);
            assertThat(info).as(name).contains(" previous_outcome: error\n").contains(" reason: " + c.getValue());
            assertThat(deployed.resolve(name + "/app/README")).as(name).hasContent("the copy in place");
            try (var left = Files.list(deployed.resolve(name))) {
                assertThat(left.map(p -> p.getFileName().toString())).as(name).containsExactlyInAnyOrder("app",
                        "tmp");
            }
            assertThat(deployed.resolve(name + "/tmp")).as(name).isEmptyDirectory();
        }
        assertThat(tmp.resolve("escaped")).doesNotExist();
        assertThat(deployed.resolve("escaped")).doesNotExist();
        assertThat(errOf(agent)).doesNotContain("\tat ").doesNotContain("Exception");

        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
    }
}
