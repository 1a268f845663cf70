package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.cli.output.TimeFormat;
import dev.tend.machine.Problem;
import dev.tend.machine.agent.AgentPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code tend machine list|info|transition} against a real control server. */
@Timeout(60)
class MachineControlCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private String started(String machine) {
        return TimeFormat.from(Map.of("TZ", "UTC")).table(agent.get(machine).status().startTime());
    }

    @Test
    void listShowsATableOfTheMachines() {
        AgentFixture.Result r = agent.tendMachine("list");
        assertThat(r.code()).as(r.toString()).isZero();
        String a = started("alpha");
        String b = started("beta");
        assertThat(a).hasSize(19); // 13 Jul 21 10:38 UTC
        assertThat(r.out()).isEqualTo(""
                + "+-------+---------+-------+---------------------+-------------+\n"
                + "| NAME  | VERSION | STATE | STARTED             | TRANSITIONS |\n"
                + "+-------+---------+-------+---------------------+-------------+\n"
                + "| alpha | 1.0.0   | off   | " + a + " | break, on   |\n"
                + "| beta  | 1.0.0   | off   | " + b + " | break, on   |\n"
                + "+-------+---------+-------+---------------------+-------------+\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void listAsJsonIsAnArrayOfMachineObjects() throws Exception {
        agent.get("alpha").transition("on");
        AgentFixture.Result r = agent.tendMachine("list", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode list = JSON.readTree(r.out());
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(2);
        JsonNode alpha = list.get(0);
        assertThat(alpha.get("name").asText()).isEqualTo("alpha");
        assertThat(alpha.get("version").asText()).isEqualTo("1.0.0");
        assertThat(alpha.get("state").asText()).isEqualTo("on");
        assertThat(alpha.get("path").asText()).isEqualTo(tmp.resolve("machines/alpha").toString());
        assertThat(alpha.get("instance_id").asText()).isEqualTo(agent.get("alpha").instanceId());
        assertThat(alpha.get("start_time").asText())
                .isEqualTo(agent.get("alpha").status().startTime().toString());
        assertThat(alpha.get("available_transitions").toString()).isEqualTo("[\"off\"]");
        JsonNode check = alpha.get("watchers").get(0);
        assertThat(check.get("name").asText()).isEqualTo("check");
        assertThat(check.get("type").asText()).isEqualTo("probe");
        assertThat(check.get("active").asBoolean()).isTrue();
        assertThat(check.get("state").get("checks").asInt()).isEqualTo(3);
        assertThat(check.get("state").get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(list.get(1).get("watchers")).isEmpty();
    }

    @Test
    void listWithNoAgentIsAFailureNamingTheSocket() {
        Path socket = tmp.resolve("none/agent.sock");
        AgentFixture.Result r = agent.tend("machine", "list", "--socket", socket.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("tend: no agent is listening on " + socket + " (is tend agent running?)\n");
    }

    @Test
    void withoutSocketTheDefaultSocketIsAsked() {
        Path socket = AgentPaths.defaults(agent.env).socket();
        assumeFalse(Files.exists(socket), "an agent of this user is running");
        AgentFixture.Result r = agent.tend("machine", "list");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("tend: no agent is listening on " + socket + " (is tend agent running?)\n");
    }

    @Test
    void listOfNoMachines() throws Exception {
        try (AgentFixture empty = new AgentFixture(tmp.resolve("empty"))) {
            var server = dev.tend.machine.control.ControlServer.start(empty.socket, empty);
            try (server) {
                AgentFixture.Result r = empty.tendMachine("list");
                assertThat(r.code()).isZero();
                assertThat(r.out()).isEqualTo("No machines are loaded\n");
                assertThat(empty.tendMachine("list", "--json").out()).isEqualTo("[ ]\n");
            }
        }
    }

    @Test
    void infoShowsTheMachineAndItsWatchers() throws Exception {
        agent.get("alpha").transition("on");
        AgentFixture.Result r = agent.tendMachine("info", "alpha");
        assertThat(r.code()).as(r.toString()).isZero();
        // The time in the state goes on; its line is checked on its own, the rest as it is.
        assertThat(r.out()).containsPattern("\n    In state: [0-9hms]+, since \\d\\d \\w{3} \\d\\d \\d\\d:\\d\\d UTC\n");
        assertThat(r.out().replaceFirst("    In state: [^\n]*\n", "")).isEqualTo(""
                + "Machine alpha\n"
                + "\n"
                + "        Name: alpha\n"
                + "     Version: 1.0.0\n"
                + "       State: on\n"
                + "        Path: " + tmp.resolve("machines/alpha") + "\n"
                + " Instance ID: " + agent.get("alpha").instanceId() + "\n"
                + "     Started: " + started("alpha") + "\n"
                + " Transitions: off\n"
                + "    Watchers: 1\n"
                + "\n"
                + "Watcher check\n"
                + "\n"
                + "         Type: probe\n"
                + "       Active: yes\n"
                + "       checks: 3\n"
                + " last_outcome: ok\n"
                + "         tags: [\"a\",\"b\"]\n");
    }

    @Test
    void infoAsJsonIsTheMachineObject() throws Exception {
        AgentFixture.Result r = agent.tendMachine("info", "beta", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode beta = JSON.readTree(r.out());
        // The fields an older client knows come first, in their order; later additions follow (ControlProtocol).
        assertThat(beta.fieldNames()).toIterable().containsExactly("name", "version", "state", "path",
                "instance_id", "start_time", "available_transitions", "watchers", "state_since", "time_in_state",
                "data");
        assertThat(beta.get("state").asText()).isEqualTo("off");
        assertThat(beta.get("available_transitions").toString()).isEqualTo("[\"break\",\"on\"]");
    }

    @Test
    void infoShowsWhatLoadingTheFileWarnedAbout() throws Exception {
        Path file = tmp.resolve("machines/gamma/machine.yaml");
        agent.addWarned("gamma", List.of(
                new Problem(file, 3, "", "unknown field \"data\"; known fields: name, version"),
                new Problem(file, 9, "watcher \"w\"", "unknown property \"comand\" (did you mean \"command\"?)")));
        AgentFixture.Result r = agent.tendMachine("info", "gamma");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains(""
                + "    Watchers: 0\n"
                + "    Warnings: 2\n"
                + "\n"
                + "Warnings\n"
                + "\n"
                + " " + file + ":3: unknown field \"data\"; known fields: name, version\n"
                + " " + file + ":9: watcher \"w\": unknown property \"comand\" (did you mean \"command\"?)\n");

        AgentFixture.Result json = agent.tendMachine("info", "gamma", "--json");
        assertThat(json.code()).as(json.toString()).isZero();
        JsonNode warnings = JSON.readTree(json.out()).get("warnings");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1).get("file").asText()).isEqualTo(file.toString());
        assertThat(warnings.get(1).get("line").asInt()).isEqualTo(9);
        assertThat(warnings.get(1).get("where").asText()).isEqualTo("watcher \"w\"");
        assertThat(warnings.get(1).get("message").asText())
                .isEqualTo("unknown property \"comand\" (did you mean \"command\"?)");
    }

    @Test
    void infoOfAnUnknownMachineIsNotFound() {
        AgentFixture.Result r = agent.tendMachine("info", "gamma");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("tend: unknown machine \"gamma\"\n");
    }

    @Test
    void infoNeedsAName() {
        AgentFixture.Result r = agent.tendMachine("info");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tend: missing required parameter: 'NAME'");
    }

    @Test
    void transitionPrintsFromAndTo() {
        AgentFixture.Result r = agent.tendMachine("transition", "alpha", "on");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("alpha: off -> on via on\n");
        assertThat(agent.get("alpha").state()).isEqualTo("on");
    }

    @Test
    void transitionAsJson() throws Exception {
        AgentFixture.Result r = agent.tendMachine("transition", "beta", "break", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(JSON.readTree(r.out()).toString()).isEqualTo(
                "{\"machine\":\"beta\",\"event\":\"break\",\"from_state\":\"off\",\"to_state\":\"broken\"}");
    }

    @Test
    void anInvalidEventIsNotFoundAndNamesTheValidOnes() {
        AgentFixture.Result r = agent.tendMachine("transition", "alpha", "off");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tend: transition \"off\" is not valid in state \"off\"")
                .contains("break, on").endsWith("\n").hasLineCount(1);
        assertThat(agent.get("alpha").state()).isEqualTo("off");
    }

    @Test
    void transitionOfAnUnknownMachineIsNotFound() {
        AgentFixture.Result r = agent.tendMachine("transition", "gamma", "on");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("tend: unknown machine \"gamma\"\n");
    }

    @Test
    void transitionNeedsAnEvent() {
        AgentFixture.Result r = agent.tendMachine("transition", "alpha");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tend: missing required parameter: 'EVENT'");
    }

    @Test
    void anEmptyNameOrEventIsAUsageError() {
        assertThat(agent.tendMachine("transition", "", "on").code()).isEqualTo(2);
        assertThat(agent.tendMachine("transition", "alpha", " ").code()).isEqualTo(2);
        AgentFixture.Result r = agent.tendMachine("info", "");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("tend: NAME must not be empty\n");
    }

    @Test
    void graphCurrentMarksTheStateTheAgentReports() throws Exception {
        agent.get("alpha").transition("on");
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("defs/alpha"));
        java.nio.file.Files.writeString(dir.resolve("machine.yaml"), """
                name: alpha
                version: "1.0.0"
                initial_state: "off"
                transitions:
                  - {name: "on", from: ["off"], destination: "on"}
                  - {name: "off", from: ["on"], destination: "off"}
                  - {name: break, from: ["off"], destination: broken}
                watchers:
                  - {name: w, type: test}
                """);
        AgentFixture.Result r = agent.tendMachine("graph", dir.toString(), "--current", "--format", "mermaid");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("class on current");
        assertThat(r.out()).doesNotContain("class off current");

        AgentFixture.Result both = agent.tendMachine("graph", dir.toString(), "--current", "--state", "off");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).isEqualTo("tend: --current and --state mark a state each; give one of them\n");
    }
}
