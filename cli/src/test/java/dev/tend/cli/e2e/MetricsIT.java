package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend agent --listen}: {@code /metrics} passes {@code promtool check metrics} and moves with a transition, an
 * exec time-out and a kv put; {@code /healthz} answers 200, then 503 naming a machine that fails to load; a bad
 * {@code --listen} is one line.
 */
class MetricsIT {

    /** An exec watcher whose command always outlives its timeout, and a kv watcher that fires on every change. */
    private static final String SLOW = """
            name: slow
            version: "1.0.0"
            initial_state: waiting
            transitions:
              - name: changed
                from: [waiting, changed]
                destination: changed
            watchers:
              - name: sleeper
                type: exec
                interval: 1s
                properties:
                  command: sleep 30
                  timeout: 200ms
              - name: config
                type: kv
                success_transition: changed
                properties:
                  bucket: CFG
                  key: k
                  mode: watch
            """;

    @TempDir
    Path tmp;

    private Tend tend;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @AfterEach
    void tearDown() {
        if (tend != null) {
            tend.close();
        }
    }

    @Test
    void metricsAndHealthOfARunningAgent() throws Exception {
        tend = new Tend(tmp);
        assertOk(tend.run("kv", "add", "CFG"));
        Path machines = Files.createDirectories(tmp.resolve("machines"));
        Door.write(machines, Door.RECORDING);
        Files.createDirectories(machines.resolve("slow"));
        Files.writeString(machines.resolve("slow/machine.yaml"), SLOW);
        int port = freePort();
        String socket = tmp.resolve("run/agent.sock").toString();
        Tend.Background agent = tend.start("agent", "--machines", machines.toString(), "--state",
                tmp.resolve("state").toString(), "--plugins", TestPlugin.directory(tmp.resolve("plugins")).toString(),
                "--socket", socket, "--identity", "it-node", "--listen", "127.0.0.1:" + port);
        Tend.awaitStarted(agent);
        String base = "http://127.0.0.1:" + port;
        assertThat(agent.err()).contains("listening on http://127.0.0.1:" + port);

        // promtool finds nothing to say about what the agent serves once every kind of metric is in it.
        eventually("an exec time-out counted", () -> metric(base, "tend_exec_timeouts_total",
                "machine=\"slow\",watcher=\"sleeper\"") >= 1);
        HttpResponse<String> first = get(base + "/metrics");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(first.body()).contains("tend_machine_state{machine=\"door\",state=\"closed\"} 1",
                "tend_machine_state{machine=\"door\",state=\"opened\"} 0", "jvm_memory_used_bytes",
                "tend_watcher_run_duration_seconds_bucket{outcome=\"error\",watcher_type=\"exec\"",
                "tend_watcher_runs_total{machine=\"slow\",outcome=\"error\",watcher=\"sleeper\",watcher_type=\"exec\"}",
                "tend_kv_writes_total", "tend_machines{status=\"running\"} 2");
        promtoolFindsNothing(first.body());

        // A transition moves the state gauge and the transitions counter.
        assertOk(tend.run("machine", "transition", "door", "open", "--socket", socket));
        eventually("the door's transition in the metrics", () -> metric(base, "tend_machine_transitions_total",
                "event=\"open\",from=\"closed\",machine=\"door\",to=\"opened\"") == 1
                && metric(base, "tend_machine_state", "machine=\"door\",state=\"opened\"") == 1);

        // A put in another process reaches the agent's watch: the delivery lag histogram counts it.
        double delivered = metric(base, "tend_kv_watch_delivery_lag_seconds_count", "");
        assertOk(tend.run("kv", "put", "CFG", "k", "v1"));
        eventually("the put delivered to the agent's kv watcher", () -> metric(base,
                "tend_kv_watch_delivery_lag_seconds_count", "") > delivered
                && metric(base, "tend_machine_transitions_total",
                "event=\"changed\",from=\"waiting\",machine=\"slow\",to=\"changed\"") == 1);
        promtoolFindsNothing(get(base + "/metrics").body());

        HttpResponse<String> healthy = get(base + "/healthz");
        assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);
        assertThat(healthy.body()).startsWith("{\"status\":\"ok\",\"checks\":{\"store\":{\"ok\":true},"
                + "\"machines\":{\"ok\":true},\"listener\":{\"ok\":true},\"control_socket\":{\"ok\":true}}}");

