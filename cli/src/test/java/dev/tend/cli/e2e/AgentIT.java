package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend agent} as an operator runs it: the real launcher, a machines directory, the runtime's test watcher as a
 * plugin; machines are added and removed while it runs; SIGTERM stops it with status 0 and removes its socket.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory, store and agent each
class AgentIT {

    @TempDir
    Path tmp;

    private Tend tend;
    private Path machines;
    private Path plugins;
    private Path state;
    private Path socket;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        machines = Files.createDirectories(tmp.resolve("machines"));
        plugins = TestPlugin.directory(tmp.resolve("plugins"));
        state = tmp.resolve("state");
        socket = tmp.resolve("run/agent.sock");
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    /** A machine that records each activation in {@code seen.txt} and moves from idle to busy on its own. */
    static String machine(String name) {
        return """
                name: %s
                version: "1.0.0"
                initial_state: idle
                transitions:
                  - name: go
                    from: [idle]
                    destination: busy
                watchers:
                  - name: recorder
                    type: test
                    state_match: [idle, busy]
                    success_transition: go
                    properties:
                      record: seen.txt
                      message: hello
                      success_after: 50ms
                """.formatted(name);
    }

    private Path write(String dir, String yaml) throws IOException {
        Path d = Files.createDirectories(machines.resolve(dir));
        Path tmpFile = d.resolve(".machine.yaml.new");
        Files.writeString(tmpFile, yaml);
        Files.move(tmpFile, d.resolve("machine.yaml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return d;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private Tend.Background agent(String... more) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("agent", "--machines", machines.toString(), "--state",
                state.toString(), "--plugins", plugins.toString(), "--socket", socket.toString(), "--identity",
                "it-node"));
        args.addAll(List.of(more));
        return tend.start(args.toArray(String[]::new));
    }

