package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.kv.nats.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Machine events on NATS end to end: a real {@code tend agent --store nats://...} publishes them, and {@code tend
 * machine events --follow --nats} prints them without the agent's socket; the agent's machines do not notice when the
 * server goes away, and the followers get new events once it is back.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory, nats-server and agent each
class EventsOnNatsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Tend tend;
    private NatsServer nats;
    private Path machines;
    private String socket;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        nats = NatsServer.start();
        machines = Files.createDirectories(tmp.resolve("machines"));
        Door.write(machines, Door.TIMED);
        socket = tmp.resolve("run/agent.sock").toString();
    }

    @AfterEach
    void tearDown() {
        tend.close();
        nats.close();
    }

    private Tend.Background agent(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("agent", "--machines", machines.toString(), "--state",
                tmp.resolve("state").toString(), "--plugins", tmp.resolve("plugins").toString(), "--socket", socket,
                "--identity", "it-node", "--store", nats.url()));
        args.addAll(List.of(extra));
        Tend.Background agent = tend.start(args.toArray(String[]::new));
        Tend.awaitStarted(agent);
        eventually("the agent's machine on its control socket",
                () -> run("machine", "list", "--socket", socket).out().contains("door"));
        return agent;
    }

    private Tend.Result run(String... args) {
        try {
            return tend.run(args);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Opens and closes the door (through the socket, as an operator would) until {@code seen} holds. */
    private void openAndCloseUntil(String what, java.util.function.BooleanSupplier seen) throws Exception {
        Tend.repeatUntil(what, () -> {
            assertOk(run("machine", "transition", "door", "open", "--socket", socket));
            assertOk(run("machine", "transition", "door", "close", "--socket", socket));
        }, seen);
    }

    @Test
    void followersAnywhereSeeTheAgentsEventsThroughOutages() throws Exception {
        Tend.Background agent = agent("--events-prefix", "fleet.events");
        Connection raw = Nats.connect(nats.url());
        try {
            Subscription everything = raw.subscribe(">");
            raw.flush(Duration.ofSeconds(10));
            // Neither follower knows the agent's socket: they only reach NATS.
            Tend.Background lines = tend.start("machine", "events", "--follow", "--store", nats.url(),
                    "--events-prefix", "fleet.events");
            Tend.Background json = tend.start(Map.of("TEND_STORE", nats.url(), "TEND_EVENTS_PREFIX", "fleet.events"),
                    "machine", "events", "-f", "--nats", "--json", "--machine", "door", "--identity", "it-node");
            openAndCloseUntil("both followers to see the door open",
                    () -> outOf(lines).contains("it-node door transitioned via event open: closed => opened")
                            && outOf(json).contains("\"to_state\":\"opened\""));

            assertThat(outOf(lines).lines()).allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d it-node door .+"));
            for (String line : outOf(json).lines().toList()) {
                JsonNode event = JSON.readTree(line);
                assertThat(event.get("source").asText()).isEqualTo("dev.tend.machine");
                assertThat(event.get("type").asText()).isIn("dev.tend.machine.v1.transition",
                        "dev.tend.machine.watcher.timer.v1.state");
                assertThat(event.get("subject").asText()).isEqualTo("it-node");
                assertThat(event.at("/data/machine").asText()).isEqualTo("door");
            }
            // On the wire: the configured prefix, a subject per kind of event, the node in a header.
            List<String> subjects = new ArrayList<>();
            Message m;
            while (!subjects.containsAll(List.of("fleet.events.transition", "fleet.events.watcher.timer.state"))
                    && (m = everything.nextMessage(Duration.ofSeconds(30))) != null) {
                subjects.add(m.getSubject());
                assertThat(m.getHeaders().getFirst("Tend-Identity")).isEqualTo("it-node");
                assertThat(m.getHeaders().getFirst("Tend-Machine")).isEqualTo("door");
            }
            assertThat(subjects).contains("fleet.events.transition", "fleet.events.watcher.timer.state")
                    .allMatch(s -> s.startsWith("fleet.events."));

            // Ctrl-C ends a follower quietly (the JVM's status for SIGINT).
            new ProcessBuilder("kill", "-INT", Long.toString(lines.process.pid())).start()
                    .waitFor(30, TimeUnit.SECONDS);
            Tend.Result interrupted = lines.await();
            assertThat(interrupted.code()).as(interrupted.describe()).isEqualTo(130);
            assertThat(interrupted.err()).as(interrupted.describe()).isEmpty();

            // The server goes away: the machine keeps transitioning and the agent keeps running.
            nats.stop();
            for (int i = 0; i < 5; i++) {
                assertOk(run("machine", "transition", "door", "open", "--socket", socket));
                assertOk(run("machine", "transition", "door", "close", "--socket", socket));
            }
            assertThat(agent.process.isAlive()).as("the agent runs on").isTrue();

            // It comes back: both the agent and the (reconnecting) follower carry on, new events flow again.
            nats.restart();
            int before = outOf(json).lines().toList().size();
            openAndCloseUntil("a new event after the server's restart",
                    () -> outOf(json).lines().toList().size() > before);
            assertThat(agent.err()).as("the agent's log").contains("publishing machine events on NATS subjects"
                    + " fleet.events.transition and fleet.events.watcher.<type>.state");
        } finally {
            raw.close();
        }
        agent.process.destroy();
        Tend.Result stopped = agent.await();
        assertThat(stopped.code()).as(stopped.describe()).isZero();
    }

    @Test
    void theDefaultSubjectsAndBadPrefixes() throws Exception {
        Tend.Result bad = tend.run("agent", "--machines", machines.toString(), "--store", nats.url(),
                "--events-prefix", "tend..machine");
        assertOneLineError(bad, 2);
        assertThat(bad.err()).isEqualTo("tend: events prefix \"tend..machine\" has an empty token: use dot-separated"
                + " names such as tend.machine (from --events-prefix)\n");

        agent();
        Tend.Background follow = tend.start("machine", "events", "-f", "--store", nats.url());
        openAndCloseUntil("the follower to see the door open",
                () -> outOf(follow).contains("it-node door transitioned via event open: closed => opened"));
        Connection raw = Nats.connect(nats.url());
        try {
            Subscription sub = raw.subscribe("tend.machine.transition");
            raw.flush(Duration.ofSeconds(10));
            assertOk(run("machine", "transition", "door", "open", "--socket", socket));
            Message m = sub.nextMessage(Duration.ofSeconds(30));
            assertThat(m).isNotNull();
            assertThat(JSON.readTree(new String(m.getData(), StandardCharsets.UTF_8)).at("/data/to_state").asText())
                    .isEqualTo("opened");
        } finally {
            raw.close();
        }
    }

    private static String outOf(Tend.Background b) {
        try {
            return b.out();
        } catch (IOException e) {
            return "";
        }
    }
}
