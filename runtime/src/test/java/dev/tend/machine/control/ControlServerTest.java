package dev.tend.machine.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlException.Code;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips through a real control socket for every one-shot op, and every kind of bad request. */
@Timeout(60)
@ResourceLock(value = "threads tend-control-", mode = ResourceAccessMode.READ)
class ControlServerTest {

    @TempDir
    Path tmp;
    ControlTestMachines machines;
    ControlServer server;
    ControlClient client;
    Path socket;

    @BeforeEach
    void setUp() throws Exception {
        machines = new ControlTestMachines(tmp.resolve("state"));
        machines.add("beta", tmp.resolve("machines/beta"));
        machines.add("alpha", tmp.resolve("machines/alpha"));
        socket = tmp.resolve("run/agent.sock");
        server = ControlServer.start(socket, machines);
        client = new ControlClient(socket);
    }

    @AfterEach
    void tearDown() {
        server.close();
        machines.close();
    }

    @Test
    void listsEveryMachineSortedByNameWithItsStatus() throws Exception {
        List<MachineStatus> list = client.list();
        assertThat(list).extracting(MachineStatus::name).containsExactly("alpha", "beta");
        MachineStatus alpha = list.get(0);
        Machine real = machines.machine("alpha").orElseThrow();
        assertThat(alpha.version()).isEqualTo("1.0.0");
        assertThat(alpha.state()).isEqualTo("off");
        assertThat(alpha.availableTransitions()).containsExactly("break", "on");
        assertThat(alpha.path()).isEqualTo(tmp.resolve("machines/alpha").toString());
        assertThat(alpha.instanceId()).isEqualTo(real.instanceId()).isNotEmpty();
        assertThat(alpha).isEqualTo(real.status());
    }

    @Test
    void listOfNoMachinesIsEmpty() throws Exception {
        try (ControlTestMachines none = new ControlTestMachines(tmp.resolve("state2"));
             ControlServer other = ControlServer.start(tmp.resolve("other.sock"), none)) {
            assertThat(new ControlClient(other.socket()).list()).isEmpty();
            JsonNode raw = RawControlClient.exchange(other.socket(), "{\"op\":\"list\"}");
            assertThat(raw.toString()).isEqualTo("{\"v\":1,\"ok\":true,\"identity\":\"node1\",\"machines\":[]}");
        }
    }

    @Test
    void anAgentInNoopModeSaysSoInItsList() throws Exception {
        try (ControlTestMachines noop = new ControlTestMachines(tmp.resolve("state3")).noop(true);
             ControlServer other = ControlServer.start(tmp.resolve("noop.sock"), noop)) {
            assertThat(new ControlClient(other.socket()).listing().noop()).isTrue();
            JsonNode raw = RawControlClient.exchange(other.socket(), "{\"op\":\"list\"}");
            assertThat(raw.toString()).isEqualTo("{\"v\":1,\"ok\":true,\"identity\":\"node1\",\"noop\":true,"
                    + "\"machines\":[]}");
        }
        assertThat(client.listing().noop()).isFalse();
    }

    @Test
    void infoOfOneMachine() throws Exception {
        machines.machine("beta").orElseThrow().transition("on");
        MachineStatus beta = client.info("beta");
        assertThat(beta.name()).isEqualTo("beta");
        assertThat(beta.state()).isEqualTo("on");
        assertThat(beta.availableTransitions()).containsExactly("off");
        assertThat(beta).isEqualTo(machines.machine("beta").orElseThrow().status());
    }

    @Test
    void infoOfAnUnknownMachineIsNotFound() {
        assertThatThrownBy(() -> client.info("gamma"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND))
                .hasMessage("unknown machine \"gamma\"");
    }

    @Test
    void transitionAppliesTheEventAndSaysFromWhereToWhere() throws Exception {
        TransitionOutcome t = client.transition("alpha", "on");
        assertThat(t).isEqualTo(new TransitionOutcome("alpha", "on", "off", "on"));
        assertThat(t.toString()).isEqualTo("alpha: off -> on via on");
        assertThat(machines.machine("alpha").orElseThrow().state()).isEqualTo("on");
        assertThat(machines.machine("beta").orElseThrow().state()).isEqualTo("off");
    }