    @Test
    void runsMachinesKeepsUpWithTheDirectoryAndStopsCleanlyOnSigterm() throws Exception {
        Path alpha = write("alpha", machine("alpha"));
        Tend.Background agent = agent();
        eventually("alpha's watcher ran in idle and, after its transition, in busy",
                () -> read(alpha.resolve("seen.txt")).equals("idle hello\nbusy hello\n"));
        eventually("the start line", () -> errOf(agent).contains("agent started: 1 machines from " + machines));
        eventually("the transition event in the log", () -> errOf(agent)
                .contains("it-node alpha transitioned via event go: idle => busy"));
        assertThat(socket).exists();
        // The events file is written by its own writer, after the log line.
        eventually("the transition event in the events file", () -> read(state.resolve("events.jsonl"))
                .contains("\"type\":\"dev.tend.machine.v1.transition\""));
        // A long-running command gets the full JIT and a relocated (randomised) archive (bin/tend), unlike the
        // short-lived ones.
        assertThat(agent.process.info().arguments().map(List::of).orElse(List.of()))
                .contains("dev.tend.cli.Main").doesNotContain("-XX:TieredStopAtLevel=1")
                .doesNotContain("-XX:ArchiveRelocationMode=0");

        Path beta = write("beta", machine("beta"));
        eventually("the new machine", () -> read(beta.resolve("seen.txt")).equals("idle hello\nbusy hello\n"));

        deleteTree(alpha);
        eventually("the removed machine", () -> errOf(agent).contains("machine alpha removed"));

        agent.process.destroy(); // SIGTERM
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.err()).as(r.describe()).contains("agent stopped").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
        assertThat(socket).doesNotExist();
    }

    @Test
    void aBrokenMachineIsReportedAndTheOthersRun() throws Exception {
        Path good = write("good", machine("good"));
        write("broken", machine("broken").replace("success_transition: go", "success_transition: nowhere"));
        Tend.Background agent = agent();
        eventually("the good machine", () -> read(good.resolve("seen.txt")).contains("busy hello"));
        eventually("the broken one's error", () -> errOf(agent).contains("cannot load machine: "
                + machines.resolve("broken/machine.yaml")));
        assertThat(errOf(agent)).contains("unknown transition \"nowhere\"").doesNotContain("\tat ");
        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
    }

    /**
     * Unknown keys, which Choria ignores: the machine runs, the agent logs each warning once, {@code machine info}
     * shows them, {@code machine validate} passes and {@code validate --strict} fails.
     */
    @Test
    void aMachineWithUnknownKeysRunsAndItsWarningsAreShown() throws Exception {
        Path warned = write("warned", machine("warned").replace("      message: hello", "      mesage: hi\n"
                + "      message: hello") + "owner: ops\n");
        Path file = warned.resolve("machine.yaml");
        String property = file + ":15: watcher \"recorder\": unknown property \"mesage\" (did you mean \"message\"?)";
        String field = file + ":18: unknown field \"owner\"; known fields: name, version, initial_state, splay_start, "
                + "transitions, watchers";
        Tend.Background agent = agent();
        eventually("the machine ran", () -> read(warned.resolve("seen.txt")).equals("idle hello\nbusy hello\n"));
        eventually("the warnings in the log", () -> errOf(agent).contains(field));
        assertThat(errOf(agent).lines().filter(l -> l.contains(property))).hasSize(1);
        assertThat(errOf(agent).lines().filter(l -> l.contains(field))).hasSize(1).allSatisfy(l -> assertThat(l)
                .contains("WARN"));

        Tend.Result info = tend.run("machine", "info", "warned", "--socket", socket.toString());
        assertThat(info.code()).as(info.describe()).isZero();
        assertThat(info.out()).contains("    Warnings: 2\n").contains("\n " + property + "\n " + field + "\n");

        Tend.Result validate = tend.run("machine", "validate", "--plugins", plugins.toString(), warned.toString());
        assertThat(validate.code()).as(validate.describe()).isZero();
        assertThat(validate.err().lines()).containsExactly("warning: " + property, "warning: " + field);
        Tend.Result strict = tend.run("machine", "validate", "--strict", "--plugins", plugins.toString(),
                warned.toString());
        assertThat(strict.code()).as(strict.describe()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(strict.out()).isEmpty();
        assertThat(strict.err().lines()).containsExactly(property, field);

        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
        assertThat(errOf(agent).lines().filter(l -> l.contains(field))).hasSize(1);
    }

    @Test
    void aSecondAgentOnTheSameSocketIsRefused() throws Exception {
        Path alpha = write("alpha", machine("alpha"));
        Tend.Background first = agent();
        eventually("the first agent", () -> read(alpha.resolve("seen.txt")).contains("busy hello"));
        Tend.Result second = tend.run("agent", "--machines", machines.toString(), "--state", state.toString(),
                "--plugins", plugins.toString(), "--socket", socket.toString());
        assertThat(second.code()).as(second.describe()).isEqualTo(3);
        assertThat(second.err()).as(second.describe()).contains("tend: another agent is already listening on "
                + socket).doesNotContain("\tat ");
        // It ran no machine: the first agent's machine recorded its two activations only.
        assertThat(read(alpha.resolve("seen.txt"))).isEqualTo("idle hello\nbusy hello\n");
        first.process.destroy();
        assertThat(first.await().code()).isZero();
        assertThat(socket).doesNotExist();
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        Files.writeString(tmp.resolve("file"), "x");
        Tend.Result notADirectory = tend.run("agent", "--machines", tmp.resolve("file").toString(), "--state",
                state.toString(), "--plugins", plugins.toString(), "--socket", socket.toString());
        Tend.assertOneLineError(notADirectory, 3);
        assertThat(notADirectory.err()).isEqualTo(
                "tend: the machines directory " + tmp.resolve("file") + " is not a directory\n");
        assertThat(socket).doesNotExist();

        Tend.Result badPlugins = tend.run("agent", "--machines", machines.toString(), "--plugins",
                tmp.resolve("file").toString(), "--socket", socket.toString());
        Tend.assertOneLineError(badPlugins, 3);
        assertThat(badPlugins.err()).isEqualTo(
                "tend: the plugins directory " + tmp.resolve("file") + " is not a directory\n");

        Tend.Result unknown = tend.run("agent", "--machine", machines.toString());
        Tend.assertOneLineError(unknown, 2);
        assertThat(unknown.err()).contains("'--machine'", "did you mean --machines?");
    }

    private static String errOf(Tend.Background b) {
        try {
            return b.err();
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
