package dev.tend.cli.machine;

import dev.tend.cli.command.PlainArgs.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tend.cli.kv.KvFastPathTest.assertMatches;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path of {@code machine list}, {@code info} and {@code transition}: its table says what picocli's model says,
 * and against a running agent (a real control server) both paths answer and fail alike. The cases without an agent
 * are in {@code dev.tend.cli.FastPathTest}.
 */
class MachineFastPathTest {
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
    void theTableMatchesPicocliModel() {
        CommandLine machine = MachineCommand.commandLine(Map.of(), new String[0]);
        for (Map.Entry<String, Shape> e : MachineFastPath.SHAPES.entrySet()) {
            assertMatches(e.getKey(), machine.getSubcommands().get(e.getKey()).getCommandSpec(), e.getValue(),
                    leftToPicocli());
        }
    }

    /** Help and version, and the options that ask agents over NATS ({@code --fleet}, {@code --node}, ...). */
    private static Set<String> leftToPicocli() {
        Set<String> left = new java.util.HashSet<>(Set.of("--help", "-h", "--version", "-V"));
        left.addAll(FleetTarget.OPTION_NAMES);
        return left;
    }

    @Test
    void answersAsPicocliDoesAgainstAnAgent() {
        String socket = agent.socket.toString();
        for (List<String> args : List.of(
                List.of("machine", "list", "--socket", socket),
                List.of("machine", "ls", "--json", "--socket=" + socket),
                List.of("machine", "info", "alpha"),
                List.of("machine", "info", "beta", "--json"),
                List.of("machine", "info", "nope"),
                List.of("machine", "info", " "),
                List.of("machine", "transition", "alpha", "on"),
                List.of("machine", "transition", "alpha", "off", "--json"),
                List.of("machine", "transition", "alpha", "nope"),
                List.of("machine", "transition", "nope", "on"),
                List.of("machine", "transition", "beta", " "))) {
            List<String> withSocket = new java.util.ArrayList<>(args);
            if (args.stream().noneMatch(a -> a.startsWith("--socket"))) {
                withSocket.addAll(List.of("--socket", socket));
            }
            String[] argv = withSocket.toArray(String[]::new);
            assertThat(MachineFastPath.parse(argv, agent.env, null)).as(args + " served by the fast path").isNotNull();
            AgentFixture.Result fast = agent.tend(argv);
            // The transition is applied again by picocli's run: from the same state, for the same answer.
            resetAlpha();
            AgentFixture.Result picocli = agent.tendPicocli(argv);
            resetAlpha();
            assertThat(withoutTimeInState(fast)).as(String.join(" ", args)).isEqualTo(withoutTimeInState(picocli));
        }
    }

    /**
     * The answer without what depends on when it was asked: the time in the state and since when (the two runs are
     * made one after the other, and alpha's state is entered again between them).
     */
    private static AgentFixture.Result withoutTimeInState(AgentFixture.Result r) {
        String out = r.out().replaceAll("(?m)^( +In state: ).*$", "$1-")
                .replaceAll("\"(time_in_state|state_since)\" *: *\"[^\"]*\"", "\"$1\": \"-\"");
        return new AgentFixture.Result(r.code(), out, r.err());
    }

    private void resetAlpha() {
        if (agent.get("alpha").status().state().equals("on")) {
            agent.tendPicocli("machine", "transition", "alpha", "off", "--socket", agent.socket.toString());
        }
    }
}
