package dev.tend.watchers.exec;

import dev.tend.watchers.process.CommandTrust;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real commands run by a real machine: where, with what, and what each outcome does. */
@ResourceLock(value = "dev.tend.machine.m.check", mode = ResourceAccessMode.READ_WRITE)
class ExecRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** A watcher active in state running that fires passed / failed. */
    static String watcher(String... properties) {
        StringBuilder s = new StringBuilder("""
                  - name: check
                    type: exec
                    state_match: [running]
                    success_transition: passed
                    fail_transition: failed
                    properties:
                """);
        for (String p : properties) {
            s.append("          ").append(p).append('\n');
        }
        return s.toString();
    }

    @Test
    void aCommandRunsInTheMachineDirectoryAndItsSuccessFiresSuccess() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.script("where.sh", "#!/bin/sh\npwd > where.txt\necho hello\n");
            m.start(watcher("command: ./where.sh"));
            assertThat(m.states()).as("nothing runs before a state change").isEmpty();

            m.machine().transition("start");
            m.awaitState("passed");

            assertThat(Files.readString(m.dir.resolve("where.txt")).strip()).isEqualTo(m.dir.toRealPath().toString());
            WatcherStateEvent event = m.states().get(0);
            assertThat(event.watcherType()).isEqualTo("exec");
            assertThat(event.watcherName()).isEqualTo("check");
            assertThat(event.fields()).containsEntry("command", "./where.sh")
                    .containsEntry("previous_outcome", "success")
                    .containsEntry("exit_code", 0)
                    .containsKey("previous_run_time");
            assertThat((Long) event.fields().get("previous_run_time")).isPositive();
            assertThat(m.tmp).isEmptyDirectory();
        }
    }

    @Test
    void theEnvironmentIsExactlyTendsOwn() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            ExecSettings settings = m.settings().withAgentEnvironment(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin",
                    "LANG", "C.UTF-8", "SECRET", "not for commands", "HOME", "/root"));
            // cp reads its own environment, as it got it: no shell adds anything
            m.start(watcher("command: cp /proc/self/environ env.bin",
                    "inherit_environment: [LANG, NOT_SET_IN_THE_AGENT]",
                    "environment: [\"GREETING=hi {{ lookup \\\"data.who\\\" \\\"there\\\" }}\", \"EMPTY=\","
                            + " \"LANG=de_DE.UTF-8\"]"), settings);
            m.machine().transition("start");
            m.awaitState("passed");

            Map<String, String> env = new LinkedHashMap<>();
            for (String entry : Files.readString(m.dir.resolve("env.bin"), StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            assertThat(env).containsOnlyKeys("MACHINE_WATCHER_NAME", "MACHINE_NAME", "PATH", "WATCHER_DATA",
                    "WATCHER_FACTS", "LANG", "GREETING", "EMPTY");
            assertThat(env).containsEntry("MACHINE_WATCHER_NAME", "check")
                    .containsEntry("MACHINE_NAME", "m")
                    .containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin:" + m.dir.toAbsolutePath())
                    .containsEntry("LANG", "de_DE.UTF-8") // an environment item wins over an inherited variable
                    .containsEntry("GREETING", "hi there")
                    .containsEntry("EMPTY", "");
            assertThat(Path.of(env.get("WATCHER_DATA"))).hasFileName("data.json").startsWithRaw(m.tmp);
            assertThat(Path.of(env.get("WATCHER_FACTS"))).hasFileName("facts.json").startsWithRaw(m.tmp);
        }
    }

    @Test
    void watcherDataAndFactsArePrivateFilesRemovedAfterTheRun() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            Path data = Files.createDirectories(m.state.resolve("machines/m")).resolve("machine_data.json");
            Files.writeString(data, "{\"level\": 3, \"nested\": {\"a\": [1, 2]}}");
            m.facts(Map.of("os", "linux", "cpus", 4));
            m.script("dump.sh", """
                    #!/bin/sh
                    cp "$WATCHER_DATA" data.copy
                    cp "$WATCHER_FACTS" facts.copy
                    stat -c %a "$WATCHER_DATA" "$WATCHER_FACTS" "$(dirname "$WATCHER_DATA")" > modes.txt
                    echo "$WATCHER_DATA" > data.path
                    exit 7
                    """);
            m.start(watcher("command: ./dump.sh"));
            m.machine().transition("start");
            m.awaitState("failed");

            assertThat(JSON.readTree(m.dir.resolve("data.copy").toFile()))
                    .isEqualTo(JSON.readTree("{\"level\": 3, \"nested\": {\"a\": [1, 2]}}"));
            assertThat(JSON.readTree(m.dir.resolve("facts.copy").toFile()))
                    .isEqualTo(JSON.readTree("{\"os\": \"linux\", \"cpus\": 4}"));
            assertThat(Files.readAllLines(m.dir.resolve("modes.txt"))).containsExactly("600", "600", "700");
            Path used = Path.of(Files.readString(m.dir.resolve("data.path")).strip());
            assertThat(used).startsWithRaw(m.tmp).doesNotExist();
            assertThat(used.getParent()).doesNotExist();
            assertThat(m.tmp).as("removed after a failed run too").isEmptyDirectory();
        }
    }

    @Test
    void bareNamesAreLookedUpInPathThenInTheMachineDirectory() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            Path bin = root.resolve("bin");
            String body = "#!/bin/sh\necho \"$0\" > \"$1\"\n";
            ExecMachine.script(bin.resolve("tool"), body);
            m.script("tool", body);
            m.script("mine", body);
            ExecSettings settings = m.settings().withAgentEnvironment(Map.of("PATH", bin + ":/usr/bin:/bin"));
            m.start(watcher("command: tool from-path.txt") + """
                      - name: second
                        type: exec
                        state_match: [running]
                        properties:
                          command: mine from-machine.txt
                    """, settings);
            m.machine().transition("start");
            m.await("both ran", () -> ExecMachine.lineWritten(m.dir.resolve("from-path.txt"))
                    && ExecMachine.lineWritten(m.dir.resolve("from-machine.txt")));

            assertThat(Files.readString(m.dir.resolve("from-path.txt")).strip()).isEqualTo(bin.resolve("tool").toString());
            assertThat(Files.readString(m.dir.resolve("from-machine.txt")).strip())
                    .isEqualTo(m.dir.toAbsolutePath().resolve("mine").toString());
        }
    }

    @Test
    void aNonZeroExitFiresFailAndLogsTheOutput() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            m.start(watcher("command: sh -c 'echo to-out; echo to-err >&2; exit 3'"));
            m.machine().transition("start");
            m.awaitState("failed");

            assertThat(m.states()).hasSize(1);
            assertThat(m.states().get(0).fields()).containsEntry("previous_outcome", "error")
                    .containsEntry("exit_code", 3);
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .startsWith("command \"sh -c 'echo to-out; echo to-err >&2; exit 3'\" failed after ")
                    .contains(": exited with status 3; output: to-out\nto-err");
        }
    }

    @Test
    void aMissingCommandFiresFail() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            m.start(watcher("command: no-such-command-anywhere --flag"),
                    m.settings().withAgentEnvironment(Map.of("PATH", "/usr/bin:/bin")));
            m.machine().transition("start");
            m.awaitState("failed");

            assertThat(m.states().get(0).fields()).containsEntry("previous_outcome", "error")
                    .doesNotContainKey("exit_code");
            assertThat(log.lines(Level.WARN)).singleElement().asString().endsWith(
                    ": command \"no-such-command-anywhere\" not found in PATH (/usr/bin:/bin:" + m.dir.toAbsolutePath()
                            + ") or the machine directory");
        }
    }

    @Test
    void aCommandThatIsNotExecutableSaysSo() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            Files.writeString(m.dir.resolve("plain.sh"), "echo hi\n");
            m.start(watcher("command: ./plain.sh"));
            m.machine().transition("start");
            m.awaitState("failed");
            assertThat(log.lines(Level.WARN)).singleElement().asString().endsWith(
                    ": command \"./plain.sh\" is not executable: " + m.dir.toAbsolutePath().resolve("plain.sh")
                            + " (chmod +x it, or run it through its interpreter, e.g. sh ./plain.sh)");
        }
    }

    @Test
    void aTemplateErrorFiresFail() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            m.start(watcher("command: \"./x {{ NoSuchFunction }}\""));
            m.machine().transition("start");
            m.awaitState("failed");
            assertThat(log.lines(Level.WARN)).singleElement().asString().contains(": cannot render the command: ");
        }
    }

    @Test
    void anEmptyRenderingFiresFail() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            m.start(watcher("command: \"{{ lookup \\\"data.cmd\\\" \\\"\\\" }}\""));
            m.machine().transition("start");
            m.awaitState("failed");
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .endsWith(": the command \"\" has no words to run");
        }
    }

    @Test
    void theCommandIsRenderedAtEveryRun() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.facts(Map.of("word", "first"));
            m.start(watcher("command: sh -c 'echo {{ lookup \"facts.word\" \"none\" }} >> words.txt'"));
            m.machine().transition("start");
            m.awaitState("passed");
            m.facts(Map.of("word", "second"));
            m.machine().transition("start");
            m.await("two runs", () -> m.states().size() == 2);
            assertThat(Files.readAllLines(m.dir.resolve("words.txt"))).containsExactly("first", "second");
            assertThat(m.states().get(1).fields()).as("the event shows the template")
                    .containsEntry("command", "sh -c 'echo {{ lookup \"facts.word\" \"none\" }} >> words.txt'");
        }
    }

    @Test
    void suppressSuccessAnnounceFiresWithoutAnEvent() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.start(watcher("command: \"true\"", "suppress_success_announce: true"));
            m.machine().transition("start");
            m.awaitState("passed");
            assertThat(m.states()).isEmpty();
        }
    }

    @Test
    void parseAsDataStoresEveryTopLevelKeyAndIgnoresStderr() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.script("data.sh", """
                    #!/bin/sh
                    echo "a warning" >&2
                    printf '%s\\n' '{"level": 3, "name": "x", "list": [1, {"a": null}], "ok": true}'
                    """);
            m.start(watcher("command: ./data.sh", "parse_as_data: true"));
            m.machine().transition("start");
            m.awaitState("passed");
            assertThat(JSON.readTree(m.state.resolve("machines/m/machine_data.json").toFile())).isEqualTo(
                    JSON.readTree("{\"level\": 3, \"name\": \"x\", \"list\": [1, {\"a\": null}], \"ok\": true}"));
        }
    }

    static Stream<String[]> notObjects() {
        return Stream.of(
                new String[] {"[1, 2]", "parse_as_data: the output is a JSON array, not an object"},
                new String[] {"\"text\"", "parse_as_data: the output is a JSON string, not an object"},
                new String[] {"", "parse_as_data: the output is empty; expected a JSON object"},
                new String[] {"not json", "parse_as_data: the output is not JSON: Unrecognized token 'not': was"
                        + " expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"},
                new String[] {"{\"a\": 1} {\"b\": 2}", "parse_as_data: the output is not JSON: Trailing token (of"
                        + " type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`):"
                        + " not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"});
    }

    @Test
    void parseAsDataRefusesAnythingButOneObject() throws Exception {
        for (String[] c : (Iterable<String[]>) notObjects()::iterator) {
            Path caseRoot = Files.createDirectories(root.resolve("case" + Math.abs(c[0].hashCode())));
            try (ExecMachine m = ExecMachine.realTime(caseRoot);
                 LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
                Files.writeString(m.dir.resolve("out.txt"), c[0]);
                m.start(watcher("command: cat out.txt", "parse_as_data: true"));
                m.machine().transition("start");
                m.awaitState("failed");
                assertThat(log.lines(Level.WARN)).as(c[0]).singleElement().asString().contains(": " + c[1]);
                assertThat(m.state.resolve("machines/m/machine_data.json")).doesNotExist();
            }
        }
    }

    @Test
    void parseAsDataReadsAtMostItsLimit() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            Files.writeString(m.dir.resolve("out.txt"), "{\"long\": \"" + "x".repeat(100) + "\"}");
            m.start(watcher("command: cat out.txt", "parse_as_data: true"), m.settings().withLimits(1024, 64));
            m.machine().transition("start");
            m.awaitState("failed");
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .contains(": parse_as_data: the output is larger than 64 bytes");
        }
    }

    @Test
    void onlyTheLastOutputBytesAreKept() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            m.start(watcher("command: sh -c 'echo 0123456789abcdefghij; exit 1'"), m.settings().withLimits(8, 64));
            m.machine().transition("start");
            m.awaitState("failed");
            assertThat(log.lines(Level.WARN)).singleElement().asString().endsWith("; output: defghij");
        }
    }

    @Test
    void asRootAnInsecureCommandIsRefused() throws Exception {
        assumeTrue(CommandTrust.runningAsRoot(), "the check only applies to an agent running as root");
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            Path script = m.script("open.sh", "#!/bin/sh\ntouch ran\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
            m.start(watcher("command: ./open.sh"), m.settings().withRoot(true));
            m.machine().transition("start");
            m.awaitState("failed");
            assertThat(m.dir.resolve("ran")).doesNotExist();
            assertThat(log.lines(Level.WARN)).singleElement().asString().endsWith(": refusing to run " + script
                    + " as root: it is writable by its group and others (rwxrwxrwx) (an agent started with"
                    + " --insecure-permissions skips this check)");
        }
    }

    @Test
    void asRootAnInsecureMachineDirectoryMeansTheCheckIsOff() throws Exception {
        assumeTrue(CommandTrust.runningAsRoot(), "the check only applies to an agent running as root");
        try (ExecMachine m = ExecMachine.realTime(root)) {
            Path script = m.script("open.sh", "#!/bin/sh\ntouch ran\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(m.dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            m.start(watcher("command: ./open.sh"), m.settings().withRoot(true));
            m.machine().transition("start");
            m.awaitState("passed");
            assertThat(m.dir.resolve("ran")).exists();
        }
    }
}