    @Test
    void anEventNotValidInTheStateIsInvalidAndNamesTheValidOnes() {
        assertThatThrownBy(() -> client.transition("alpha", "off"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID))
                .hasMessageContaining("transition \"off\" is not valid in state \"off\"")
                .hasMessageContaining("break, on");
        assertThat(machines.machine("alpha").orElseThrow().state()).isEqualTo("off");
    }

    @Test
    void transitionOfAnUnknownMachineIsNotFound() {
        assertThatThrownBy(() -> client.transition("gamma", "on"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND))
                .hasMessage("unknown machine \"gamma\"");
    }

    @Test
    void transitionOfAStoppedMachineIsAFailureNotACrash() throws Exception {
        machines.machine("beta").orElseThrow().stop();
        assertThatThrownBy(() -> client.transition("beta", "on"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILURE))
                .hasMessageContaining("beta");
        assertThat(client.list()).hasSize(2);
    }

    @Test
    void everyResponseCarriesTheProtocolVersion() throws Exception {
        JsonNode list = RawControlClient.exchange(socket, "{\"v\":1,\"op\":\"list\"}");
        assertThat(list.get("v").asInt()).isEqualTo(1);
        JsonNode error = RawControlClient.exchange(socket, "{\"op\":\"info\",\"machine\":\"x\"}");
        assertThat(error.toString()).isEqualTo(
                "{\"v\":1,\"ok\":false,\"error\":\"unknown machine \\\"x\\\"\",\"code\":\"not_found\"}");
        JsonNode transition = RawControlClient.exchange(socket,
                "{\"op\":\"transition\",\"machine\":\"alpha\",\"event\":\"break\"}");
        assertThat(transition.toString()).isEqualTo("{\"v\":1,\"ok\":true,\"machine\":\"alpha\",\"event\":\"break\","
                + "\"from_state\":\"off\",\"to_state\":\"broken\"}");
    }