        // A machine directory that does not load makes the agent unhealthy, naming it.
        Files.createDirectories(machines.resolve("broken"));
        Files.writeString(machines.resolve("broken/machine.yaml"), "name: broken\ninitial_state: [\n");
        eventually("/healthz 503", () -> get(base + "/healthz").statusCode() == 503);
        HttpResponse<String> unhealthy = get(base + "/healthz");
        assertThat(unhealthy.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(unhealthy.body()).startsWith("{\"status\":\"unhealthy\",\"reason\":\"machines: 1 failed to load: "
                + "broken (").contains("\"machines\":{\"ok\":false,\"reason\":\"1 failed to load: broken (");
        assertThat(metric(base, "tend_machines", "status=\"failed\"")).isEqualTo(1);
        // Fixed, healthy again.
        Files.delete(machines.resolve("broken/machine.yaml"));
        Files.delete(machines.resolve("broken"));
        eventually("/healthz 200 again", () -> get(base + "/healthz").statusCode() == 200);

        assertThat(get(base + "/nothing").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(405);

        // A second agent on the same port stops with one line, before running anything.
        Tend.Result inUse = tend.run("agent", "--machines", machines.toString(), "--state",
                tmp.resolve("state2").toString(), "--plugins", tmp.resolve("plugins").toString(), "--socket",
                tmp.resolve("run/agent2.sock").toString(), "--listen", "127.0.0.1:" + port);
        assertOneLineError(inUse, 3);
        assertThat(inUse.err()).isEqualTo("tend: cannot listen on 127.0.0.1:" + port + ": address already in use\n");
    }

    @Test
    void aBadListenAddressIsOneLine() throws Exception {
        tend = new Tend(tmp);
        Path machines = Files.createDirectories(tmp.resolve("machines"));
        List<String> common = List.of("agent", "--machines", machines.toString(), "--state",
                tmp.resolve("state").toString(), "--plugins", tmp.resolve("plugins").toString(), "--socket",
                tmp.resolve("run/agent.sock").toString(), "--listen");
        record Case(String value, int code, String err) {
        }
        for (Case c : List.of(
                new Case("127.0.0.1", 2, "tend: --listen: bad listen address \"127.0.0.1\": no port; it is HOST:PORT "
                        + "(e.g. 127.0.0.1:9100, or :9100 for 127.0.0.1)\n"),
                new Case("127.0.0.1:", 2, "tend: --listen: bad listen address \"127.0.0.1:\": no port; it is "
                        + "HOST:PORT (e.g. 127.0.0.1:9100, or :9100 for 127.0.0.1)\n"),
                new Case("bad host:9100", 2, "tend: --listen: bad listen address \"bad host:9100\": \"bad host\" is "
                        + "not a host name or address; it is HOST:PORT (e.g. 127.0.0.1:9100, or :9100 for "
                        + "127.0.0.1)\n"),
                new Case("127.0.0.1:70000", 2, "tend: --listen: bad listen address \"127.0.0.1:70000\": the port must "
                        + "be a number from 0 to 65535; it is HOST:PORT (e.g. 127.0.0.1:9100, or :9100 for "
                        + "127.0.0.1)\n"),
                new Case("no-such-host.invalid:9100", 3,
                        "tend: cannot listen on no-such-host.invalid:9100: unknown host no-such-host.invalid\n"))) {
            String[] args = new String[common.size() + 1];
            common.toArray(args);
            args[common.size()] = c.value();
            Tend.Result r = tend.run(args);
            assertOneLineError(r, c.code());
            assertThat(r.err()).as(c.value()).isEqualTo(c.err());
            assertThat(tmp.resolve("run/agent.sock")).as("nothing left running").doesNotExist();
        }
        // The config file's listen: is read the same way, and names the file.
        Path config = Files.createDirectories(tmp.resolve("home/.config/tend")).resolve("tend.yaml");
        Files.writeString(config, "listen: 9100x\n");
        Tend.Result fromFile = tend.run(common.subList(0, common.size() - 1).toArray(String[]::new));
        assertOneLineError(fromFile, 2);
        assertThat(fromFile.err()).startsWith("tend: listen in " + config + ": bad listen address \"9100x\"");
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The value of the series {@code name{labels}} (labels as written, sorted), or -1 when it is not there. */
    private double metric(String base, String name, String labels) {
        String body = get(base + "/metrics").body();
        Matcher m = Pattern.compile("^" + Pattern.quote(labels.isEmpty() ? name : name + "{" + labels + "}")
                + " (\\S+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private void promtoolFindsNothing(String metrics) throws Exception {
        Path file = Files.writeString(Files.createTempFile(tmp, "metrics", ".txt"), metrics);
        Process p = new ProcessBuilder(promtool(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("promtool check metrics").isEmpty();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        throw new AssertionError("promtool is missing: apt-get install prometheus (bin/verify does)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
