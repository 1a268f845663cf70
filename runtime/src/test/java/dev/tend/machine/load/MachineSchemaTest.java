package dev.tend.machine.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import dev.tend.machine.WatcherRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated JSON Schema: valid draft-07, never stricter than the loader, and part of validate. */
class MachineSchemaTest {

    private static final ObjectNode SCHEMA = MachineSchema.of(TestTypes.registry());
    private static final SchemaCheck CHECK = new SchemaCheck(SCHEMA);

    @TempDir
    Path dir;

    private final MachineLoader loader = new MachineLoader(TestTypes.registry());

    @Test
    void isAValidDraft07Schema() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        var meta = factory.getSchema(SchemaLocation.of("http://json-schema.org/draft-07/schema#"));
        assertThat(meta.validate(SCHEMA)).isEmpty();
        assertThat(SCHEMA.get("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(SCHEMA.get("$id").asText()).isEqualTo(MachineSchema.ID);
    }

    @Test
    void describesEveryTypeAndItsProperties() {
        JsonNode watcher = SCHEMA.at("/definitions/watcher");
        assertThat(watcher.at("/properties/type/enum")).extracting(JsonNode::asText)
                .containsExactly("exec", "file", "probe");
        JsonNode exec = watcher.at("/allOf/0");
        assertThat(exec.at("/if/properties/type/const").asText()).isEqualTo("exec");
        JsonNode props = exec.at("/then/properties/properties");
        assertThat(props.at("/properties/command/description").asText())
                .isEqualTo("The command to run; exit 0 is success.");
        assertThat(props.at("/properties/timeout/default").asText()).isEqualTo("10s");
        assertThat(props.at("/additionalProperties").asBoolean(true)).isFalse();
        assertThat(exec.at("/then/required/0").asText()).isEqualTo("properties");
        JsonNode file = watcher.at("/allOf/1/then/properties/properties/properties");
        assertThat(file.has("contents")).isTrue();
        assertThat(file.has("content")).isTrue(); // the alias
    }

    @Test
    void aRegistryWithoutTypesStillGivesASchema() {
        ObjectNode empty = MachineSchema.of(WatcherRegistry.of(List.of()));
        assertThat(empty.at("/definitions/watcher/properties/type/type").asText()).isEqualTo("string");
        assertThat(empty.at("/definitions/watcher").has("allOf")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hvac", "minimal", "loose", "durations"})
    void acceptsEveryValidFixture(String name) throws IOException {
        Path machine = Fixtures.valid(name);
        assertThat(loader.validate(machine).errors()).isEmpty();
        assertThat(check(Files.readString(machine.resolve("machine.yaml")))).isEmpty();
    }

    /** Watchers the loader accepts in their loose forms; the schema must accept them too. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{name: w, type: exec, properties: {COMMAND: x, Timeout: 0, disown: 1, parse_as_data: FALSE}}",
            "{name: w, type: exec, properties: {command: 1, environment: [1, true, x], timeout: '+1.5s'}}",
            "{name: w, type: exec, properties: {command: x, timeout: ~, governor: ''}}",
            "{name: w, type: exec, interval: 1M, announce_interval: ' 2y ', properties: {command: x}}",
            "{name: w, type: exec, state_match: idle, interval: '', properties: {command: x}}",
            "{name: w, type: exec, state_match: ~, foreign_state_required: ~, properties: {command: x}}",
            "{name: 1, type: exec, fail_transition: ~, properties: {command: true}}",
            "{name: w, type: file, properties: {PATH: x, Content: y, owner: a, group: b, mode: 420}}",
            "{name: w, type: probe, properties: {count: '1e2', flag: 'On', tags: x, labels: {}, extra: ~}}",
            "{name: w, type: probe, properties: {count: 0b101, wait: 1d, mode: watch, level: '{{ x }}'}}",
            "{name: w, type: probe, properties: {level: 1, text: 1.5, flag: 0}}",
            "{name: w, type: probe, properties: ~}",
            "{name: w, type: probe}",
    })
    void acceptsWhatTheLoaderAccepts(String watcher) throws IOException {
        String yaml = InvalidMachinesTest.watcher("  - " + watcher + "\n");
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        assertThat(loader.validate(dir).errors()).isEmpty();
        assertThat(check(yaml)).isEmpty();
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("{}\n", "1: schema /: required property 'name' not found"),
                Arguments.of(InvalidMachinesTest.replace("name: m", "name: 9"),
                        "1: schema /name: integer found, [string, boolean] expected"),
                Arguments.of(InvalidMachinesTest.BASE + "colour: red\n", "18: schema /: property 'colour' is not "
                        + "defined in the schema and the schema does not allow additional properties"),
                Arguments.of(InvalidMachinesTest.watcher("  - {name: w, type: nagios}\n"),
                        "12: schema /watchers/0/type: does not have a value in the enumeration [\"exec\", \"file\", "
                                + "\"probe\"]"),
                Arguments.of(InvalidMachinesTest.watcher("  - {name: w, type: exec, properties: {timeout: 1s}}\n"),
                        "12: schema /watchers/0/properties: property command is required"),
                Arguments.of(InvalidMachinesTest.watcher("  - {name: w, type: exec}\n"),
                        "12: schema /watchers/0: required property 'properties' not found"),
                Arguments.of(InvalidMachinesTest.watcher("  - {name: w, type: probe, properties: {mode: push}}\n"),
                        "12: schema /watchers/0/properties/mode: does not have a value in the enumeration "
                                + "[\"poll\", \"watch\"]"),
                Arguments.of(InvalidMachinesTest.BASE + "      timeout: 5\n",
                        "18: schema /watchers/0/properties/timeout: must have a maximum value of 0"),
                Arguments.of(InvalidMachinesTest.replace("    from: [busy]", "    from: []"),
                        "9: schema /transitions/1/from: must have at least 1 items but found 0"));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void rejectsAndLocates(String yaml, String finding) {
        assertThat(check(yaml)).contains(finding);
    }

    /** validate adds the schema, but where the semantic checks found a problem their message is the one shown. */
    @Test
    void validateReportsTheSameAsLoadForEveryInvalidFile() throws IOException {
        for (Arguments a : InvalidMachinesTest.cases().toList()) {
            Files.writeString(dir.resolve("machine.yaml"), (String) a.get()[1]);
            assertThat(loader.validate(dir).errors()).as((String) a.get()[0])
                    .extracting(InvalidMachinesTest::located).isEqualTo(a.get()[2]);
        }
    }

    private static List<String> check(String yaml) {
        Problems problems = new Problems(Path.of("machine.yaml"));
        YamlNode root = YamlTreeReader.read(yaml, problems);
        assertThat(problems.errors()).isEmpty();
        return CHECK.check(root, Path.of("machine.yaml")).stream()
                .map(f -> InvalidMachinesTest.located(f.problem())).toList();
    }
}
