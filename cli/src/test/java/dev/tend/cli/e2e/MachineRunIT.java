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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code tend machine run DIR...}: machines in the foreground, events on stdout, stopped by SIGINT or SIGTERM. */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory each
class MachineRunIT {

    private static final Pattern EVENT_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d .+");

    @TempDir
    Path tmp;

    private Tend tend;
    private Path plugins;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        plugins = TestPlugin.directory(tmp.resolve("plugins"));
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    private Path machine(String name, String yaml) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("machines").resolve(name));
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        return dir;
    }

    /**
     * Records the greeting from its data, then goes to busy on its own. Nothing fires its reset: it is there so that
     * busy has a way out and the machine loads without a warning.
     */
    private static String leader() {
        return """
                name: leader
                version: "1.0.0"
                initial_state: idle
                transitions:
                  - name: go
                    from: [idle]
                    destination: busy
                  - name: reset
                    from: [busy]
                    destination: idle
                watchers:
                  - name: recorder
                    type: test
                    state_match: [idle]
                    success_transition: go
                    properties:
                      record: seen.txt
                      message: '{{ lookup "data.greeting" "none" }}'
                      success_after: 50ms
                """;
    }

    /** Follows the leader's go, once the leader is busy (a foreign state). */
    private static String follower() {
        return """
                name: follower
                version: "1.0.0"
                initial_state: waiting
                transitions:
                  - name: follow
                    from: [waiting]
                    destination: following
                    subscribe:
                      - machine_name: leader
                        event: go
                watchers:
                  - name: recorder
                    type: test
                    state_match: [following]
                    foreign_state_required:
                      - machine_name: leader
                        state: busy
                    properties:
                      record: seen.txt
                      message: follows
                """;
    }

    private static void signal(Tend.Background b, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(b.process.pid())).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String outOf(Tend.Background b) {
        try {
            return b.out();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void runsTheMachinesGivenPrintsTheirEventsAndStopsOnSigint() throws Exception {
        Path leader = machine("leader", leader());
        Path follower = machine("follower", follower());
        Path data = tmp.resolve("data.json");
        Files.writeString(data, "{\"greeting\": \"hi\"}");
        Tend.Background run = tend.start("machine", "run", leader.toString(), follower.toString(), "--plugins",
                plugins.toString(), "--state", tmp.resolve("state").toString(), "--data", data.toString());
        eventually("the leader's activation with its --data", () -> read(leader.resolve("seen.txt")).equals("idle hi\n"));
        eventually("the follower, through its subscription and the leader's state",
                () -> read(follower.resolve("seen.txt")).equals("following follows\n"));
        eventually("both transitions on stdout", () -> outOf(run).contains("follower transitioned"));
        List<String> transitions = outOf(run).lines().filter(l -> l.contains(" transitioned via ")).toList();
        assertThat(transitions).hasSize(2).allMatch(l -> EVENT_LINE.matcher(l).matches());
        assertThat(transitions.get(0)).endsWith(" cli leader transitioned via event go: idle => busy");
        assertThat(transitions.get(1)).endsWith(" cli follower transitioned via event follow: waiting => following");

        signal(run, "INT");
        Tend.Result r = run.await();
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.err()).as(r.describe()).doesNotContain("Exception", "ERROR");
    }

    @Test
    void sigtermStopsItWithStatusZero() throws Exception {
        Path leader = machine("leader", leader());
        Tend.Background run = tend.start("machine", "run", leader.toString(), "--plugins", plugins.toString(),
                "--state", tmp.resolve("state").toString(), "--identity", "node-7");
        eventually("the transition", () -> outOf(run).contains(" node-7 leader transitioned via event go"));
        assertThat(read(leader.resolve("seen.txt"))).isEqualTo("idle none\n");
        run.process.destroy();
        assertThat(run.await().code()).isZero();
    }

    @Test
    void whenAnyMachineDoesNotLoadEveryProblemIsPrintedAndNothingRuns() throws Exception {
        Path good = machine("good", leader());
        Path bad = machine("bad", leader().replace("name: leader", "name: bad")
                .replace("success_transition: go", "success_transition: nowhere")
                .replace("state_match: [idle]", "state_match: [nowhere_state]"));
        Tend.Result r = tend.run("machine", "run", good.toString(), bad.toString(), "--plugins", plugins.toString(),
                "--state", tmp.resolve("state").toString());
        assertThat(r.code()).as(r.describe()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.describe()).hasSize(3);
        assertThat(lines.get(0)).startsWith(bad.resolve("machine.yaml") + ":").contains("nowhere_state");
        assertThat(lines.get(1)).startsWith(bad.resolve("machine.yaml") + ":").contains("nowhere");
        assertThat(lines.get(2)).isEqualTo("tend: 1 of 2 machines did not load; nothing was started");
        assertThat(r.out()).isEmpty();
        assertThat(good.resolve("seen.txt")).doesNotExist();
    }

    @Test
    void twoMachinesWithOneNameAreRefused() throws Exception {
        Path one = machine("one", leader());
        Path two = machine("two", leader());
        Tend.Result r = tend.run("machine", "run", one.toString(), two.toString(), "--plugins", plugins.toString(),
                "--state", tmp.resolve("state").toString());
        assertThat(r.code()).as(r.describe()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(r.err()).as(r.describe()).startsWith("machine \"leader\" in " + two + " is refused: a machine of "
                + "that name is already loaded from " + one + "\n");
    }

    @Test
    void badDataIsAUsageError() throws Exception {
        Path leader = machine("leader", leader());
        Files.writeString(tmp.resolve("list.json"), "[1, 2]");
        Tend.Result r = tend.run("machine", "run", leader.toString(), "--data", tmp.resolve("list.json").toString());
        Tend.assertOneLineError(r, 2);
        assertThat(r.err()).isEqualTo("tend: --data " + tmp.resolve("list.json") + " must hold a JSON object, e.g. "
                + "{\"key\": \"value\"}\n");
        Tend.Result missing = tend.run("machine", "run", leader.toString(), "--data", tmp.resolve("none").toString());
        Tend.assertOneLineError(missing, 2);
        Path big = Files.write(tmp.resolve("big.json"), new byte[16 * 1024 * 1024 + 1]);
        Tend.Result tooLarge = tend.run("machine", "run", leader.toString(), "--data", big.toString());
        Tend.assertOneLineError(tooLarge, 2);
        assertThat(tooLarge.err()).isEqualTo("tend: --data " + big + ": 16777217 bytes is over the 16 MiB limit for "
                + "machine data\n");
    }
}
