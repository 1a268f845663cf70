package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet from one place over NATS, end to end: three {@code tend agent} processes (their own state, socket and
 * identity) on one real nats-server, asked by {@code tend machine list|info|transition} and the Scout verbs with
 * {@code --fleet}, {@code --nodes} and {@code --node}; then one agent is killed (SIGKILL: it cannot say goodbye) and
 * {@code list --fleet} reports it did not answer, and returns.
 */
class FleetControlIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Scout check whose plugin always says OK. */
    private static final String HEALTH = """
            name: health
            version: "1.0.0"
            initial_state: UNKNOWN
            transitions:
              - name: OK
                from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK]
                destination: OK
              - name: WARNING
                from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK]
                destination: WARNING
              - name: CRITICAL
                from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK]
                destination: CRITICAL
              - name: UNKNOWN
                from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK]
                destination: UNKNOWN
              - name: FORCE_CHECK
                from: [UNKNOWN, OK, WARNING, CRITICAL]
                destination: FORCE_CHECK
              - name: MAINTENANCE
                from: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK]
                destination: MAINTENANCE
              - name: RESUME
                from: [MAINTENANCE]
                destination: FORCE_CHECK
            watchers:
              - name: check
                type: nagios
                state_match: [UNKNOWN, OK, WARNING, CRITICAL, FORCE_CHECK]
                interval: 1h
                properties:
                  plugin: /bin/true
            """;

    @TempDir
    Path tmp;

    private Tend tend;
    private final Map<String, Tend.Background> agents = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        tend = Tend.on(Tend.Backend.NATS, tmp);
        for (String node : List.of("web1", "web2", "db1")) {
            Path machines = tmp.resolve(node + "/machines");
            Door.write(machines, Door.TIMED);
            Files.createDirectories(machines.resolve("health"));
            Files.writeString(machines.resolve("health/machine.yaml"), HEALTH);
            agents.put(node, tend.start("agent", "--machines", machines.toString(), "--state",
                    tmp.resolve(node + "/state").toString(), "--socket", socket(node), "--plugins",
                    tmp.resolve(node + "/plugins").toString(), "--identity", node));
        }
        for (Tend.Background agent : agents.values()) {
            Tend.awaitStarted(agent);
        }
        // Each agent subscribes on NATS in the background of its start: wait until all three answer.
        eventually("all three agents on NATS", () -> {
            JsonNode fleet = json(run("machine", "list", "--fleet", "--json"));
            return fleet != null && fleet.path("nodes").size() == 3;
        });
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    private String socket(String node) {
        return tmp.resolve(node + "/run/agent.sock").toString();
    }

    private Tend.Result run(String... args) {
        try {
            return tend.run(args);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(Tend.Result r) {
        try {
            return r.code() == 0 ? JSON.readTree(r.out()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The state of {@code machine} on {@code node}, asked on the node's own socket. */
    private String state(String node, String machine) throws Exception {
        Tend.Result r = run("machine", "info", machine, "--json", "--socket", socket(node));
        assertOk(r);
        return JSON.readTree(r.out()).path("state").asText();
    }

    @Test
    void theFleetFromOnePlace() throws Exception {
        // list --fleet: every node's machines, the node first.
        Tend.Result list = run("machine", "list", "--fleet");
        assertOk(list);
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(1)).startsWith("| NODE ").contains("| NAME ", "| STATE ");
        assertThat(lines).filteredOn(l -> l.startsWith("| db1 ") || l.startsWith("| web"))
                .extracting(l -> l.split("\\|")[1].strip() + "/" + l.split("\\|")[2].strip())
                .containsExactly("db1/door", "db1/health", "web1/door", "web1/health", "web2/door", "web2/health");

        // --nodes: a glob on the identities.
        JsonNode web = json(run("machine", "list", "--fleet", "--nodes", "web*", "--json"));
        assertThat(web.path("nodes").findValuesAsText("node")).containsExactly("web1", "web2");
        assertThat(web.path("did_not_answer")).isEmpty();
        assertThat(web.path("nodes").get(0).path("machines").findValuesAsText("name")).contains("door", "health");

        // info --node: the same output as the node's own info.
        Tend.Result remote = run("machine", "info", "--node", "web2", "door");
        assertOk(remote);
        // The "In state" line counts time, so it may differ by a second between the two calls.
        assertThat(withoutTimeInState(remote.out()))
                .isEqualTo(withoutTimeInState(run("machine", "info", "door", "--socket", socket("web2")).out()));

        // transition --node, then --fleet (on the nodes --nodes selects, then on all).
        Tend.Result one = run("machine", "transition", "--node", "web1", "door", "open");
        assertOk(one);
        assertThat(one.out()).isEqualTo("door: closed -> opened via open\n");
        assertThat(state("web1", "door")).isEqualTo("opened");
        assertThat(state("web2", "door")).isEqualTo("closed");

        Tend.Result others = run("machine", "transition", "--fleet", "--nodes", "{web2,db1}", "door", "open");
        assertOk(others);
        assertThat(others.out()).isEqualTo("db1: door: closed -> opened via open\n"
                + "web2: door: closed -> opened via open\n");
        Tend.Result all = run("machine", "transition", "--fleet", "door", "close", "--json");
        assertOk(all);
        assertThat(JSON.readTree(all.out()).path("transitioned").findValuesAsText("node"))
                .containsExactly("db1", "web1", "web2");
        for (String node : agents.keySet()) {
            assertThat(state(node, "door")).as(node).isEqualTo("closed");
        }
        // A transition a node refuses is a failed line and exit 1; the others still fire.
        Tend.Result refused = run("machine", "transition", "--fleet", "door", "close");
        assertThat(refused.code()).as(refused.describe()).isEqualTo(1);
        assertThat(refused.out()).contains("web1: door: failed, transition \"close\" is not valid in state");

        // The Scout verbs, fleet-wide.
        Tend.Result maintenance = run("machine", "maintenance", "--fleet");
        assertOk(maintenance);
        assertThat(maintenance.out().lines()).hasSize(3).allMatch(l -> l.matches("\\w+: health: \\w+ -> MAINTENANCE"
                + " via MAINTENANCE"));
        for (String node : agents.keySet()) {
            assertThat(state(node, "health")).as(node).isEqualTo("MAINTENANCE");
        }
        Tend.Result resume = run("machine", "resume", "--fleet", "health");
        assertOk(resume);
        for (String node : agents.keySet()) {
            assertThat(state(node, "health")).as(node).isNotEqualTo("MAINTENANCE");
        }
        Tend.Result check = run("machine", "check", "--node", "db1", "--json");
        assertThat(check.code()).as(check.describe()).isZero();

        // An unknown node: one line, non-zero, at once.
        assertOneLineError(run("machine", "info", "--node", "nosuch", "door"), 1);
        assertOneLineError(run("machine", "transition", "--node", "nosuch", "door", "open"), 1);

        // One agent killed: it stays registered, and is reported, not waited for.
        Tend.Background db1 = agents.get("db1");
        db1.process.destroyForcibly();
        db1.process.waitFor();
        Tend.Result partial = run("machine", "list", "--fleet", "--timeout", "2s"); // returns: Tend.run would fail
        assertThat(partial.code()).as(partial.describe()).isEqualTo(3);
        assertThat(partial.err()).isEqualTo("tend: node db1 did not answer within 2s\n");
        assertThat(partial.out()).contains("| web1 ", "| web2 ").doesNotContain("| db1 ");
        JsonNode partialJson = JSON.readTree(run("machine", "list", "--fleet", "--json").out());
        assertThat(partialJson.path("did_not_answer").toString()).isEqualTo("[\"db1\"]");

        badOptionsAreOneLineUsageErrors();
    }

    private void badOptionsAreOneLineUsageErrors() {
        List<List<String>> bad = new ArrayList<>(List.of(
                List.of("machine", "list", "--fleet", "--node", "web1"),
                List.of("machine", "list", "--fleet", "--socket", socket("web1")),
                List.of("machine", "list", "--nodes", "web*"),
                List.of("machine", "list", "--timeout", "2s"),
                List.of("machine", "list", "--fleet", "--timeout", "0s"),
                List.of("machine", "info", "--fleet", "door"),
                List.of("machine", "info", "--node", " ", "door"),
                List.of("machine", "list", "--fleet", "--nodes", "[a"),
                List.of("machine", "list", "--fleet", "--store", tmp.resolve("kv").toString())));
        for (List<String> args : bad) {
            assertOneLineError(run(args.toArray(String[]::new)), 2);
        }
    }

    private static String withoutTimeInState(String info) {
        return info.replaceAll("(?m)^( *In state: ).*$", "$1...");
    }
}
