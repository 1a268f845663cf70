package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * State that survives restarts, on request, through the real launcher: a machine whose file has
 * {@code tend: {resume_state: true}} (or every machine, with {@code tend agent --resume-state}) comes back after SIGTERM
 * and a new agent in the state an operator moved it to, with its data, its watchers running as in that state; a changed
 * file starts in {@code initial_state} and the log says why; without either a machine starts in its initial state.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory and agents each
class ResumeStateIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A node an operator puts into maintenance; its watcher notes the reason in the data while it is there. */
    private static final String NODE = """
            name: node
            version: "1.0.0"
            initial_state: running
            %s
            transitions:
              - name: enter_maintenance
                from: [running]
                destination: maintenance
              - name: resume
                from: [maintenance]
                destination: running
            watchers:
              - name: note
                type: test
                state_match: [maintenance]
                properties:
                  record: seen.txt
                  message: patching
                  data_key: reason
            """;
    private static final String OPT_IN = "tend:\n  resume_state: true";

    @TempDir
    Path tmp;

    private Tend tend;
    private Path machines;
    private Path plugins;
    private Path state;
    private String socket;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        machines = Files.createDirectories(tmp.resolve("machines"));
        Files.createDirectories(machines.resolve("node"));
        plugins = TestPlugin.directory(tmp.resolve("plugins"));
        state = tmp.resolve("state");
        socket = tmp.resolve("run/agent.sock").toString();
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    private void write(String tendBlock, String version) throws Exception {
        Files.writeString(machines.resolve("node/machine.yaml"),
                NODE.formatted(tendBlock).replace("\"1.0.0\"", "\"" + version + "\""));
    }

    private Tend.Background agent(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("agent", "--machines", machines.toString(), "--state",
                state.toString(), "--plugins", plugins.toString(), "--socket", socket, "--identity", "it-node"));
        args.addAll(List.of(extra));
        Tend.Background agent = tend.start(args.toArray(String[]::new));
        Tend.awaitStarted(agent);
        return agent;
    }

    /** SIGTERM, as a service manager stops it: the agent ends with status 0. */
    private static void stop(Tend.Background agent) throws Exception {
        agent.process.destroy();
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();
    }

    private JsonNode info() throws Exception {
        Tend.Result r = tend.run("machine", "info", "node", "--socket", socket, "--json");
        assertOk(r);
        return JSON.readTree(r.out());
    }

    private String infoText() throws Exception {
        Tend.Result r = tend.run("machine", "info", "node", "--socket", socket);
        assertOk(r);
        return r.out();
    }

    private void enterMaintenance() throws Exception {
        assertOk(tend.run("machine", "transition", "node", "enter_maintenance", "--socket", socket));
        eventually("the watcher's note in the data", () -> {
            try {
                return info().at("/data/reason").asText().equals("patching");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private List<String> seen() throws Exception {
        Path f = machines.resolve("node/seen.txt");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    @Test
    void aMachineThatAsksComesBackInItsStateWithItsDataAndAChangedFileStartsFresh() throws Exception {
        write(OPT_IN, "1.0.0");
        Tend.Background first = agent();
        assertThat(info().get("state").asText()).isEqualTo("running");
        assertThat(info().has("resume")).isFalse(); // nothing was saved before
        enterMaintenance();

        // A reload of the same file (it stopped loading for a moment) resumes too.
        Files.writeString(machines.resolve("node/machine.yaml"), "name: [node\n");
        eventually("the broken file noticed", () -> errOf(first).contains("machine node stopped"));
        write(OPT_IN, "1.0.0");
        eventually("the machine reloaded", () -> errOf(first).contains("machine node: resumed state maintenance"));
        assertThat(info().get("state").asText()).isEqualTo("maintenance");
        stop(first);

        Tend.Background second = agent();
        JsonNode node = info();
        assertThat(node.get("state").asText()).isEqualTo("maintenance");
        assertThat(node.at("/data/reason").asText()).isEqualTo("patching");
        assertThat(node.at("/resume/resumed").asBoolean()).isTrue();
        assertThat(node.at("/resume/state").asText()).isEqualTo("maintenance");
        assertThat(infoText()).containsPattern("Resume: resumed state maintenance saved at \\d\\d \\w{3} \\d\\d "
                + "\\d\\d:\\d\\d UTC\n");
        assertThat(second.err()).containsPattern("machine node: resumed state maintenance saved at \\S+Z");
        // Its watcher runs as in maintenance: it became active again at the start (one line per activation).
        eventually("the watcher active again", () -> {
            try {
                return seen().size() == 3;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(seen()).containsOnly("maintenance patching");
        Tend.Result events = tend.run("machine", "events", "--state", state.toString(), "-n", "1000");
        assertThat(events.out()).contains("it-node node transitioned via event resume_state: running => maintenance\n");
        stop(second);

        write(OPT_IN, "1.1.0");
        Tend.Background third = agent();
        assertThat(info().get("state").asText()).isEqualTo("running");
        assertThat(third.err()).contains("machine node: starting in initial_state running: definition changed since "
                + "state maintenance was saved");
        assertThat(infoText()).contains("Resume: started in its initial state: definition changed since state "
                + "maintenance was saved (at ");
        assertThat(info().at("/resume/resumed").asBoolean(true)).isFalse();
        stop(third);
    }

    @Test
    void withoutTheOptInAMachineStartsInItsInitialStateAndTheAgentsFlagResumesEveryMachine() throws Exception {
        write("", "1.0.0");
        Tend.Background first = agent();
        enterMaintenance();
        stop(first);

        Tend.Background second = agent();
        assertThat(info().get("state").asText()).isEqualTo("running");
        assertThat(info().has("resume")).isFalse();
        assertThat(Files.exists(state.resolve("machines/node/machine_state.json"))).isFalse();
        enterMaintenance();
        stop(second);

        Tend.Background third = agent("--resume-state");
        assertThat(info().get("state").asText()).isEqualTo("running"); // nothing was saved without the flag
        enterMaintenance();
        stop(third);

        Tend.Background fourth = agent("--resume-state");
        assertThat(info().get("state").asText()).isEqualTo("maintenance");
        assertThat(info().at("/data/reason").asText()).isEqualTo("patching");
        stop(fourth);
    }

    private static String errOf(Tend.Background b) {
        try {
            return b.err();
        } catch (Exception e) {
            return "";
        }
    }
}
