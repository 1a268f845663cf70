package dev.tend.machine.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.nats.NatsServer;
import dev.tend.kv.nats.NatsServerExtension;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.event.NatsEventSubjects;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Agents answering control requests over a real nats-server ({@link NatsControlServer}) and an operator asking them
 * ({@link NatsControlClient}): the three verbs, what is refused, twenty agents at once, a node that is registered but
 * gone. Each test uses an events prefix of its own, so the registry keys of one do not count in another.
 */
@Timeout(120)
@ExtendWith(NatsServerExtension.class)
class NatsControlServerTest implements NatsServerExtension.Aware {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    NatsServer nats;
    private final List<AutoCloseable> open = new ArrayList<>();

    @Override
    public void natsServer(NatsServer server) {
        this.nats = server;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T t) {
        open.add(t);
        return t;
    }

    /** An agent {@code identity} with machines {@code names}, answering under {@code prefix}. */
    private ControlTestMachines agent(String prefix, String identity, String... names) throws Exception {
        ControlTestMachines machines = closing(new ControlTestMachines(tmp.resolve("state-" + identity), identity));
        for (String name : names) {
            machines.add(name, tmp.resolve("machines-" + identity + "/" + name));
        }
        NatsControlServer server = closing(NatsControlServer.start(nats.url(), ConnectionOptions.defaults(),
                new NatsEventSubjects(prefix), machines));
        assertThat(server.awaitServing(WAIT)).as("agent " + identity + " serving").isTrue();
        return machines;
    }

    private NatsControlClient client(String prefix, Duration timeout) throws Exception {
        Connection c = Nats.connect(nats.url());
        closing(c::close);
        return new NatsControlClient(c, new NatsControlSubjects(prefix), timeout);
    }

    @Test
    void answersListInfoAndTransitionThroughTheSocketsHandler() throws Exception {
        ControlTestMachines machines = agent("t1", "web1.example.net", "alpha", "beta");
        NatsControlClient client = client("t1", Duration.ofSeconds(10));

        NatsControlClient.FleetList fleet = client.list(n -> true);
        assertThat(fleet.silent()).isEmpty();
        assertThat(fleet.nodes()).singleElement().satisfies(n -> {
            assertThat(n.identity()).isEqualTo("web1.example.net");
            assertThat(n.error()).isNull();
            assertThat(n.machines()).extracting(MachineStatus::name).containsExactly("alpha", "beta");
        });
        assertThat(client.list("web1.example.net")).extracting(MachineStatus::name).containsExactly("alpha", "beta");
        assertThat(client.info("web1.example.net", "alpha")).isEqualTo(machines.machine("alpha").orElseThrow().status());

        TransitionOutcome outcome = client.transition("web1.example.net", "alpha", "on");
        assertThat(outcome).isEqualTo(new TransitionOutcome("alpha", "on", "off", "on"));
        assertThat(machines.machine("alpha").orElseThrow().state()).isEqualTo("on");

        assertThatThrownBy(() -> client.transition("web1.example.net", "alpha", "on"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code())
                        .isEqualTo(ControlException.Code.INVALID))
                .hasMessageContaining("\"on\" is not valid");
        assertThatThrownBy(() -> client.info("web1.example.net", "nope"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code())
                        .isEqualTo(ControlException.Code.NOT_FOUND))
                .hasMessage("unknown machine \"nope\"");
    }

    @Test
    void nothingButListInfoAndTransitionIsServed() throws Exception {
        agent("t2", "node1", "alpha");
        try (Connection raw = Nats.connect(nats.url())) {
            JsonNode events = ask(raw, "t2.request.events.node1", "{\"v\":1,\"op\":\"events\"}");
            assertThat(events.path("v").asInt()).isEqualTo(ControlProtocol.VERSION);
            assertThat(events.path("ok").asBoolean()).isFalse();
            assertThat(events.path("code").asText()).isEqualTo("invalid");
            assertThat(events.path("error").asText())
                    .isEqualTo("\"events\" is not served over NATS (only list, info, transition)");

            JsonNode smuggled = ask(raw, "t2.request.info.node1",
                    "{\"v\":1,\"op\":\"transition\",\"machine\":\"alpha\",\"event\":\"on\"}");
            assertThat(smuggled.path("code").asText()).isEqualTo("invalid");
            assertThat(smuggled.path("error").asText()).startsWith("op \"transition\" sent on a info subject");

            JsonNode garbage = ask(raw, "t2.request.list.node1", "not json");
            assertThat(garbage.path("code").asText()).isEqualTo("invalid");
            assertThat(garbage.path("error").asText()).startsWith("malformed request");
        }
        assertThat(client("t2", Duration.ofSeconds(10)).info("node1", "alpha").state()).isEqualTo("off");
    }

    private static JsonNode ask(Connection raw, String subject, String body) throws Exception {
        Message reply = raw.request(subject, body.getBytes(StandardCharsets.UTF_8), WAIT);
        assertThat(reply).as("a reply on " + subject).isNotNull();
        return ControlClient.parse(new String(reply.getData(), StandardCharsets.UTF_8));
    }

