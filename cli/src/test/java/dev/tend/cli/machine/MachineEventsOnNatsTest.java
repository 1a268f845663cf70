package dev.tend.cli.machine;

import dev.tend.machine.event.EventsFile;
import dev.tend.machine.event.TransitionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend machine events} with {@code --nats}/{@code --store nats://}: what it refuses, and the {@code --identity}
 * filter. Following a real agent's events on NATS is {@code EventsOnNatsIT}'s (it needs a signal to end).
 */
@Timeout(60)
class MachineEventsOnNatsTest {

    @TempDir
    Path tmp;
    AgentFixture agent;

    @BeforeEach
    void setUp() throws Exception {
        agent = new AgentFixture(tmp).start();
    }

    @AfterEach
    void tearDown() {
        agent.close();
    }

    @Test
    void pastEventsAreNotReadFromNats() {
        String message = "tend: events on NATS can only be followed (--follow): past events are in the events file of"
                + " the agent's state directory (--state)\n";
        assertUsage(agent.tend("machine", "events", "--nats"), message);
        assertUsage(agent.tend("machine", "events", "--store", "nats://127.0.0.1:4222"), message);
    }

    @Test
    void natsOptionsAreRefusedWhereTheyMeanNothing() {
        assertUsage(agent.tend("machine", "events", "-f", "--nats", "--socket", agent.socket.toString()),
                "tend: --socket and --nats are alternatives: follow the agent of this host on its control socket, or"
                        + " every agent of a NATS store\n");
        assertUsage(agent.tend("machine", "events", "-f", "--events-prefix", "tend.machine"),
                "tend: --events-prefix is only used with --nats\n");
        assertUsage(agent.tend("machine", "events", "-f", "--store", tmp.resolve("kv").toString()),
                "tend: --store must name NATS servers, nats://host:port[,host:port...]: events are followed on NATS\n");
        agent.env.put("TEND_STORE", tmp.resolve("kv").toString());
        assertUsage(agent.tend("machine", "events", "-f", "--nats"), "tend: --nats needs a NATS store, but the store"
                + " is " + tmp.resolve("kv") + " (from TEND_STORE): give --store nats://host:port\n");
        assertUsage(agent.tend("machine", "events", "-f", "--nats", "--identity", " "),
                "tend: --identity needs a node name\n");
    }

    @Test
    void aBadPrefixIsOneLineNamingWhereItCameFrom() throws IOException {
        String store = "nats://127.0.0.1:" + closedPort(); // refused before any connection is tried
        assertUsage(agent.tend("machine", "events", "-f", "--store", store, "--events-prefix", "a..b"),
                "tend: events prefix \"a..b\" has an empty token: use dot-separated names such as tend.machine"
                        + " (from --events-prefix)\n");
        agent.env.put("TEND_EVENTS_PREFIX", "fleet events");
        assertUsage(agent.tend("machine", "events", "-f", "--store", store), "tend: events prefix \"fleet events\""
                + " may only contain letters, digits, '_', '-' and dots between names (from TEND_EVENTS_PREFIX)\n");
        agent.env.remove("TEND_EVENTS_PREFIX");
        Path config = Files.createDirectories(tmp.resolve("home/.config/tend")).resolve("tend.yaml");
        Files.writeString(config, "store: " + store + "\nevents_prefix: \"fleet.>\"\n");
        assertUsage(agent.tend("machine", "events", "-f", "--nats"), "tend: events prefix \"fleet.>\" contains a"
                + " wildcard (* or >): events are published on exact subjects (from events_prefix in " + config + ")\n");
        Files.writeString(config, "events_prefix: [a, b]\n");
        assertUsage(agent.tend("machine", "events", "-f", "--store", store), "tend: events_prefix in " + config
                + " must be a subject prefix such as tend.machine\n");
    }

    @Test
    void noServerIsAFailureOnOneLine() throws IOException {
        String store = "nats://127.0.0.1:" + closedPort();
        AgentFixture.Result r = agent.tend("machine", "events", "-f", "--store", store);
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).startsWith("tend: cannot connect to NATS at " + store + ": ").endsWith("\n")
                .hasLineCount(1).doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void identitySelectsOneNodesEvents() {
        Path state = tmp.resolve("state");
        Instant t = Instant.parse("2024-01-15T10:00:00Z");
        try (EventsFile file = EventsFile.in(state)) {
            file.publish(new TransitionEvent("web1", "door", "i1", "1.0.0", t, "open", "closed", "opened"));
            file.publish(new TransitionEvent("web2", "door", "i2", "1.0.0", t, "close", "opened", "closed"));
        }
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString(), "--identity", "web2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("10:00:00 web2 door transitioned via event close: opened => closed\n");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void assertUsage(AgentFixture.Result r, String err) {
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(err);
        assertThat(r.out()).isEmpty();
    }
}
