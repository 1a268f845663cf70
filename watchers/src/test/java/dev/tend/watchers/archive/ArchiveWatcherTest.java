package dev.tend.watchers.archive;

import com.sun.net.httpserver.HttpServer;
import dev.tend.governor.GovernorConfig;
import dev.tend.governor.Governors;
import dev.tend.governor.Lease;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive watcher through the runtime: a real machine, a real embedded store as the agent's, real files and a
 * loopback HTTP server. What each outcome publishes and fires, when runs happen, {@code kv://} sources, the governor,
 * and that a failure changes nothing in the target and says why in the log, the event and the watcher's state.
 */
class ArchiveWatcherTest {

    @TempDir
    Path root;

    private KvStore store;
    private HttpServer http;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void open() {
        store = KvStore.builder().directory(root.resolve("kv")).build();
    }

    @AfterEach
    void close() {
        if (http != null) {
            http.stop(0);
        }
        store.close();
    }

    /** A machine directory {@code m} in a tar.gz with a SHA256SUMS; returns the archive. */
    private Path archive(String file, String version) throws IOException {
        String yaml = "version: " + version;
        String sums = sha(yaml) + "  machine.yaml\n";
        return new Tarball().dir("m", 0755).file("m/machine.yaml", yaml).file("m/SHA256SUMS", sums)
                .writeTo(root.resolve(file));
    }

    private static String sumsChecksum(String version) {
        String yaml = "version: " + version;
        String sums = sha(yaml) + "  machine.yaml\n";
        return sha(sums);
    }

    private static String sha(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> properties(String source, String checksum, Path target, String... more) {
        List<String> lines = new java.util.ArrayList<>(List.of("properties:",
                "  source: '" + source + "'",
                "  checksum: '" + checksum + "'",
                "  creates: m",
                "  target: " + target));
        for (String line : more) {
            lines.add("  " + line);
        }
        return lines;
    }

    private static String[] lines(List<String> list) {
        return list.toArray(String[]::new);
    }

    /** Serves {@code archive} at /m.tgz on loopback; returns its URL. */
    private String serve(Path archive) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/m.tgz", exchange -> {
            requests.incrementAndGet();
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = Files.readAllBytes(archive);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/m.tgz";
    }

    @Test
    void deploysAtStartThenVerifiesOnEachRunAndFiresSuccessEveryTime() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "deploy", store)) {
            m.start(lines(properties(archive.toUri().toString(), Sha256.of(archive), target,
                    "verify: SHA256SUMS", "verify_checksum: " + sumsChecksum("v1"))));
            Map<String, Object> first = m.awaitEvent(1);
            assertThat(first).containsEntry("source", archive.toUri().toString()).containsEntry("creates", "m")
                    .containsEntry("previous_outcome", "downloaded").containsKey("previous_run_time")
                    .doesNotContainKey("reason");
            assertThat(m.states().get(0).type()).isEqualTo("dev.tend.machine.watcher.archive.v1.state");
            m.awaitState("READY");
            assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
            assertThat(target.resolve("tmp")).isEmptyDirectory();

            m.machine().transition("retry");
            assertThat(m.awaitEvent(2)).containsEntry("previous_outcome", "verified");
            m.awaitState("READY");
            m.await("the run in READY", () -> "skipped".equals(m.watcherState().get("previous_outcome")));
            assertThat(m.states()).as("a skipped run publishes nothing").hasSize(2);
        }
    }

    @Test
    void inNoopModeTheDeploymentIsLoggedNothingIsFetchedOrWrittenAndTheMachineMovesAsAfterOne() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "noopdeploy", store).noop();
             LogCapture log = LogCapture.of("dev.tend.machine.noopdeploy")) {
            m.start(lines(properties(archive.toUri().toString(), Sha256.of(archive), target,
                    "governor: never_taken")));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "downloaded");
            m.awaitState("READY");
            assertThat(target).doesNotExist();
            assertThat(log.lines(Level.INFO)).contains("noop: would deploy " + archive.toUri() + " to "
                    + target.resolve("m") + " (" + target.resolve("m") + " is not a directory) (machine noopdeploy"
                    + " watcher download)");
        }
    }

    @Test
    void aTamperedFileIsReplacedOnTheNextRun() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "tampered", store)) {
            m.start(lines(properties(archive.toUri().toString(), Sha256.of(archive), target,
                    "verify: SHA256SUMS", "verify_checksum: " + sumsChecksum("v1"))));
            m.awaitState("READY");
            Files.writeString(target.resolve("m/machine.yaml"), "tampered");
            m.machine().transition("retry");
            assertThat(m.awaitEvent(2)).containsEntry("previous_outcome", "downloaded");
            assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
        }
    }

    @Test
    void aWrongChecksumIsAnErrorThatChangesNothingAndSaysWhyEverywhere() throws Exception {
        Path good = archive("v1.tgz", "v1");
        Path other = archive("v2.tgz", "v2");
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "wrongsum", store);
             LogCapture log = LogCapture.of("dev.tend.machine.wrongsum")) {
            m.start(lines(properties(other.toUri().toString(), Sha256.of(good), target)));
            Map<String, Object> event = m.awaitEvent(1);
            String reason = "archive checksum " + Sha256.of(other) + " does not match " + Sha256.of(good);
            assertThat(event).containsEntry("previous_outcome", "error").containsEntry("reason", reason);
            m.awaitState("FAILED");
            assertThat(m.watcherState()).as("the reason stays after the run skipped in FAILED")
                    .containsEntry("reason", reason);
            assertThat(log.lines(Level.ERROR)).anySatisfy(l -> assertThat(l).contains(reason));
            assertThat(target.resolve("m")).doesNotExist();
            assertThat(target.resolve("tmp")).isEmptyDirectory();
        }
    }

    @Test
    void aTarballWithDotDotIsRefusedAndTheInstalledCopyStays() throws Exception {
        Path good = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        Path evil = new Tarball().dir("m", 0755).file("m/../../escaped", "x").writeTo(root.resolve("evil.tgz"));
        try (ArchiveMachine m = new ArchiveMachine(root, "dotdot", store)) {
            new ArchiveInstaller(new SourceFetcher("test")).deploy(new ArchiveSpec(good.toUri().toString(),
                    Sha256.of(good), "m", target, null, null, new FetchSettings(Duration.ofSeconds(5), null, null,
                    false, 1 << 20), ArchiveLimits.DEFAULT));
            Files.delete(target.resolve("m/SHA256SUMS")); // no sums file: the check fails, a deployment follows
            m.start(lines(properties(evil.toUri().toString(), Sha256.of(evil), target,
                    "verify: SHA256SUMS", "verify_checksum: " + sumsChecksum("v1"))));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "error")
                    .containsEntry("reason", "archive entry 'm/../../escaped' has '..' in its name");
            assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
            assertThat(root.resolve("escaped")).doesNotExist();
            assertThat(target.resolve("tmp")).isEmptyDirectory();
        }
    }

    @Test
    void anOversizedArchiveIsRefusedWithItsSize() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        long size = Files.size(archive);
        Path target = root.resolve("target");
        ArchiveLimits small = new ArchiveLimits(size - 1, 1 << 20, 1 << 20, 100);
        try (ArchiveMachine m = new ArchiveMachine(root, "oversize", store)
                .settings(new ArchiveSettings(small, "test"))) {
            m.start(lines(properties(archive.toUri().toString(), Sha256.of(archive), target)));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "error").containsEntry("reason",
                    "source " + archive.toUri() + " is " + size + " bytes, over the limit of " + (size - 1));
            assertThat(target.resolve("m")).doesNotExist();
        }
    }

    @Test
    void httpWithBasicAuthenticationAndTemplatedChecksumAndUsername() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        String url = serve(archive);
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "http", store)) {
            m.start(lines(properties(url, "{{ lookup \"facts.missing\" \"" + Sha256.of(archive) + "\" }}", target,
                    "username: '{{ lookup \"facts.fqdn\" \"\" }}'", "password: secret")));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "downloaded").containsEntry("source", url);
            assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
            assertThat(requests.get()).isEqualTo(1);
            assertThat(authorization.get()).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("node1.example.net:secret".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aSourceThatRendersEmptyIsAnError() throws Exception {
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "empty", store)) {
            m.start(lines(properties("{{ lookup \"data.source\" \"\" }}", "0".repeat(64), target)));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "error")
                    .containsEntry("reason", "source rendered empty from \"{{ lookup \"data.source\" \"\" }}\"");
        }
    }

    @Test
    void anUnreachableSourceIsAnError() throws Exception {
        Path target = root.resolve("target");
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = closed.getLocalPort();
            closed.close();
            try (ArchiveMachine m = new ArchiveMachine(root, "unreachable", store)) {
                m.start(lines(properties("http://127.0.0.1:" + port + "/m.tgz", "0".repeat(64), target)));
                Map<String, Object> event = m.awaitEvent(1);
                assertThat(event).containsEntry("previous_outcome", "error");
                assertThat((String) event.get("reason")).startsWith("download of http://127.0.0.1:" + port
                        + "/m.tgz failed: cannot connect to 127.0.0.1:" + port).doesNotContain("\n");
                assertThat(target.resolve("m")).doesNotExist();
            }
        }
    }

    @Test
    void kvSourceReadsTheArchiveFromTheAgentsStore() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        store.create(BucketConfig.builder("FLEET").build()).put("machines/m", Files.readAllBytes(archive));
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "kv", store)) {
            m.start(lines(properties("kv://FLEET/machines/m", Sha256.of(archive), target,
                    "verify: SHA256SUMS", "verify_checksum: " + sumsChecksum("v1"))));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "downloaded")
                    .containsEntry("source", "kv://FLEET/machines/m");
            assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
        }
    }

    @Test
    void kvSourceProblemsAreOneLineReasons() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        long size = Files.size(archive);
        store.create(BucketConfig.builder("FLEET").build()).put("big", Files.readAllBytes(archive));
        Path target = root.resolve("target");
        ArchiveLimits small = new ArchiveLimits(size - 1, 1 << 20, 1 << 20, 100);
        for (String[] c : new String[][] {
                {"kv://FLEET/big", "source kv://FLEET/big is " + size + " bytes, over the limit of " + (size - 1)},
                {"kv://FLEET/none", "cannot read kv://FLEET/none: bucket FLEET has no key none"},
                {"kv://NOPE/k", "cannot read kv://NOPE/k: unknown bucket NOPE"}}) {
            String name = "kv" + c[0].replaceAll("[^a-z]", "");
            try (ArchiveMachine m = new ArchiveMachine(root, name, store)
                    .settings(new ArchiveSettings(small, "test"))) {
                m.start(lines(properties(c[0], Sha256.of(archive), target)));
                assertThat(m.awaitEvent(1)).as(c[0]).containsEntry("previous_outcome", "error")
                        .containsEntry("reason", c[1]);
                assertThat(target.resolve("m")).doesNotExist();
            }
        }
    }

    @Test
    void inactiveIsSkippedWithNothingPublishedAndAStateChangeRunsIt() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "skipped", store)) {
            m.startYaml(ArchiveMachine.yaml("skipped", lines(properties(archive.toUri().toString(),
                    Sha256.of(archive), target))).replace("initial_state: MANAGE", "initial_state: PAUSED"));
            m.await("skipped", () -> "skipped".equals(m.watcherState().get("previous_outcome")));
            assertThat(m.states()).isEmpty();
            assertThat(target).doesNotExist();
            m.machine().transition("retry");
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "downloaded");
        }
    }

    @Test
    void theIntervalRunsItAgain() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "interval", store)) {
            m.startYaml(ArchiveMachine.yaml("interval", lines(properties(archive.toUri().toString(),
                    Sha256.of(archive), target))).replace("    success_transition: deployed\n", "")
                    .replace("    type: archive\n", "    type: archive\n    interval: 1m\n"));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "downloaded");
            Files.writeString(target.resolve("m/extra"), "kept: no verify file, the directory is enough");
            m.manual.advance(Duration.ofMinutes(1));
            assertThat(m.awaitEvent(2)).containsEntry("previous_outcome", "verified");
            m.manual.advance(Duration.ofMinutes(1));
            assertThat(m.awaitEvent(3)).containsEntry("previous_outcome", "verified");
            assertThat(target.resolve("m/extra")).exists();
        }
    }

    @Test
    void aGovernorSlotIsHeldDuringTheDeploymentAndGivenBack() throws Exception {
        Governors governors = Governors.builder(store).build();
        governors.add("deploys", new GovernorConfig(1, Duration.ofHours(1)), 1);
        Path archive = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "governed", store);
             LogCapture log = LogCapture.of("dev.tend.machine.governed")) {
            m.start(lines(properties(archive.toUri().toString(), Sha256.of(archive), target,
                    "governor: '{{ lookup \"data.none\" \"deploys\" }}'")));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "downloaded");
            assertThat(governors.governor("deploys").claims()).isEmpty();
            assertThat(log.lines(Level.INFO)).anySatisfy(l -> assertThat(l).contains("obtained slot"))
                    .anySatisfy(l -> assertThat(l).contains("vacated slot"));
        }
    }

    @Test
    void anUnknownGovernorIsAnErrorAndNothingIsFetched() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        String url = serve(archive);
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "nogov", store)) {
            m.start(lines(properties(url, Sha256.of(archive), target, "governor: missing")));
            assertThat(m.awaitEvent(1)).containsEntry("previous_outcome", "error").containsEntry("reason",
                    "unknown governor missing (tend governor add missing CAPACITY creates it)");
            assertThat(requests.get()).isZero();
        }
    }

    @Test
    void aStopEndsTheWaitForAFullGovernorAndPublishesNothing() throws Exception {
        Governors governors = Governors.builder(store).build();
        governors.add("full", new GovernorConfig(1, Duration.ofHours(1)), 1);
        Lease held = governors.governor("full").tryEnter("someone else").orElseThrow();
        Path archive = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "waiting", store);
             LogCapture log = LogCapture.of("dev.tend.machine.waiting")) {
            m.start(lines(properties(archive.toUri().toString(), Sha256.of(archive), target, "governor: full")));
            m.await("the wait began", () -> log.lines(Level.INFO).stream()
                    .anyMatch(l -> l.contains("obtaining a slot in governor full")));
            m.machine().stop();
            assertThat(m.states()).isEmpty();
            assertThat(target.resolve("m")).doesNotExist();
        } finally {
            held.release();
        }
    }

    @Test
    void aStopEndsADownloadThatHangsAndPublishesNothing() throws Exception {
        java.util.concurrent.CountDownLatch requested = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/hang.tgz", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            requested.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        http.start();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/hang.tgz";
        Path target = root.resolve("target");
        try (ArchiveMachine m = new ArchiveMachine(root, "hanging", store)) {
            m.start(lines(properties(url, "0".repeat(64), target, "timeout: 1h")));
            m.await("the download began", () -> requested.getCount() == 0);
            m.machine().stop(); // returns when the watcher's work ended: the download did not wait for its hour
            assertThat(m.states()).isEmpty();
            assertThat(target.resolve("m")).doesNotExist();
            assertThat(target.resolve("tmp")).isEmptyDirectory();
        } finally {
            release.countDown();
        }
    }

    @Test
    void twoMachinesDeployingTheSameDirectoryTakeTurns() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        Path target = root.resolve("target");
        try (ArchiveMachine a = new ArchiveMachine(root, "first", store);
             ArchiveMachine b = new ArchiveMachine(root, "second", store)) {
            a.start(lines(properties(archive.toUri().toString(), Sha256.of(archive), target)));
            b.start(lines(properties(archive.toUri().toString(), Sha256.of(archive), target)));
            assertThat(a.awaitEvent(1).get("previous_outcome")).isIn("downloaded", "verified");
            assertThat(b.awaitEvent(1).get("previous_outcome")).isIn("downloaded", "verified");
            assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
            try (Stream<Path> left = Files.list(target.resolve("tmp"))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void aWatcherThatWaitedForAnothersDeploymentOfItsDirectoryDoesNotDeployItAgain() throws Exception {
        Path archive = archive("v1.tgz", "v1");
        java.util.concurrent.CountDownLatch requested = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/m.tgz", exchange -> {
            requests.incrementAndGet();
            requested.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = Files.readAllBytes(archive);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        http.start();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/m.tgz";
        Path target = root.resolve("target");
        ArchiveWatcherFactory shared = new ArchiveWatcherFactory(ArchiveSettings.defaults());
        String[] watcher = lines(properties(url, Sha256.of(archive), target, "verify: SHA256SUMS",
                "verify_checksum: " + sumsChecksum("v1")));
        try (ArchiveMachine a = new ArchiveMachine(root, "first", store).factory(shared);
             ArchiveMachine b = new ArchiveMachine(root, "second", store).factory(shared);
             LogCapture log = LogCapture.of("dev.tend.machine.second.download")) {
            a.start(watcher);
            a.await("the first download began", () -> requested.getCount() == 0);
            b.start(watcher);
            b.await("the second waits for its turn", () -> log.lines(Level.INFO).stream()
                    .anyMatch(l -> l.startsWith("deploying " + target.resolve("m"))));
            release.countDown();
            assertThat(a.awaitEvent(1).get("previous_outcome")).isEqualTo("downloaded");
            assertThat(b.awaitEvent(1).get("previous_outcome")).isEqualTo("verified");
            assertThat(requests).as("one download").hasValue(1);
            assertThat(log.lines(Level.INFO)).contains(target.resolve("m") + " verified: deployed meanwhile by another"
                    + " watcher");
        } finally {
            release.countDown();
        }
    }
}
