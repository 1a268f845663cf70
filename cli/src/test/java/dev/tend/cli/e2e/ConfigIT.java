package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One configuration for every command, end to end through {@code bin/tend}: an agent started with no flags takes its
 * machines, state, socket, plugins and identity from the user's {@code tend.yaml} or from {@code TEND_*}, and
 * {@code tend machine list|info|events} find it there with no {@code --socket}; {@code tend config} shows each setting
 * and where it came from.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory, store and agent each
class ConfigIT {

    @TempDir
    Path tmp;

    private Tend tend;
    private Path config;
    private Path machines;
    private Path plugins;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        config = tmp.resolve("home/.config/tend/tend.yaml");
        Files.createDirectories(config.getParent());
        machines = Files.createDirectories(tmp.resolve("machines"));
        Path alpha = Files.createDirectories(machines.resolve("alpha"));
        Files.writeString(alpha.resolve("machine.yaml"), AgentIT.machine("alpha"));
        plugins = TestPlugin.directory(tmp.resolve("plugins"));
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    private Tend.Background agent(Map<String, String> env) throws Exception {
        Tend.Background agent = tend.start(env, "agent");
        Tend.awaitStarted(agent);
        return agent;
    }

    @Test
    void theMachineCommandsFindTheAgentFromTheConfigFile() throws Exception {
        // Relative paths are relative to the file's directory.
        Files.writeString(config, """
                # the agent's locations, and the machine commands'
                machines: %s
                state: ../../../state
                socket: run/agent.sock
                plugins: %s
                identity: from-file
                """.formatted(machines, plugins));
        Tend.Background agent = agent(Map.of());
        assertThat(agent.err()).contains("agent started: 1 machines from " + machines);
        eventually("the socket where the file says", () -> Files.exists(tmp.resolve("home/.config/tend/run/agent.sock")));

        Tend.Result list = tend.run("machine", "list");
        assertOk(list);
        assertThat(list.out()).contains("| alpha ");
        Tend.Result json = tend.run("machine", "list", "--json");
        assertOk(json);
        assertThat(json.out()).contains("\"name\": \"alpha\"");
        assertOk(tend.run("machine", "info", "alpha"));
        eventually("alpha's events in the state directory the file names", () -> {
            try {
                Tend.Result events = tend.run("machine", "events", "--machine", "alpha");
                return events.code() == 0 && events.out().contains("from-file alpha");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(tmp.resolve("state/events.jsonl")).isRegularFile();

        Tend.Result shown = tend.run("config");
        assertOk(shown);
        assertThat(shown.out()).containsPattern("(?m)^socket +" + tmp.resolve("home/.config/tend/run/agent.sock")
                + " +" + config + ":4$");
        assertThat(shown.out()).containsPattern("(?m)^identity +from-file +" + config + ":6$");
        assertThat(shown.out()).containsPattern("(?m)^store +" + tend.storeUrl() + " +env TEND_STORE$");
        assertThat(shown.out()).containsPattern("(?m)^facts +- +default$");

        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
    }

    @Test
    void theMachineCommandsFindTheAgentFromTheEnvironment() throws Exception {
        Path socket = tmp.resolve("run/agent.sock");
        Map<String, String> env = new HashMap<>(Map.of("TEND_MACHINES", machines.toString(),
                "TEND_STATE", tmp.resolve("state").toString(), "TEND_SOCKET", socket.toString(),
                "TEND_PLUGINS", plugins.toString(), "TEND_IDENTITY", "from-env"));
        // The environment wins over the file.
        Files.writeString(config, "socket: " + tmp.resolve("elsewhere.sock") + "\n");
        Tend.Background agent = agent(env);
        assertThat(socket).exists();

        Tend.Result list = tend.run(null, Map.of("TEND_SOCKET", socket.toString()), "machine", "list");
        assertOk(list);
        assertThat(list.out()).contains("| alpha ");
        Tend.Result info = tend.run(null, Map.of("TEND_SOCKET", socket.toString()), "machine", "info", "alpha",
                "--json");
        assertOk(info);
        assertThat(info.out()).contains("\"name\": \"alpha\"");

        // Without it, the file's socket, where no agent listens; the flag wins over both.
        Tend.Result fromFile = tend.run("machine", "list");
        Tend.assertOneLineError(fromFile, 3);
        assertThat(fromFile.err()).contains(tmp.resolve("elsewhere.sock").toString());
        assertOk(tend.run(null, Map.of("TEND_SOCKET", tmp.resolve("nowhere.sock").toString()), "machine", "list",
                "--socket", socket.toString()));

        Tend.Result shown = tend.run(null, env, "config", "--json");
        assertOk(shown);
        com.fasterxml.jackson.databind.JsonNode shownSocket = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(shown.out()).get("settings").get(5);
        assertThat(shownSocket.get("key").asText()).isEqualTo("socket");
        assertThat(shownSocket.get("value").asText()).isEqualTo(socket.toString());
        assertThat(shownSocket.get("source").asText()).isEqualTo("env");
        assertThat(shownSocket.get("env").asText()).isEqualTo("TEND_SOCKET");

        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
    }

    @Test
    void tendConfigShowsFlagsVariablesLinesAndDefaults() throws Exception {
        Files.writeString(config, "listen: 127.0.0.1:9100\nlog:\n  format: json\nsockt: /typo.sock\n");
        Tend.Result r = tend.run(null, Map.of("TEND_STATE", "/srv/state", "TEND_LOG_LEVEL", "debug"), "config",
                "--identity", "n1", "--log-level", "warn");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.err()).as(r.describe()).isEqualTo("tend: warning: " + config + ":4: unknown key \"sockt\", which"
                + " no command reads (see docs/configuration.md)\n");
        assertThat(r.out().lines()).extracting(l -> l.split(" +")[0]).containsExactly("store", "store_mode",
                "events_prefix", "machines", "state", "socket", "plugins", "facts", "identity", "listen", "log.level",
                "log.format");
        assertThat(r.out()).containsPattern("(?m)^state +/srv/state +env TEND_STATE$")
                .containsPattern("(?m)^identity +n1 +flag --identity$")
                .containsPattern("(?m)^listen +127.0.0.1:9100 +" + config + ":1$")
                .containsPattern("(?m)^log.format +json +" + config + ":3$")
                .containsPattern("(?m)^log.level +warn +flag --log-level$")
                .containsPattern("(?m)^store_mode +owner +default$");
    }

    @Test
    void aBadValueIsOneLineWithTheFileAndLine() throws Exception {
        Files.writeString(config, "# a list where a path belongs\nsocket:\n  - /a.sock\n");
        Tend.Result r = tend.run("machine", "list");
        Tend.assertOneLineError(r, 2);
        assertThat(r.err()).isEqualTo("tend: " + config + ":3: socket must be a path, not a list\n");
        Tend.assertOneLineError(tend.run("config"), 2);
    }
}