    @Test
    void twentyAgentsAnswerOneRequestWithinTheTimeout() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String id = String.format("n%02d", i);
            agent("t3", id, "alpha");
            expected.add(id);
        }
        NatsControlClient client = client("t3", Duration.ofSeconds(2));
        long started = System.nanoTime();
        NatsControlClient.FleetList fleet = client.list(n -> true);
        long took = System.nanoTime() - started;
        // Not asserted (load decides), printed for docs/operations.md: how long the gathering took.
        System.out.printf("twenty agents: fleet list gathered in %.1f ms%n", took / 1e6);
        assertThat(fleet.silent()).isEmpty();
        assertThat(fleet.nodes()).extracting(NatsControlClient.NodeList::identity).containsExactlyElementsOf(expected);
        assertThat(client.list(n -> n.compareTo("n05") <= 0).nodes()).hasSize(5);
    }

    @Test
    void aRegisteredNodeThatIsGoneIsReportedNotWaitedFor() throws Exception {
        agent("t4", "alive", "alpha");
        try (Connection raw = Nats.connect(nats.url())) {
            KeyValue registry = raw.keyValue(NatsControlSubjects.REGISTRY_BUCKET);
            registry.put("t4.gone", "{}".getBytes(StandardCharsets.UTF_8));
        }
        NatsControlClient client = client("t4", Duration.ofMillis(500));
        NatsControlClient.FleetList fleet = client.list(n -> true);
        assertThat(fleet.nodes()).extracting(NatsControlClient.NodeList::identity).containsExactly("alive");
        assertThat(fleet.silent()).containsExactly("gone");
        assertThatThrownBy(() -> client.info("nowhere", "alpha"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code())
                        .isEqualTo(ControlException.Code.NOT_FOUND))
                .hasMessageStartingWith("no agent answers as node \"nowhere\"");
    }

    @Test
    void aStoppedAgentLeavesTheRegistry() throws Exception {
        ControlTestMachines machines = closing(new ControlTestMachines(tmp.resolve("state-s"), "leaving"));
        NatsControlServer server = NatsControlServer.start(nats.url(), ConnectionOptions.defaults(),
                new NatsEventSubjects("t5"), machines);
        assertThat(server.awaitServing(WAIT)).isTrue();
        try (Connection raw = Nats.connect(nats.url())) {
            KeyValue registry = raw.keyValue(NatsControlSubjects.REGISTRY_BUCKET);
            assertThat(registry.keys("t5.>")).containsExactly("t5.leaving");
            server.close();
            assertThat(registry.keys("t5.>")).isEmpty();
        }
        assertThat(client("t5", Duration.ofMillis(300)).list(n -> true).nodes()).isEmpty();
    }

    @Test
    void theRegistrySaysSinceWhenByTheMachinesClock() throws Exception {
        ControlTestMachines machines = closing(new ControlTestMachines(tmp.resolve("state-c"), "clocked"));
        machines.clock(Clock.fixed(Instant.parse("2021-02-03T04:05:06Z"), ZoneOffset.UTC));
        NatsControlServer server = closing(NatsControlServer.start(nats.url(), ConnectionOptions.defaults(),
                new NatsEventSubjects("t6"), machines));
        assertThat(server.awaitServing(WAIT)).isTrue();
        try (Connection raw = Nats.connect(nats.url())) {
            KeyValue registry = raw.keyValue(NatsControlSubjects.REGISTRY_BUCKET);
            assertThat(new String(registry.get("t6.clocked").getValue(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"v\":" + ControlProtocol.VERSION
                            + ",\"identity\":\"clocked\",\"since\":\"2021-02-03T04:05:06Z\"}");
        }
    }

    @Test
    void identitiesBecomeSubjectTokens() {
        assertThat(NatsControlSubjects.node("web1.example.net")).isEqualTo("web1.example.net");
        assertThat(NatsControlSubjects.node("my host*>")).isEqualTo("my_host__");
        assertThat(NatsControlSubjects.node(".a..b.")).isEqualTo("_.a._.b._");
        NatsControlSubjects s = new NatsControlSubjects("tend.machine");
        assertThat(s.request("info", "web1")).isEqualTo("tend.machine.request.info.web1");
        assertThat(s.verb("tend.machine.request.transition.web1.example.net")).isEqualTo("transition");
        assertThat(s.verb("tend.machine.request.list")).isEqualTo("list");
        assertThat(s.registryNode("tend.machine.web1")).isEqualTo("web1");
        assertThat(s.registryNode("other.web1")).isNull();
        NatsEventSubjects events = new NatsEventSubjects("tend.machine");
        assertThat(events.isRequest(s.request("transition", "web1"))).isTrue();
        assertThat(events.isRequest(s.fleetList())).isTrue();
        assertThat(events.isRequest("tend.machine.transition")).isFalse();
    }
}
