package dev.tend.watchers.metric;

import ch.qos.logback.classic.Level;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Graphite's plaintext protocol, to a TCP server the test runs on loopback. */
class GraphiteTest {

    @TempDir
    Path root;

    /** A plaintext listener: each connection's whole text, in order. */
    private static final class Listener implements AutoCloseable {
        final ServerSocket server;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final Thread thread;

        Listener() throws IOException {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "tend-test-graphite");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        String next() throws InterruptedException {
            String text = received.poll(20, TimeUnit.SECONDS);
            assertThat(text).as("a connection from the watcher").isNotNull();
            return text;
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }

    @Test
    void eachResultIsSentAsPlaintextLinesWithTheRuntime() throws Exception {
        try (Listener graphite = new Listener(); MetricMachine m = new MetricMachine(root, "sender")) {
            m.printing("metric.sh", "{\"metrics\": {\"load\": 0.5, \"users\": 3}}");
            m.start("properties: {command: ./metric.sh, graphite_host: 127.0.0.1, graphite_port: "
                    + graphite.server.getLocalPort() + "}");
            m.awaitResult(1); // keeps the manual scheduler running until the first run is done
            String text = graphite.next();
            long time = m.manual.now().getEpochSecond();
            assertThat(text).isEqualTo("choria.gather.load 0.500000 " + time + "\n"
                    + "choria.gather.runtime 0.000000 " + time + "\n"
                    + "choria.gather.users 3.000000 " + time + "\n");
        }
    }

    @Test
    void hostPortAndPrefixAreTemplates() throws Exception {
        try (Listener graphite = new Listener(); MetricMachine m = new MetricMachine(root, "templated")) {
            m.printing("metric.sh", "ok | rta=0.25ms;;;0");
            m.start("properties:", "  command: ./metric.sh",
                    "  graphite_host: '{{ lookup \"facts.graphite\" \"127.0.0.1\" }}'",
                    "  graphite_port: '{{ lookup \"data.port\" " + graphite.server.getLocalPort() + " }}'",
                    "  graphite_prefix: 'nodes.{{ lookup \"facts.fqdn\" \"x\" | ToUpper }}'");
            m.awaitResult(1); // keeps the manual scheduler running until the first run is done
            assertThat(graphite.next()).startsWith("nodes.NODE1.EXAMPLE.NET.rta 0.250000 ");
        }
    }

    @Test
    void aHostThatRendersEmptyIsSaidNotSentToTheLoopbackAddress() throws Exception {
        try (Listener graphite = new Listener(); MetricMachine m = new MetricMachine(root, "nohost");
             LogCapture log = LogCapture.of("dev.tend.machine.nohost.gather")) {
            m.printing("metric.sh", "{\"metrics\": {\"a\": 1}}");
            m.start("properties:", "  command: ./metric.sh",
                    "  graphite_host: '{{ lookup \"facts.no_such_fact\" \"\" }}'",
                    "  graphite_port: " + graphite.server.getLocalPort());
            m.awaitResult(1);
            m.await("the warning", () -> log.lines(Level.WARN).stream().anyMatch(l -> l.contains("renders empty")));
            assertThat(log.lines(Level.WARN)).anySatisfy(l -> assertThat(l).startsWith("metrics not sent: graphite_host ")
                    .contains("facts.no_such_fact").endsWith(" renders empty"));
            assertThat(graphite.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void withoutMetricsNothingIsSent() throws Exception {
        try (Listener graphite = new Listener(); MetricMachine m = new MetricMachine(root, "empty")) {
            m.printing("metric.sh", "{\"metrics\": {}}");
            m.printing("other.sh", "{\"metrics\": {\"b\": 1}}");
            m.startYaml(MetricMachine.yamlWith("empty", List.of(
                    List.of("properties: {command: ./metric.sh, graphite_host: 127.0.0.1, graphite_port: "
                            + graphite.server.getLocalPort() + "}"),
                    List.of("properties: {command: ./other.sh, graphite_host: 127.0.0.1, graphite_port: "
                            + graphite.server.getLocalPort() + "}")), List.of("none", "some")));
            m.await("both results", () -> m.states().size() >= 2);
            assertThat(graphite.next()).startsWith("choria.some.b 1.000000 ");
            assertThat(graphite.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void graphiteThatCannotBeReachedIsLoggedAndTheResultStillStoredAndPublished() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (MetricMachine m = new MetricMachine(root, "unreachable")) {
            m.printing("metric.sh", "{\"metrics\": {\"a\": 1}}");
            m.start("properties: {command: ./metric.sh, store: true, graphite_host: 127.0.0.1, graphite_port: "
                    + closedPort + "}");
            assertThat(m.awaitResult(1)).containsEntry("metrics", Map.of("a", 1.0, "choria_runtime_seconds", 0.0));
            m.await("the data stored", () -> {
                try {
                    return m.data().has("metric");
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }
}