    @Test
    void theMachineShapeFieldByField() throws Exception {
        JsonNode m = RawControlClient.exchange(socket, "{\"op\":\"info\",\"machine\":\"alpha\"}").get("machine");
        // The fields an older client knows come first, in their order; later additions follow (ControlProtocol).
        assertThat(m.fieldNames()).toIterable().containsExactly("name", "version", "state", "path", "instance_id",
                "start_time", "available_transitions", "watchers", "state_since", "time_in_state", "data");
        assertThat(m.get("available_transitions").toString()).isEqualTo("[\"break\",\"on\"]");
        assertThat(m.get("watchers").isArray()).isTrue();
        JsonNode start = m.get("start_time");
        assertThat(start.isNull() || start.asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z")).as(start.toString()).isTrue();
    }

    @Test
    void badRequestsGetAnInvalidErrorAndTheServerCarriesOn() throws Exception {
        assertInvalid("{\"op\":\"frob\"}", "unknown op \"frob\" (expected one of list, info, transition, events)");
        assertInvalid("{\"op\":", "malformed request: ");
        assertInvalid("not json at all", "malformed request: ");
        assertInvalid("[1,2]", "malformed request: not a JSON object");
        assertInvalid("{}", "malformed request: \"op\" is missing");
        assertInvalid("{\"op\":7}", "malformed request: \"op\" must be a string, not 7");
        assertInvalid("{\"op\":\"info\"}", "op \"info\" needs \"machine\"");
        assertInvalid("{\"op\":\"info\",\"machine\":\"\"}", "op \"info\" needs \"machine\"");
        assertInvalid("{\"op\":\"transition\",\"machine\":\"alpha\"}", "op \"transition\" needs \"event\"");
        assertInvalid("{\"op\":\"list\",\"v\":\"one\"}", "malformed request: \"v\" must be a protocol version");
        assertInvalid("{\"op\":\"list\",\"v\":2}", "control protocol version 2 is not supported by this agent");
        assertInvalid("", "malformed request: ");
        assertThat(client.list()).hasSize(2);
    }

    @Test
    void unknownFieldsAreIgnoredForNewerClients() throws Exception {
        JsonNode r = RawControlClient.exchange(socket, "{\"op\":\"list\",\"colour\":\"blue\"}");
        assertThat(r.get("ok").asBoolean()).isTrue();
    }

    @Test
    void anOversizedRequestLineIsRefusedWithoutReadingItAll() throws Exception {
        try (RawControlClient c = new RawControlClient(socket)) {
            c.send("{\"op\":\"list\",\"pad\":\"" + "x".repeat(ControlProtocol.MAX_REQUEST_BYTES) + "\"}\n");
            JsonNode r = c.readJson();
            assertThat(r.get("ok").asBoolean()).isFalse();
            assertThat(r.get("code").asText()).isEqualTo("invalid");
            assertThat(r.get("error").asText()).isEqualTo("request line longer than 65536 bytes");
        }
        assertThat(client.list()).hasSize(2);
    }

    @Test
    void aRequestJustUnderTheLimitIsServed() throws Exception {
        String prefix = "{\"op\":\"list\",\"pad\":\"";
        String pad = "x".repeat(ControlProtocol.MAX_REQUEST_BYTES - prefix.length() - 2);
        JsonNode r = RawControlClient.exchange(socket, prefix + pad + "\"}");
        assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
    }

    @Test
    void aClientThatSendsNothingIsDisconnectedAfterTheRequestTimeout() throws Exception {
        ControlSettings quick = new ControlSettings(Duration.ofMillis(200), Duration.ofSeconds(10), 16, 8);
        try (ControlServer s = ControlServer.start(tmp.resolve("quick.sock"), machines, quick);
             RawControlClient idle = new RawControlClient(s.socket())) {
            assertThat(idle.readLine()).isNull(); // the server hung up
            assertThat(new ControlClient(s.socket()).list()).hasSize(2);
        }
    }

    @Test
    void aClientThatConnectsAndLeavesHarmsNothing() throws Exception {
        for (int i = 0; i < 20; i++) {
            new RawControlClient(socket).close();
        }
        new RawControlClient(socket).send("{\"op\":\"list\"}\n").close(); // leaves before the answer
        assertThat(client.list()).hasSize(2);
    }

    @Test
    void manyConcurrentClientsAreAllServed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                results.add(pool.submit((Callable<Void>) () -> {
                    for (int j = 0; j < 10; j++) {
                        assertThat(client.list()).hasSize(2);
                        assertThat(client.info(n % 2 == 0 ? "alpha" : "beta").name()).isNotEmpty();
                        assertThatThrownBy(() -> client.info("nope")).isInstanceOf(ControlException.class);
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentTransitionsAreEachAppliedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<TransitionOutcome>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    try {
                        return client.transition("alpha", "on");
                    } catch (ControlException e) {
                        assertThat(e.code()).isEqualTo(Code.INVALID);
                        return null;
                    }
                }));
            }
            int applied = 0;
            for (Future<TransitionOutcome> f : results) {
                if (f.get(60, TimeUnit.SECONDS) != null) {
                    applied++;
                }
            }
            assertThat(applied).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clientsOverTheLimitAreToldToComeBackLater() throws Exception {
        ControlSettings one = new ControlSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 16, 1);
        try (ControlServer s = ControlServer.start(tmp.resolve("one.sock"), machines, one);
             ControlClient.EventStream held = new ControlClient(s.socket()).events(null)) {
            assertThatThrownBy(() -> new ControlClient(s.socket()).list())
                    .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILURE))
                    .hasMessage("the agent serves 1 control clients already; try again later");
        }
    }

    private void assertInvalid(String requestLine, String messageStart) throws Exception {
        JsonNode r = RawControlClient.exchange(socket, requestLine);
        assertThat(r.get("ok").asBoolean()).as(requestLine).isFalse();
        assertThat(r.get("code").asText()).as(requestLine).isEqualTo("invalid");
        assertThat(r.get("error").asText()).as(requestLine).startsWith(messageStart).doesNotContain("\n");
        assertThat(r.get("v").asInt()).isEqualTo(1);
    }
}
