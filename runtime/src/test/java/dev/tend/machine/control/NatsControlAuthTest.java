package dev.tend.machine.control;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.nats.NatsConnections;
import dev.tend.kv.nats.NatsServer;
import dev.tend.machine.event.NatsEventSubjects;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The NATS permissions of docs/nats.md ("Who may ask the agents") on a real nats-server: the agent, allowed only its own
 * request subjects and replies, still answers; an operator may list and fire transitions; a viewer, allowed to list
 * and ask for info but not to publish transition requests, cannot fire one (the server drops the request, the agent
 * never sees it, the machine stays as it was).
 */
@Timeout(120)
class NatsControlAuthTest {

    /** The authorization block of docs/nats.md, for the agent of node web1 and the default events prefix. */
    static final String AUTHORIZATION = """
            authorization {
              users: [
                { user: web1, password: web1-secret, permissions: {
                    publish: { allow: ["tend.machine.transition", "tend.machine.watcher.>", "$JS.API.>", "$KV.>"] }
                    subscribe: { allow: ["tend.machine.request.list", "tend.machine.request.*.web1", "_INBOX.>"] }
                    allow_responses: true
                } }
                { user: operator, password: operator-secret, permissions: {
                    publish: { allow: ["tend.machine.request.>", "$JS.API.STREAM.INFO.KV_TEND_NODES",
                                       "$JS.API.CONSUMER.CREATE.KV_TEND_NODES", "$JS.API.CONSUMER.*.KV_TEND_NODES.>"] }
                    subscribe: { allow: ["_INBOX.>"] }
                } }
                { user: viewer, password: viewer-secret, permissions: {
                    publish: { allow: ["tend.machine.request.list", "tend.machine.request.list.>",
                                       "tend.machine.request.info.>", "$JS.API.STREAM.INFO.KV_TEND_NODES",
                                       "$JS.API.CONSUMER.CREATE.KV_TEND_NODES", "$JS.API.CONSUMER.*.KV_TEND_NODES.>"] }
                    subscribe: { allow: ["_INBOX.>"] }
                } }
              ]
            }
            """;

    @TempDir
    Path tmp;
    NatsServer nats;
    ControlTestMachines machines;
    NatsControlServer server;

    @BeforeEach
    void setUp() throws Exception {
        nats = NatsServer.startWithConfig(AUTHORIZATION);
        machines = new ControlTestMachines(tmp.resolve("state"), "web1");
        machines.add("alpha", tmp.resolve("machines/alpha"));
        server = NatsControlServer.start(url("web1"), ConnectionOptions.defaults(), NatsEventSubjects.defaults(),
                machines);
        assertThat(server.awaitServing(Duration.ofSeconds(30))).isTrue();
    }

    @AfterEach
    void tearDown() {
        server.close();
        machines.close();
        nats.close();
    }

    private String url(String user) {
        return "nats://" + user + ":" + user + "-secret@127.0.0.1:" + nats.port();
    }

    private Connection connect(String user) {
        return NatsConnections.connect(url(user), ConnectionOptions.defaults());
    }

    private static NatsControlClient client(Connection c, Duration timeout) {
        return new NatsControlClient(c, NatsControlSubjects.of(NatsEventSubjects.defaults()), timeout);
    }

    @Test
    void theAgentAnswersAndTheOperatorMayFireTransitions() throws Exception {
        try (Connection c = connect("operator")) {
            NatsControlClient operator = client(c, Duration.ofSeconds(10));
            NatsControlClient.FleetList fleet = operator.list(n -> true);
            assertThat(fleet.nodes()).extracting(NatsControlClient.NodeList::identity).containsExactly("web1");
            assertThat(fleet.silent()).as("the registry was read: nothing missing").isEmpty();
            assertThat(operator.transition("web1", "alpha", "on").toState()).isEqualTo("on");
        }
        assertThat(machines.machine("alpha").orElseThrow().state()).isEqualTo("on");
    }

    @Test
    void theOperatorReadsTheRegistry() throws Exception {
        try (Connection agent = connect("web1")) {
            KeyValue registry = agent.keyValue(NatsControlSubjects.REGISTRY_BUCKET);
            registry.put("tend.machine.gone", "{}".getBytes(StandardCharsets.UTF_8));
        }
        try (Connection c = connect("operator")) {
            assertThat(client(c, Duration.ofSeconds(1)).list(n -> true).silent()).containsExactly("gone");
        }
    }

    @Test
    void aViewerMayListButCannotFireATransition() throws Exception {
        try (Connection c = connect("viewer")) {
            NatsControlClient viewer = client(c, Duration.ofSeconds(1));
            assertThat(viewer.list(n -> true).nodes()).extracting(NatsControlClient.NodeList::identity)
                    .containsExactly("web1");
            assertThat(viewer.info("web1", "alpha").state()).isEqualTo("off");
            assertThatThrownBy(() -> viewer.transition("web1", "alpha", "on"))
                    .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code())
                            .isEqualTo(ControlException.Code.FAILURE))
                    .hasMessage("node web1 did not answer within 1s");
        }
        assertThat(machines.machine("alpha").orElseThrow().state()).isEqualTo("off");
    }
}
