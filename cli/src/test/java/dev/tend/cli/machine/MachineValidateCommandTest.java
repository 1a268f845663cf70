package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MachineValidateCommandTest {

    @TempDir
    Path dir;

    private MachineCli cli() {
        return new MachineCli(dir);
    }

    @Test
    void aValidMachineIsNamedOnStdout() throws Exception {
        MachineCli cli = cli();
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC);
        MachineCli.Result r = cli.machine("validate", hvac.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(hvac + ": valid machine HVAC 1.0.0\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aMachineFileCanBeGivenToo() throws Exception {
        MachineCli cli = cli();
        Path file = cli.machineDir("hvac", MachineCli.HVAC).resolve("machine.yaml");
        MachineCli.Result r = cli.machine("validate", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(file + ": valid machine HVAC 1.0.0\n");
    }

    @Test
    void everyErrorOfEveryMachineGoesToStderrAndTheExitIsTwo() throws Exception {
        MachineCli cli = cli();
        Path good = cli.machineDir("good", MachineCli.HVAC);
        Path bad = cli.machineDir("bad", MachineCli.HVAC
                .replace("name: HVAC", "name: bad")
                .replace("success_transition: air_good", "success_transition: air_god")
                .replace("properties: {mode: once}", "properties: {mode: twice, colour: red}"));
        Path missing = dir.resolve("missing");
        MachineCli.Result r = cli.machine("validate", good.toString(), bad.toString(), missing.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(r.out()).isEqualTo(good + ": valid machine HVAC 1.0.0\n");
        Path file = bad.resolve("machine.yaml");
        assertThat(r.errLines()).containsExactly(
                file + ":14: watcher \"variables\" property \"mode\": must be one of once, repeat, not \"twice\"",
                file + ":17: watcher \"monitor\": unknown transition \"air_god\" (did you mean \"air_good\"?)",
                "warning: " + file + ":14: watcher \"variables\": unknown property \"colour\"; known properties: "
                        + "success_after, fail_after, message, record, data_key, data_value, tags, labels, mode, "
                        + "max_fires, fail_create, fail_start",
                missing + ": no such file or directory");
    }

    @Test
    void warningsGoToStderrAndDoNotMakeAMachineInvalid() throws Exception {
        MachineCli cli = cli();
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC.replace("\"1.0.0\"", "1.0"));
        MachineCli.Result r = cli.machine("validate", hvac.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(hvac + ": valid machine HVAC 1.0\n");
        assertThat(r.errLines()).containsExactly("warning: " + hvac.resolve("machine.yaml")
                + ":2: version \"1.0\" is not a SemVer version such as 1.0.0");
    }

    /** Choria ignores unknown keys: Tend loads the machine and warns, with the suggestion. */
    @Test
    void unknownKeysAreWarningsAndTheMachineIsValid() throws Exception {
        MachineCli cli = cli();
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC.replace("properties: {mode: once}",
                "properties: {mode: once, mdoe: twice}") + "data: {a: 1}\n");
        MachineCli.Result r = cli.machine("validate", hvac.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(hvac + ": valid machine HVAC 1.0.0\n");
        Path file = hvac.resolve("machine.yaml");
        assertThat(r.errLines()).containsExactly(
                "warning: " + file + ":14: watcher \"variables\": unknown property \"mdoe\" (did you mean \"mode\"?)",
                "warning: " + file + ":" + (MachineCli.HVAC.split("\n").length + 1) + ": unknown field \"data\"; "
                        + "known fields: name, version, initial_state, splay_start, transitions, watchers");
    }

    @Test
    void strictMakesEveryWarningAnErrorForCi() throws Exception {
        MachineCli cli = cli();
        Path good = cli.machineDir("good", MachineCli.HVAC);
        Path warned = cli.machineDir("warned", MachineCli.HVAC.replace("\"1.0.0\"", "1.0")
                .replace("properties: {mode: once}", "properties: {mode: once, mdoe: twice}"));
        MachineCli.Result r = cli.machine("validate", "--strict", good.toString(), warned.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(r.out()).isEqualTo(good + ": valid machine HVAC 1.0.0\n");
        Path file = warned.resolve("machine.yaml");
        assertThat(r.errLines()).containsExactly(
                file + ":2: version \"1.0\" is not a SemVer version such as 1.0.0",
                file + ":14: watcher \"variables\": unknown property \"mdoe\" (did you mean \"mode\"?)");

        MachineCli.Result clean = cli.machine("validate", "--strict", good.toString());
        assertThat(clean.code()).as(clean.toString()).isZero();
        assertThat(clean.err()).isEmpty();

        MachineCli.Result json = cli.machine("validate", "--strict", "--json", warned.toString());
        assertThat(json.code()).as(json.toString()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        JsonNode result = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("errors")).extracting(e -> e.get("line").asInt()).containsExactly(2, 14);
        assertThat(result.get("warnings")).isEmpty();
    }

    @Test
    void aStateWithNoWayOutIsAWarningWithASuggestion() throws Exception {
        MachineCli cli = cli();
        String yaml = """
                name: m
                version: 1.0.0
                initial_state: idle
                transitions:
                  - {name: start, from: [idle], destination: runing}
                  - {name: stop, from: [running], destination: idle}
                  - {name: finish, from: [idle], destination: done}
                watchers:
                  - {name: w, type: test, state_match: [idle, running], success_transition: start}
                """;
        Path m = cli.machineDir("m", yaml);
        MachineCli.Result r = cli.machine("validate", m.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        Path file = m.resolve("machine.yaml");
        assertThat(r.errLines()).containsExactly(
                "warning: " + file + ":5: transition \"start\": destination \"runing\" has no way out: no transition "
                        + "leaves it and no watcher runs in it, so the machine stays there (did you mean \"running\"?)",
                "warning: " + file + ":7: transition \"finish\": destination \"done\" has no way out: no transition "
                        + "leaves it and no watcher runs in it, so the machine stays there (fine for a final state)");
    }

    @Test
    void unknownTypesAreNamedWithTheKnownOnes() throws Exception {
        MachineCli cli = cli();
        Path m = cli.machineDir("m", MachineCli.HVAC.replace("type: test, state_match: [idle", "type: tset, "
                + "state_match: [idle").replace("type: test", "type: gossip"));
        MachineCli.Result r = cli.machine("validate", m.toString());
        assertThat(r.code()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(r.errLines()).hasSize(2);
        assertThat(r.errLines().get(0)).isEqualTo(m.resolve("machine.yaml")
                + ":12: watcher \"variables\": type \"gossip\" is not supported by Tend");
        assertThat(r.errLines().get(1)).startsWith(m.resolve("machine.yaml")
                + ":15: watcher \"monitor\": unknown type \"tset\" (did you mean \"test\"?); known types: ")
                .contains("test");
    }

    @Test
    void yamlSyntaxErrorsAreOneLine() throws Exception {
        MachineCli cli = cli();
        Path m = cli.machineDir("m", "name: m\nversion: [1\n");
        MachineCli.Result r = cli.machine("validate", m.toString());
        assertThat(r.code()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(r.errLines()).containsExactly(m.resolve("machine.yaml")
                + ":3: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    }

    @Test
    void jsonGivesEveryResult() throws Exception {
        MachineCli cli = cli();
        Path good = cli.machineDir("good", MachineCli.HVAC.replace("\"1.0.0\"", "1.0"));
        Path bad = cli.machineDir("bad", "name: bad\n");
        MachineCli.Result r = cli.machine("validate", "--json", good.toString(), bad.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(r.err()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("path").asText()).isEqualTo(good.toString());
        assertThat(json.get(0).get("valid").asBoolean()).isTrue();
        assertThat(json.get(0).get("errors")).isEmpty();
        JsonNode warning = json.get(0).get("warnings").get(0);
        assertThat(warning.get("file").asText()).isEqualTo(good.resolve("machine.yaml").toString());
        assertThat(warning.get("line").asInt()).isEqualTo(2);
        assertThat(warning.get("where").asText()).isEmpty();
        assertThat(warning.get("message").asText()).isEqualTo("version \"1.0\" is not a SemVer version such as 1.0.0");
        assertThat(json.get(1).get("valid").asBoolean()).isFalse();
        assertThat(json.get(1).get("errors")).extracting(e -> e.get("line").asInt() + " " + e.get("message").asText())
                .containsExactly("1 version is required", "1 initial_state is required",
                        "1 transitions is required; a machine needs at least one transition",
                        "1 watchers is required; a machine needs at least one watcher");
        assertThat(json.get(1).get("warnings")).isEmpty();
    }

    @Test
    void noArgumentIsAUsageError() {
        MachineCli.Result r = cli().machine("validate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tend: missing required parameter");
    }

    @Test
    void schemaPrintsTheJsonSchemaOfTheKnownTypes() throws Exception {
        MachineCli.Result r = cli().machine("schema");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode schema = new ObjectMapper().readTree(r.out());
        assertThat(schema.get("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(schema.at("/definitions/watcher/properties/type/enum")).extracting(JsonNode::asText)
                .contains("test");
        assertThat(r.out()).contains("\"const\": \"test\"").endsWith("}\n");
    }

    @Test
    void aPluginsPathThatIsNotADirectoryIsAFailureNamingIt() throws Exception {
        MachineCli cli = cli();
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC);
        Path notADirectory = java.nio.file.Files.writeString(dir.resolve("plugins"), "x");
        MachineCli.Result r = cli.machine("validate", "--plugins", notADirectory.toString(), hvac.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.errLines()).containsExactly("tend: the plugins directory " + notADirectory + " is not a directory");
    }

    @Test
    void anEmptyPluginsDirectoryLeavesTheBuiltInTypes() throws Exception {
        MachineCli cli = cli();
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC);
        Path plugins = java.nio.file.Files.createDirectories(dir.resolve("plugins"));
        MachineCli.Result r = cli.machine("validate", "--plugins", plugins.toString(), hvac.toString());
        assertThat(r.code()).as(r.toString()).isZero();
    }
}
