package dev.tend.machine.load;

import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Invalid machine files, each with the exact problems (line: where: message) the loader must report. */
class InvalidMachinesTest {

    /** A valid machine to break: line 12 is the watcher, 17 its command. */
    static final String BASE = """
            name: m
            version: 1.0.0
            initial_state: idle
            transitions:
              - name: go
                from: [idle]
                destination: busy
              - name: stop
                from: [busy]
                destination: idle
            watchers:
              - name: w
                type: exec
                state_match: [idle]
                success_transition: go
                properties:
                  command: ./run.sh
            """;

    /** BASE with its watcher replaced: the new watcher's item starts on line 12. */
    static String watcher(String item) {
        return BASE.substring(0, BASE.indexOf("  - name: w")) + item;
    }

    /** BASE with one line replaced. */
    static String replace(String line, String with) {
        if (!BASE.contains(line)) {
            throw new IllegalArgumentException(line);
        }
        return BASE.replace(line, with);
    }

    @TempDir
    Path dir;

    private final MachineLoader loader = new MachineLoader(TestTypes.registry());

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheseProblems(String name, String yaml, List<String> expected) throws IOException {
        Path file = dir.resolve("machine.yaml");
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> loader.load(dir))
                .isInstanceOfSatisfying(MachineLoadException.class, e -> assertThat(e.problems())
                        .allSatisfy(p -> assertThat(p.file()).isEqualTo(file))
                        .extracting(InvalidMachinesTest::located)
                        .containsExactlyElementsOf(expected));
    }

    /** Files whose problems are (also) warnings: the exact errors and warnings {@code validate} reports. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("warned")
    void warnsWithTheseTexts(String name, String yaml, List<String> errors, List<String> warnings) throws Exception {
        Path file = dir.resolve("machine.yaml");
        Files.writeString(file, yaml);
        MachineLoader.Validation v = loader.validate(dir);
        assertThat(v.errors()).extracting(InvalidMachinesTest::located).containsExactlyElementsOf(errors);
        assertThat(v.warnings()).allSatisfy(p -> assertThat(p.file()).isEqualTo(file))
                .extracting(InvalidMachinesTest::located).containsExactlyElementsOf(warnings);
        assertThat(v.isValid()).isEqualTo(errors.isEmpty());
        if (errors.isEmpty()) {
            assertThat(loader.load(dir).warnings()).extracting(InvalidMachinesTest::located)
                    .containsExactlyElementsOf(warnings);
        }
    }

    /** Unknown keys, which the reference ignores, are warnings with the texts they had as errors. */
    static Stream<Arguments> warned() {
        return Stream.of(
                arguments("misspelt top-level key", replace("initial_state: idle", "intial_state: idle"), List.of(
                        "1: initial_state is required"), List.of(
                        "3: unknown field \"intial_state\" (did you mean \"initial_state\"?)")),
                arguments("unknown top-level key", BASE + "data: {a: 1}\n", List.of(), List.of(
                        "18: unknown field \"data\"; known fields: name, version, initial_state, splay_start, "
                                + "transitions, watchers")),
                arguments("misspelt transition key", replace("    destination: idle", "    destinaton: idle"),
                        List.of("8: transition \"stop\": destination is required"), List.of(
                                "10: transition \"stop\": unknown field \"destinaton\" (did you mean \"destination\"?)")),
                arguments("unknown transition key", replace("    destination: idle",
                        "    destination: idle\n    colour: red"), List.of(), List.of(
                        "11: transition \"stop\": unknown field \"colour\"; known fields: name, from, destination, "
                                + "description, subscribe")),
                arguments("subscription with an unknown key", replace("    destination: idle",
                        "    destination: idle\n    subscribe:\n      - machine_name: other\n        event: x\n"
                                + "        machine: y"), List.of(), List.of(
                        "14: transition \"stop\": subscribe item 1: unknown field \"machine\" (did you mean "
                                + "\"machine_name\"?)")),
                arguments("misspelt watcher key", replace("    properties:", "    properites:"), List.of(
                        "12: watcher \"w\": property \"command\" is required"), List.of(
                        "16: watcher \"w\": unknown field \"properites\" (did you mean \"properties\"?)")),
                arguments("unknown watcher key", replace("success_transition: go",
                        "success_transition: go\n    succes_transition: stop"), List.of(), List.of(
                        "16: watcher \"w\": unknown field \"succes_transition\" (did you mean "
                                + "\"success_transition\"?)")),
                arguments("foreign state with an unknown key", replace("success_transition: go",
                        "success_transition: go\n    foreign_state_required: [{machine_name: o, state: s, sate: t}]"),
                        List.of(), List.of(
                        "16: watcher \"w\": foreign_state_required item 1: unknown field \"sate\" (did you mean "
                                + "\"state\"?)")),
                arguments("misspelt property", replace("      command: ./run.sh", "      comand: ./run.sh"), List.of(
                        "12: watcher \"w\": property \"command\" is required"), List.of(
                        "17: watcher \"w\": unknown property \"comand\" (did you mean \"command\"?)")),
                arguments("unknown property", BASE + "      shell: bash\n", List.of(), List.of(
                        "18: watcher \"w\": unknown property \"shell\"; known properties: command, timeout, "
                                + "environment, governor, governor_timeout, parse_as_data, suppress_success_announce, "
                                + "gather_initial_state, disown")),
                arguments("unknown property and a bad one", BASE + "      shell: bash\n      timeout: 10\n", List.of(
                        "19: watcher \"w\" property \"timeout\": invalid duration \"10\": add a unit, e.g. 10s"),
                        List.of("18: watcher \"w\": unknown property \"shell\"; known properties: command, timeout, "
                                + "environment, governor, governor_timeout, parse_as_data, suppress_success_announce, "
                                + "gather_initial_state, disown")),
                arguments("a type's own warning", watcher("  - {name: w, type: probe, properties: {text: old}}\n"),
                        List.of(), List.of("12: watcher \"w\" property \"text\": \"old\" is ignored")),
                arguments("a key of the wrong type stays an error", replace("state_match: [idle]",
                        "state_match: {idle: 1}\n    colour: red"), List.of(
                        "14: watcher \"w\": state_match must be a list, not a mapping"), List.of(
                        "15: watcher \"w\": unknown field \"colour\"; known fields: name, type, state_match, "
                                + "foreign_state_required, fail_transition, success_transition, interval, "
                                + "announce_interval, properties")));
    }

    static String located(Problem p) {
        return p.line() + ": " + (p.where().isEmpty() ? "" : p.where() + ": ") + p.message();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // The file as a whole.
                arguments("empty file", "", List.of(
                        "0: the file is empty; a machine needs name, version, initial_state, transitions and watchers")),
                arguments("only comments", "# nothing yet\n\n", List.of(
                        "0: the file is empty; a machine needs name, version, initial_state, transitions and watchers")),
                arguments("a list", "- name: m\n- version: 1\n", List.of(
                        "1: a machine file must be a mapping of name, version, initial_state, transitions and "
                                + "watchers, not a list")),
                arguments("a scalar", "\n\nhello\n", List.of(
                        "3: a machine file must be a mapping of name, version, initial_state, transitions and "
                                + "watchers, not \"hello\"")),
                arguments("unclosed flow list", "name: m\nversion: [1\ninitial_state: x\n", List.of(
                        "3: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got :")),
                arguments("mapping in a scalar", "name: m\nversion: a: b\n", List.of(
                        "2: invalid YAML at column 11: this value contains ': ', which YAML reads as the start of "
                                + "another key; put the value in quotes")),
                arguments("tab indentation", "name: m\ntransitions:\n\t- name: x\n", List.of(
                        "3: invalid YAML at column 1: a tab is used to indent this line; YAML indents with spaces "
                                + "only")),
                arguments("two documents", "name: m\n---\nname: n\n", List.of(
                        "2: invalid YAML: a machine file holds one document, but another one starts here")),
                arguments("undefined alias", "name: *n\n", List.of(
                        "1: invalid YAML: found undefined alias n")),
                arguments("duplicate top-level key", "name: a\n" + BASE, List.of(
                        "2: duplicate key \"name\" (first on line 1)")),
                arguments("duplicate property key", BASE + "      command: ./other.sh\n", List.of(
                        "18: duplicate key \"command\" (first on line 17)")),
                arguments("a list as a key", BASE + "? [a, b]\n: c\n", List.of(
                        "18: invalid key: keys must be plain text, not a list")),
                arguments("merge key of a scalar", watcher("""
                          - name: w
                            <<: 5
                            type: exec
                            properties: {command: x}
                        """), List.of(
                        "13: invalid merge key \"<<\": its value must be a mapping or a list of mappings")),

                // The top level.
                arguments("nothing required", "{}\n", List.of(
                        "1: name is required",
                        "1: version is required",
                        "1: initial_state is required",
                        "1: transitions is required; a machine needs at least one transition",
                        "1: watchers is required; a machine needs at least one watcher")),
                arguments("misspelt top-level key", replace("initial_state: idle", "intial_state: idle"), List.of(
                        "1: initial_state is required")),
                arguments("name that is no directory name", replace("name: m", "name: ../etc"), List.of(
                        "1: name \"../etc\" is not valid: use letters, digits, _ and -, starting with a letter")),
                arguments("name starting with a digit", replace("name: m", "name: 1st"), List.of(
                        "1: name \"1st\" is not valid: use letters, digits, _ and -, starting with a letter")),
                arguments("name as a list", replace("name: m", "name: [m]"), List.of(
                        "1: name must be text, not a list")),
                arguments("empty version", replace("version: 1.0.0", "version: \"\""), List.of(
                        "2: version must not be empty")),
                arguments("initial state without value", replace("initial_state: idle", "initial_state:"), List.of(
                        "3: initial_state must not be empty")),
                arguments("negative splay", BASE + "splay_start: -5\n", List.of(
                        "18: splay_start must not be negative")),
                arguments("splay as a duration", BASE + "splay_start: 30s\n", List.of(
                        "18: splay_start must be a whole number of seconds, not \"30s\"")),
                arguments("splay with a fraction", BASE + "splay_start: 1.5\n", List.of(
                        "18: splay_start must be a whole number of seconds, not \"1.5\"")),
                arguments("transitions as a mapping", """
                        name: m
                        version: 1.0.0
                        initial_state: idle
                        transitions: {go: idle}
                        watchers: [{name: w, type: probe}]
                        """, List.of(
                        "4: transitions must be a list, not a mapping")),
                arguments("no transitions", """
                        name: m
                        version: 1.0.0
                        initial_state: idle
                        transitions: []
                        watchers: [{name: w, type: probe, state_match: [unchecked]}]
                        """, List.of(
                        "4: transitions is empty; a machine needs at least one transition")),
                arguments("no watchers", BASE.substring(0, BASE.indexOf("watchers:")) + "watchers:\n", List.of(
                        "11: watchers is empty; a machine needs at least one watcher")),

                // Transitions.
                arguments("transition as a scalar", replace("  - name: stop\n    from: [busy]\n"
                        + "    destination: idle\n", "  - stop\n"), List.of(
                        "8: transitions item 2 must be a transition with name, from and destination, not \"stop\"")),
                arguments("transition without name", replace("  - name: stop\n", "  - description: stop\n"),
                        List.of("8: transition 2: name is required")),
                arguments("transition without from", replace("    from: [busy]\n", ""), List.of(
                        "8: transition \"stop\": from is required")),
                arguments("transition from nothing", replace("    from: [busy]", "    from: []"), List.of(
                        "9: transition \"stop\": from must list at least one state")),
                arguments("from with a mapping", replace("    from: [busy]", "    from: [busy, {a: b}]"), List.of(
                        "9: transition \"stop\": from item 2 must be text, not a mapping")),
                arguments("transition without destination", replace("    destination: idle\n", ""), List.of(
                        "8: transition \"stop\": destination is required")),
                arguments("destination as a list", replace("    destination: idle", "    destination: [idle]"),
                        List.of("10: transition \"stop\": destination must be text, not a list")),
                arguments("misspelt transition key", replace("    destination: idle", "    destinaton: idle"),
                        List.of("8: transition \"stop\": destination is required")),
                arguments("description as a mapping", replace("    destination: idle",
                        "    destination: idle\n    description: {a: b}"), List.of(
                        "11: transition \"stop\": description must be text, not a mapping")),
                arguments("subscription without event", replace("    destination: idle",
                        "    destination: idle\n    subscribe: [{machine_name: other}]"), List.of(
                        "11: transition \"stop\": subscribe item 1: event is required")),
                arguments("subscription as a mapping", replace("    destination: idle",
                        "    destination: idle\n    subscribe: {machine_name: other, event: x}"), List.of(
                        "11: transition \"stop\": subscribe must be a list of a mapping with machine_name and event, "
                                + "not a mapping")),

                // Watchers: the common fields.
                arguments("watcher as a scalar", watcher("  - w\n"), List.of(
                        "12: watchers item 1 must be a watcher with name and type, not \"w\"")),
                arguments("watcher without name", watcher("  - type: probe\n"), List.of(
                        "12: watcher 1: name is required")),
                arguments("two watchers of one name", BASE + "  - {name: w, type: probe}\n", List.of(
                        "18: watcher \"w\": another watcher has this name (line 12)")),
                arguments("watcher without type", watcher("  - name: w\n"), List.of(
                        "12: watcher \"w\": type is required")),
                arguments("reference type Tend lacks", watcher("  - name: w\n    type: gossip\n"), List.of(
                        "13: watcher \"w\": type \"gossip\" is not supported by Tend")),
                arguments("misspelt type", watcher("  - name: w\n    type: exce\n"), List.of(
                        "13: watcher \"w\": unknown type \"exce\" (did you mean \"exec\"?); known types: exec, file, "
                                + "probe")),
                arguments("unknown type", watcher("  - name: w\n    type: cron\n"), List.of(
                        "13: watcher \"w\": unknown type \"cron\"; known types: exec, file, probe")),
                arguments("unknown state", replace("state_match: [idle]", "state_match: [idle, nap]"), List.of(
                        "14: watcher \"w\": unknown state \"nap\" in state_match; known states: busy, idle")),
                arguments("state match as a mapping", replace("state_match: [idle]", "state_match: {idle: 1}"),
                        List.of("14: watcher \"w\": state_match must be a list, not a mapping")),
                arguments("the architecture's example", replace("success_transition: go",
                        "success_transition: fire_9"), List.of(
                        "15: watcher \"w\": unknown transition \"fire_9\"; known transitions: go, stop")),
                arguments("misspelt fail transition", replace("success_transition: go",
                        "success_transition: go\n    fail_transition: stpo"), List.of(
                        "16: watcher \"w\": unknown transition \"stpo\" (did you mean \"stop\"?)")),
                arguments("foreign state without state", replace("success_transition: go",
                        "success_transition: go\n    foreign_state_required: [{machine_name: other}]"), List.of(
                        "16: watcher \"w\": foreign_state_required item 1: state is required")),
                arguments("foreign state as a scalar", replace("success_transition: go",
                        "success_transition: go\n    foreign_state_required: other"), List.of(
                        "16: watcher \"w\": foreign_state_required must be a list of a mapping with machine_name and "
                                + "state, not \"other\"")),
                arguments("interval with an unknown unit", replace("success_transition: go",
                        "success_transition: go\n    interval: 5x"), List.of(
                        "16: watcher \"w\": interval: invalid duration \"5x\": unknown unit \"x\"; use ns, us, ms, s, "
                                + "m, h, d, w")),
                arguments("negative interval", replace("success_transition: go",
                        "success_transition: go\n    interval: -5s"), List.of(
                        "16: watcher \"w\": interval: invalid duration \"-5s\": must not be negative")),
                arguments("negative calendar interval", replace("success_transition: go",
                        "success_transition: go\n    interval: -1d"), List.of(
                        "16: watcher \"w\": interval: invalid duration \"-1d\": must not be negative")),
                arguments("interval without unit", replace("success_transition: go",
                        "success_transition: go\n    interval: 10"), List.of(
                        "16: watcher \"w\": interval: invalid duration \"10\": add a unit, e.g. 10s")),
                arguments("announce interval under a minute", replace("success_transition: go",
                        "success_transition: go\n    announce_interval: 30s"), List.of(
                        "16: watcher \"w\": announce_interval \"30s\" is too short; the minimum is 1m")),
                arguments("upper-case hour unit", replace("success_transition: go",
                        "success_transition: go\n    announce_interval: 1H"), List.of(
                        "16: watcher \"w\": announce_interval: invalid duration \"1H\": unknown unit \"H\": units are "
                                + "lower case, e.g. h")),
                arguments("misspelt watcher key", replace("    properties:", "    properites:"), List.of(
                        "12: watcher \"w\": property \"command\" is required")),
                arguments("properties as a list", replace("    properties:\n      command: ./run.sh",
                        "    properties: [command]"), List.of(
                        "16: watcher \"w\": properties must be a mapping, not a list")),

                // Watchers: properties.
                arguments("missing required property", replace("      command: ./run.sh", "      timeout: 5s"),
                        List.of("12: watcher \"w\": property \"command\" is required")),
                arguments("misspelt property", replace("      command: ./run.sh", "      comand: ./run.sh"), List.of(
                        "12: watcher \"w\": property \"command\" is required")),
                arguments("property twice in two cases", BASE + "      COMMAND: ./other.sh\n", List.of(
                        "18: watcher \"w\": property \"command\" is set twice (also on line 17)")),
                arguments("property and its alias", watcher("""
                          - name: w
                            type: file
                            properties:
                              path: motd
                              content: a
                              contents: b
                              owner: root
                              group: root
                              mode: "0644"
                        """), List.of(
                        "17: watcher \"w\": property \"contents\" is set twice (also on line 16)")),
                arguments("not a boolean", BASE + "      disown: maybe\n", List.of(
                        "18: watcher \"w\" property \"disown\": must be true or false, not \"maybe\"")),
                arguments("duration without unit", BASE + "      timeout: 10\n", List.of(
                        "18: watcher \"w\" property \"timeout\": invalid duration \"10\": add a unit, e.g. 10s")),
                arguments("negative duration", BASE + "      timeout: -1s\n", List.of(
                        "18: watcher \"w\" property \"timeout\": invalid duration \"-1s\": must not be negative")),
                arguments("days in Go syntax and months", BASE + "      timeout: 1M\n", List.of(
                        "18: watcher \"w\" property \"timeout\": invalid duration \"1M\": unknown unit \"M\": months "
                                + "have no fixed length; use m for minutes, or d or w")),
                arguments("duration as a list", BASE + "      timeout: [1s]\n", List.of(
                        "18: watcher \"w\" property \"timeout\": must be a duration such as 10s, not a list")),
                arguments("text as a list", replace("      command: ./run.sh", "      command: [./run.sh, -v]"),
                        List.of("17: watcher \"w\" property \"command\": must be text, not a list")),
                arguments("required text empty", replace("      command: ./run.sh", "      command:"), List.of(
                        "17: watcher \"w\" property \"command\": must not be empty")),
                arguments("required text blank", replace("      command: ./run.sh", "      command: \" \""), List.of(
                        "17: watcher \"w\" property \"command\": must not be empty")),
                arguments("list with a mapping", BASE + "      environment: [A=1, {B: 2}]\n", List.of(
                        "18: watcher \"w\" property \"environment\": item 2 must be text, not a mapping")),
                arguments("not a whole number", watcher("  - {name: w, type: probe, properties: {count: 1.5}}\n"),
                        List.of("12: watcher \"w\" property \"count\": must be a whole number, not \"1.5\"")),
                arguments("not a number", watcher("  - {name: w, type: probe, properties: {count: ten}}\n"),
                        List.of("12: watcher \"w\" property \"count\": must be a whole number, not \"ten\"")),
                arguments("not a mapping", watcher("  - {name: w, type: probe, properties: {labels: a}}\n"),
                        List.of("12: watcher \"w\" property \"labels\": must be a mapping, not \"a\"")),
                arguments("value not allowed", watcher("  - {name: w, type: probe, properties: {mode: wach}}\n"),
                        List.of("12: watcher \"w\" property \"mode\": must be one of poll, watch, not \"wach\" (did "
                                + "you mean \"watch\"?)")),
                arguments("a type's own check on a property", BASE + "      disown: true\n      parse_as_data: true\n",
                        List.of("19: watcher \"w\" property \"parse_as_data\": cannot parse output as data while "
                                + "disowning child processes")),
                arguments("a type's own check on the watcher", replace("success_transition: go",
                        "success_transition: go\n    interval: 100ms"), List.of(
                        "12: watcher \"w\": interval must be at least 500ms")),
                arguments("a type's checks reporting several problems", watcher("""
                          - name: w
                            type: file
                            properties: {path: motd, contents: hi}
                        """), List.of(
                        "12: watcher \"w\": owner is required when contents is set",
                        "12: watcher \"w\": group is required when contents is set",
                        "12: watcher \"w\": mode is required when contents is set")),
                arguments("a type's checks that throw", watcher("  - {name: w, type: probe, properties: {count: 13}}\n"),
                        List.of("12: watcher \"w\": the probe watcher's checks failed: java.lang.IllegalStateException: "
                                + "unlucky")),
                arguments("a type's range check", watcher("  - {name: w, type: probe, properties: {count: 101}}\n"),
                        List.of("12: watcher \"w\" property \"count\": must be at most 100")));
    }
}
