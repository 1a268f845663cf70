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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Why is it stuck" through {@code bin/tend} (issue 15): after an exec watcher's command failed and the machine moved
 * on, {@code tend machine info} still shows the run's exit code, duration and the end of its output; a timer shows its
 * length and expiry in Go units; a machine that does not load is listed as FAILED with its file:line error and counted
 * in the start and reload lines; the log's JSON form has the same fields as its text form.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory, store and agent each
class WhyStuckIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GO_DURATION = "(\\d+h)?(\\d+m)?\\d+(\\.\\d+)?(s|ms|µs|ns)";

    @TempDir
    Path tmp;

    private Tend tend;
    private Path machines;
    private Path state;
    private Path socket;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        machines = Files.createDirectories(tmp.resolve("machines"));
        state = tmp.resolve("state");
        socket = tmp.resolve("run/agent.sock");
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    /** Entered by hand ({@code go}), runs a command that fails, then waits on a 10 minute timer. */
    private static final String JOB = """
            name: job
            version: "1.0.0"
            initial_state: idle
            transitions:
              - name: go
                from: [idle]
                destination: run
              - name: failed
                from: [run]
                destination: waiting
              - name: retry
                from: [waiting]
                destination: run
            watchers:
              - name: work
                type: exec
                state_match: [run]
                fail_transition: failed
                properties:
                  command: ./fail.sh
              - name: wait
                type: timer
                state_match: [waiting]
                fail_transition: retry
                properties:
                  timer: 10m
            """;

    private Path write(String dir, String yaml) throws IOException {
        Path d = Files.createDirectories(machines.resolve(dir));
        Path tmpFile = d.resolve(".machine.yaml.new");
        Files.writeString(tmpFile, yaml);
        Files.move(tmpFile, d.resolve("machine.yaml"), StandardCopyOption.ATOMIC_MOVE);
        return d;
    }

    private void writeJob() throws IOException {
        Path d = write("job", JOB);
        Path script = d.resolve("fail.sh");
        StringBuilder s = new StringBuilder("#!/bin/sh\n");
        for (int i = 1; i <= 30; i++) {
            s.append("echo \"step ").append(i).append("\"\n");
        }
        s.append("echo 'disk full: /var/lib/job' >&2\nexit 3\n");
        Files.writeString(script, s.toString());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Tend.Background agent(String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("agent", "--machines", machines.toString(), "--state",
                state.toString(), "--socket", socket.toString(), "--identity", "it-node"));
        args.addAll(List.of(more));
        return tend.start(args.toArray(String[]::new));
    }

    private Tend.Result machine(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("machine"));
        all.addAll(List.of(args));
        all.addAll(List.of("--socket", socket.toString()));
        return tend.run(all.toArray(String[]::new));
    }

    /** Makes the job fail and waits until it waits on its timer. */
    private void failTheJob() throws Exception {
        Tend.Result go = machine("transition", "job", "go");
        assertThat(go.code()).as(go.describe()).isZero();
        eventually("the job failed and moved on to waiting", () -> {
            try {
                return machine("info", "job").out().contains("State: waiting");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void afterAFailedCommandTheMachineMovedOnAndInfoStillShowsTheRun() throws Exception {
        writeJob();
        Tend.Background agent = agent();
        Tend.awaitStarted(agent);
        failTheJob();

        Tend.Result info = machine("info", "job");
        assertThat(info.code()).as(info.describe()).isZero();
        String text = info.out();
        assertThat(text).containsPattern("\\n +In state: " + GO_DURATION + ", since ");
        // The exec watcher was skipped in waiting: its own fields say so, its last run is still there.
        assertThat(text).contains("previous_outcome: skipped");
        assertThat(text).containsPattern("Last run: error, exit code 3, took " + GO_DURATION + ", at ");
        assertThat(text).contains("Output of the last run (its end):", "   disk full: /var/lib/job", "   step 30")
                .doesNotContain("   step 10\n"); // the last 20 lines only
        // The timer: its length and its expiry in Go units, never nanoseconds.
        assertThat(text).contains("timer: 10m0s").doesNotContain("600000000000");
        assertThat(text).containsPattern("Next: expires in 9m\\d+s \\(");

        Tend.Result json = machine("info", "job", "--json");
        assertThat(json.code()).as(json.describe()).isZero();
        JsonNode job = JSON.readTree(json.out());
        assertThat(job.get("state").asText()).isEqualTo("waiting");
        assertThat(job.get("time_in_state").asText()).matches(GO_DURATION);
        assertThat(job.get("state_since").asText()).endsWith("Z");
        JsonNode work = job.get("watchers").get(0);
        assertThat(work.get("state").get("previous_outcome").asText()).isEqualTo("skipped");
        // the watcher's own fields as the events write them (nanoseconds); what Tend adds in Go durations
        assertThat(work.get("state").get("previous_run_time").isIntegralNumber()).isTrue();
        JsonNode run = work.get("last_run");
        assertThat(run.get("outcome").asText()).isEqualTo("error");
        assertThat(run.get("exit_code").asInt()).isEqualTo(3);
        assertThat(run.get("duration").asText()).matches(GO_DURATION);
        assertThat(run.get("output_tail").asText()).contains("disk full: /var/lib/job").contains("step 30")
                .doesNotContain("step 10\n");
        JsonNode wait = job.get("watchers").get(1);
        assertThat(wait.get("state").get("timer").asLong()).isEqualTo(600_000_000_000L);
        assertThat(wait.get("next").get("what").asText()).isEqualTo("expires");
        assertThat(wait.get("next").get("in").asText()).matches("9m\\d+(\\.\\d+)?s");

        // The events' lines show the run time in Go units too; their JSON keeps Choria's nanoseconds.
        Tend.Result events = tend.run("machine", "events", "--state", state.toString(), "--machine", "job");
        assertThat(events.code()).as(events.describe()).isZero();
        assertThat(events.out()).containsPattern("exec watcher work \\{.*previous_run_time=" + GO_DURATION + "[,}]")
                .containsPattern("timer watcher wait \\{state=running, timer=10m0s\\}");
        assertThat(Files.readString(state.resolve("events.jsonl"))).contains("\"timer\":600000000000");
        // So does the agent's log of those events.
        assertThat(agent.err()).contains("timer=10m0s");

        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
    }

    @Test
    void aMachineThatFailsToLoadIsListedAndCountedAndSoIsItsRepair() throws Exception {
        writeJob();
        String broken = JOB.replace("name: job", "name: broken").replace("fail_transition: retry",
                "fail_transition: nowhere");
        write("broken", broken);
        Tend.Background agent = agent();
        Tend.awaitStarted(agent);
        assertThat(agent.err()).contains("agent started: 1 machines from " + machines + ", 1 failed");

        Tend.Result list = machine("list");
        assertThat(list.code()).as(list.describe()).isZero();
        assertThat(list.out()).containsPattern("\\| broken +\\| - +\\| FAILED +\\| - +\\|");
        assertThat(list.out()).containsPattern("broken failed to load: "
                + java.util.regex.Pattern.quote(machines.resolve("broken/machine.yaml").toString())
                + ":\\d+: .*unknown transition \"nowhere\"");
        Tend.Result json = machine("list", "--json");
        JsonNode failed = null;
        for (JsonNode m : JSON.readTree(json.out())) {
            if (m.get("name").asText().equals("broken")) {
                failed = m;
            }
        }
        assertThat(failed).as(json.out()).isNotNull();
        assertThat(failed.get("state").asText()).isEqualTo("FAILED");
        assertThat(failed.get("path").asText()).isEqualTo(machines.resolve("broken").toString());
        assertThat(failed.get("error").asText()).matches(".*/broken/machine\\.yaml:\\d+: .*nowhere.*");

        write("broken", broken.replace("fail_transition: nowhere", "fail_transition: retry"));
        eventually("the reload line counts the repaired machine", () -> errOf(agent)
                .contains("reloaded: 2 machines from " + machines + ", 0 failed"));
        assertThat(machine("list").out()).doesNotContain("FAILED");

        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
    }

    @Test
    void theJsonLogHasOneObjectPerLineWithTheTextLinesFields() throws Exception {
        writeJob();
        Tend.Background agent = agent("--log-format", "json");
        Tend.awaitStarted(agent);
        failTheJob();
        eventually("the exec watcher's warning", () -> errOf(agent).contains("failed after"));
        agent.process.destroy();
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();

        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.err().split("\n")) {
            JsonNode n = JSON.readTree(line); // every line is one JSON object
            assertThat(n.isObject()).as(line).isTrue();
            assertThat(n.get("time").asText()).as(line)
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d");
            assertThat(n.has("level") && n.has("logger") && n.has("thread") && n.has("message")).as(line).isTrue();
            lines.add(n);
        }
        assertThat(lines).anySatisfy(n -> assertThat(n.get("message").asText())
                .startsWith("agent started: 1 machines from " + machines + ", 0 failed"));
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.get("level").asText()).isEqualTo("WARN");
            assertThat(n.get("message").asText()).contains("failed after");
            assertThat(n.get("machine").asText()).isEqualTo("job");
            assertThat(n.get("watcher").asText()).isEqualTo("work");
        });
    }

    @Test
    void theTextLogHasIsoTimesAndTheSameFields() throws Exception {
        writeJob();
        Tend.Background agent = agent();
        Tend.awaitStarted(agent);
        failTheJob();
        eventually("the exec watcher's warning", () -> errOf(agent).contains("failed after"));
        String log = errOf(agent);
        String warning = log.lines().filter(l -> l.contains("failed after")).findFirst().orElseThrow();
        assertThat(warning).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00 WARN  \\[[^]]+\\] "
                + ".*: command \"\\./fail\\.sh\" failed after " + GO_DURATION + ": .*");
        // The message goes on with the command's output; the fields end it.
        assertThat(log).containsPattern("(?s)failed after [^\\n]*\\n(step \\d+\\n|disk full[^\\n]*\\n)*"
                + "[^\\n]* machine=\"job\" watcher=\"work\"\\n");
        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
    }

    @Test
    void theConfigFileSetsTheLogAndItsBadValuesAreOneLineErrors() throws Exception {
        writeJob();
        Path config = Files.createDirectories(tmp.resolve("home/.config/tend")).resolve("tend.yaml");
        Files.writeString(config, "log:\n  level: warn\n  format: json\n");
        Tend.Background agent = agent();
        // At warn the start line is not logged: wait for the socket instead.
        eventually("the agent's socket", () -> Files.exists(socket));
        Tend.Result list = machine("list");
        assertThat(list.code()).as(list.describe()).isZero();
        agent.process.destroy();
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.err()).doesNotContain("agent started");
        for (String line : r.err().split("\n")) {
            if (!line.isEmpty()) {
                assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
            }
        }
        // The command line wins over the file.
        Tend.Background info = agent("--log-level", "info", "--log-format", "text");
        Tend.awaitStarted(info);
        assertThat(info.err()).containsPattern("\\+00:00 INFO  \\[.*agent started: 1 machines");
        info.process.destroy();
        assertThat(info.await().code()).isZero();

        Files.writeString(config, "log:\n  level: loud\n");
        Tend.Result bad = tend.run("agent", "--machines", machines.toString(), "--state", state.toString(),
                "--socket", socket.toString());
        assertThat(bad.code()).as(bad.describe()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("tend: log.level in " + config
                + " must be error, warn, info, debug, trace, not \"loud\"\n");

        Files.writeString(config, "log:\n  colour: red\n");
        bad = tend.run("agent", "--machines", machines.toString(), "--state", state.toString(),
                "--socket", socket.toString());
        assertThat(bad.code()).as(bad.describe()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("tend: " + config + ":2: unknown field \"colour\" in log; known fields: "
                + "format, level\n");

        Tend.Result option = tend.run("machine", "list", "--log-level", "loud", "--socket", socket.toString());
        assertThat(option.code()).as(option.describe()).isEqualTo(2);
        assertThat(option.err()).startsWith("tend: --log-level must be error, warn, info, debug, trace, not \"loud\"")
                .doesNotContain("\tat ");
    }

    private static String errOf(Tend.Background b) {
        try {
            return new String(Files.readAllBytes(b.err), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
