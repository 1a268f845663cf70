package dev.tend.watchers.exec;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.spi.WatcherDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Exec properties through the real loader: what loads, and every bad property with its exact file:line message. */
class ExecLoadTest {

    /** The watcher is on line 9; its properties start on line 13. */
    private static final String HEAD = """
            name: m
            version: 1.0.0
            initial_state: idle
            transitions:
              - name: go
                from: [idle]
                destination: busy
            watchers:
              - name: check
                type: exec
                success_transition: go
            """;

    @TempDir
    Path dir;

    private final MachineLoader loader = new MachineLoader(WatcherRegistry.of(List.of(new ExecWatcherFactory())));

    /** HEAD, optional common lines (before properties, so properties start on line 13 + their count), properties. */
    private static String machine(List<String> common, String... properties) {
        StringBuilder s = new StringBuilder(HEAD);
        common.forEach(line -> s.append("    ").append(line).append('\n'));
        s.append("    properties:\n");
        for (String p : properties) {
            s.append("      ").append(p).append('\n');
        }
        return s.toString();
    }

    private MachineDefinition load(String yaml) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        return loader.load(dir);
    }

    private List<String> problems(String yaml) throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        try {
            loader.load(dir);
        } catch (MachineLoadException e) {
            String prefix = dir.resolve("machine.yaml") + ":";
            return e.problems().stream().map(Problem::toString).map(p -> p.substring(prefix.length())).toList();
        }
        throw new AssertionError("the machine loaded");
    }

    @Test
    void aFullWatcherLoadsWithItsValues() throws Exception {
        WatcherDefinition w = load(machine(List.of("interval: 1m"),
                "command: ./check.sh --level {{ lookup \"data.level\" \"1\" }}",
                "timeout: 30s",
                "environment: [\"A=1\", \"B={{ lookup \\\"facts.os\\\" \\\"\\\" }}\"]",
                "inherit_environment: [HOME, LANG]",
                "parse_as_data: true",
                "suppress_success_announce: yes",
                "gather_initial_state: \"true\"")).watchers().get(0);
        ExecProperties p = ExecProperties.of(w.properties());
        assertThat(p).isEqualTo(new ExecProperties("./check.sh --level {{ lookup \"data.level\" \"1\" }}",
                Duration.ofSeconds(30), List.of("A=1", "B={{ lookup \"facts.os\" \"\" }}"), List.of("HOME", "LANG"),
                true, true, true, false));
        assertThat(w.interval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void defaultsAreTheSpecs() throws Exception {
        ExecProperties p = ExecProperties.of(load(machine(List.of(), "command: true")).watchers().get(0).properties());
        assertThat(p).isEqualTo(new ExecProperties("true", Duration.ofSeconds(10), List.of(), List.of(), false, false,
                false, false));
        ExecProperties zero = ExecProperties.of(load(machine(List.of(), "Command: true", "TIMEOUT: 0"))
                .watchers().get(0).properties());
        assertThat(zero.timeout()).as("0 means the default, as in the reference").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aValidMachinePassesTheSchemaToo() throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), machine(List.of("interval: 500ms"),
                "command: sh -c 'exit 0'", "timeout: 1m30s", "environment: X=1", "suppress_success_announce: 1"));
        MachineLoader.Validation v = loader.validate(dir);
        assertThat(v.errors()).isEmpty();
    }

    static Stream<Arguments> badProperties() {
        String w = " watcher \"check\"";
        String p = w + " property ";
        return Stream.of(
                arguments(machine(List.of(), "command: ./x", "governor: a.b"),
                        List.of("14:" + p + "\"governor\": invalid governor name \"a.b\": use only A-Z, a-z, 0-9, '-'"
                                + " and '_', at most 243 characters")),
                arguments(machine(List.of(), "command: sh -c 'echo"),
                        List.of("13:" + p + "\"command\": cannot be split into words: the single quote at column 7 is"
                                + " not closed")),
                arguments(machine(List.of(), "command: \"# nothing to run\""),
                        List.of("13:" + p + "\"command\": has no words to run (only blanks and a # comment)")),
                arguments(machine(List.of("interval: 100ms"), "command: ./x"),
                        List.of("9:" + w + ": interval 100ms is too short for an exec watcher: the minimum is 500ms"
                                + " (without an interval it runs only on state changes)")),
                arguments(machine(List.of(), "command: ./x",
                                "environment: [FOO, \"1X=2\", \"OK=\", \"{{ lookup \\\"data.n\\\" \\\"N\\\" }}=v\"]"),
                        List.of("14:" + p + "\"environment\": item 1: \"FOO\" must be VAR=value",
                                "14:" + p + "\"environment\": item 2: \"1X=2\": \"1X\" is not a variable name"
                                        + " (letters, digits and _, not starting with a digit)")),
                arguments(machine(List.of(), "command: ./x", "inherit_environment: [HOME, PATH, bad-name]"),
                        List.of("14:" + p + "\"inherit_environment\": PATH is set by Tend for every command and cannot"
                                        + " be inherited",
                                "14:" + p + "\"inherit_environment\": \"bad-name\" is not a variable name (letters,"
                                        + " digits and _, not starting with a digit)")),
                arguments(machine(List.of(), "command: ./x", "disown: true", "parse_as_data: true"),
                        List.of("15:" + p + "\"parse_as_data\": cannot be used with disown: a disowned command's"
                                + " output is not captured")),
                arguments(machine(List.of(), "command: ./x", "timeout: 5s", "disown: true"),
                        List.of("14:" + p + "\"timeout\": does not apply with disown: a disowned command is never"
                                + " timed out")),
                arguments(machine(List.of(), "command: ./x", "gather_initial_state: true"),
                        List.of("14:" + p + "\"gather_initial_state\": needs an interval: without one the command"
                                + " runs only on state changes")),
                arguments(machine(List.of(), "comand: ./x"),
                        List.of("9:" + w + ": property \"command\" is required")),
                arguments(machine(List.of(), "command: ./x", "timeout: 10"),
                        List.of("14:" + p + "\"timeout\": invalid duration \"10\": add a unit, e.g. 10s")),
                arguments(machine(List.of(), "command: \"\""),
                        List.of("13:" + p + "\"command\": must not be empty")));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badProperties")
    void badPropertiesAreLoadErrors(String yaml, List<String> expected) throws IOException {
        assertThat(problems(yaml)).containsExactlyElementsOf(expected);
    }

    /** Choria ignores unknown properties; Tend loads the watcher and warns, with a suggestion. */
    @Test
    void anUnknownPropertyIsAWarning() throws Exception {
        String prefix = dir.resolve("machine.yaml") + ":";
        assertThat(load(machine(List.of(), "command: ./x", "comand: ./y")).warnings()).extracting(Problem::toString)
                .containsExactly(prefix + "14: watcher \"check\": unknown property \"comand\" (did you mean "
                        + "\"command\"?)");
    }

    @Test
    void aGovernorIsLoadedWithItsTimeout() throws Exception {
        ExecProperties p = ExecProperties.of(load(machine(List.of(), "command: ./x", "governor: fleet",
                "governor_timeout: 1m")).watchers().get(0).properties());
        assertThat(p.governor()).isEqualTo("fleet");
        assertThat(p.governorTimeout()).isEqualTo(Duration.ofMinutes(1));
        ExecProperties unset = ExecProperties.of(load(machine(List.of(), "command: ./x",
                "governor: \"{{ lookup \\\"facts.pool\\\" \\\"x\\\" }}\"")).watchers().get(0).properties());
        assertThat(unset.governorTimeout()).as("the reference's default").isEqualTo(Duration.ofMinutes(5));
        ExecProperties none = ExecProperties.of(load(machine(List.of(), "command: ./x", "governor: ''"))
                .watchers().get(0).properties());
        assertThat(none.hasGovernor()).isFalse();
    }

    @Test
    void aGovernorTimeoutWithoutAGovernorIsAWarning() throws Exception {
        String prefix = dir.resolve("machine.yaml") + ":";
        assertThat(load(machine(List.of(), "command: ./x", "governor_timeout: 5m")).warnings())
                .extracting(Problem::toString)
                .containsExactly(prefix + "14: watcher \"check\" property \"governor_timeout\": has no effect without a"
                        + " governor");
    }

    @Test
    void aTemplatedCommandIsCheckedWhenItRuns() throws Exception {
        assertThat(load(machine(List.of(), "command: \"{{ lookup \\\"data.cmd\\\" \\\"\\\" }}\"")).watchers())
                .hasSize(1);
    }

    @Test
    void theFactoryIsRegisteredAsAService() {
        assertThat(java.util.ServiceLoader.load(dev.tend.machine.spi.WatcherFactory.class).stream()
                .map(java.util.ServiceLoader.Provider::type)).contains(ExecWatcherFactory.class);
        assertThat(new ExecWatcherFactory().type()).isEqualTo("exec");
    }

    @Test
    void unknownTypesStillSayWhatIsInstalled() throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), HEAD.replace("type: exec", "type: exce")
                + "    properties: {command: ./x}\n");
        assertThatThrownBy(() -> loader.load(dir)).isInstanceOf(MachineLoadException.class)
                .hasMessageContaining("unknown type \"exce\" (did you mean \"exec\"?)");
    }
}
