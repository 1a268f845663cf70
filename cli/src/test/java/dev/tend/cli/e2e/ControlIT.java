package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend machine list|info|transition|events} against a real {@code tend agent}, as an operator uses them: the
 * real launcher, the control socket, the events file; Ctrl-C ends {@code events --follow} quietly and an agent that
 * stops ends it with status 0.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory, store and agent each
class ControlIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Tend tend;
    private Path state;
    private String socket;
    private Tend.Background agent;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        Path machines = Files.createDirectories(tmp.resolve("machines"));
        Door.write(machines, Door.RECORDING);
        state = tmp.resolve("state");
        socket = tmp.resolve("run/agent.sock").toString();
        agent = tend.start("agent", "--machines", machines.toString(), "--state", state.toString(), "--plugins",
                TestPlugin.directory(tmp.resolve("plugins")).toString(), "--socket", socket, "--identity", "it-node");
        Tend.awaitStarted(agent);
        eventually("the agent's machine on its control socket",
                () -> run("machine", "list", "--socket", socket).out().contains("door"));
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    private Tend.Result run(String... args) {
        try {
            return tend.run(args);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOperatorSession() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(socket))))
                .isEqualTo("rw-------");

        Tend.Result list = run("machine", "list", "--socket", socket);
        assertOk(list);
        assertThat(list.out()).startsWith("+------+---------+--------+---------------------+-------------+\n"
                + "| NAME | VERSION | STATE  | STARTED             | TRANSITIONS |\n");
        assertThat(list.out()).containsPattern("\\| door \\| 1\\.0\\.0   \\| closed \\| \\d\\d \\w{3} \\d\\d \\d\\d:\\d\\d UTC"
                + " \\| open        \\|\n");

        Tend.Background follow = tend.start("machine", "events", "--follow", "--socket", socket);
        Tend.Background followJson = tend.start("machine", "events", "-f", "--json", "--machine", "door", "--socket",
                socket);
        // The followers subscribe once their JVMs are up: open and close the door until both have seen it.
        Tend.repeatUntil("both followers see the door open", () -> {
            Tend.Result open = run("machine", "transition", "door", "open", "--socket", socket);
            assertOk(open);
            assertThat(open.out()).isEqualTo("door: closed -> opened via open\n");
            assertOk(run("machine", "transition", "door", "close", "--socket", socket));
        }, () -> outOf(follow).contains("it-node door transitioned via event open: closed => opened")
                && outOf(followJson).contains("\"to_state\":\"opened\""));
        assertThat(outOf(follow).lines()).allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d it-node door .+"));
        for (String line : outOf(followJson).lines().toList()) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("type").asText()).startsWith("dev.tend.machine.");
            assertThat(event.get("subject").asText()).isEqualTo("it-node");
            assertThat(event.at("/data/machine").asText()).isEqualTo("door");
        }

        Tend.Result info = run("machine", "info", "door", "--socket", socket, "--json");
        assertOk(info);
        JsonNode door = JSON.readTree(info.out());
        assertThat(door.get("state").asText()).isEqualTo("closed");
        assertThat(door.get("watchers").get(0).get("name").asText()).isEqualTo("sensor");
        assertThat(door.get("watchers").get(0).get("type").asText()).isEqualTo("test");
        assertThat(run("machine", "info", "door", "--socket", socket).out()).contains(" State: closed\n")
                .contains("Watcher sensor\n");

        Tend.Result invalid = run("machine", "transition", "door", "close", "--socket", socket);
        assertOneLineError(invalid, 1);
        assertThat(invalid.err()).isEqualTo(
                "tend: transition \"close\" is not valid in state \"closed\" of machine \"door\" (valid: open)\n");
        assertOneLineError(run("machine", "transition", "window", "open", "--socket", socket), 1);
        assertOneLineError(run("machine", "info", "window", "--socket", socket), 1);

        // Ctrl-C ends a follower quietly (the JVM's status for SIGINT).
        new ProcessBuilder("kill", "-INT", Long.toString(follow.process.pid())).start().waitFor(30, TimeUnit.SECONDS);
        Tend.Result interrupted = follow.await();
        assertThat(interrupted.code()).as(interrupted.describe()).isEqualTo(130);
        assertThat(interrupted.err()).as(interrupted.describe()).isEmpty();

        // The events file holds the same transitions for later.
        Tend.Result recent = run("machine", "events", "--state", state.toString(), "-n", "2");
        assertOk(recent);
        assertThat(recent.out().lines()).hasSize(2).allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d it-node door .+"));
        assertThat(run("machine", "events", "--state", state.toString(), "-n", "1000").out())
                .contains("it-node door transitioned via event open: closed => opened\n");

        // The agent stops: the other follower ends with status 0, the socket is gone, and nobody answers.
        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
        Tend.Result ended = followJson.await();
        assertThat(ended.code()).as(ended.describe()).isZero();
        assertThat(ended.err()).as(ended.describe()).isEmpty();
        assertThat(Path.of(socket)).doesNotExist();
        Tend.Result none = run("machine", "list", "--socket", socket);
        assertOneLineError(none, 3);
        assertThat(none.err()).isEqualTo("tend: no agent is listening on " + socket + " (is tend agent running?)\n");
    }

    @Test
    void aSecondAgentOnTheSameSocketIsRefused() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other-machines"));
        Tend.Result second = tend.run("agent", "--machines", other.toString(), "--state",
                tmp.resolve("other-state").toString(), "--socket", socket);
        assertThat(second.code()).as(second.describe()).isNotZero();
        assertThat(second.err()).as(second.describe()).contains("another agent is already listening on " + socket)
                .doesNotContain("\tat ");
        assertOk(run("machine", "list", "--socket", socket));
    }

    private static String outOf(Tend.Background b) {
        try {
            return b.out();
        } catch (IOException e) {
            return "";
        }
    }
}
