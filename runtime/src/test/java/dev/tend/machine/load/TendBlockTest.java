package dev.tend.machine.load;

import dev.tend.machine.MachineDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The top-level {@code tend:} block, Tend's own settings in a Choria-format file: read by the loader, accepted by the
 * schema (so {@code validate --strict} takes such a file), its own keys checked like any other mapping's.
 */
class TendBlockTest {

    private static final SchemaCheck CHECK = new SchemaCheck(MachineSchema.of(TestTypes.registry()));

    @TempDir
    Path dir;

    private final MachineLoader loader = new MachineLoader(TestTypes.registry());

    private MachineLoader.Validation validate(String yaml) throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        return loader.validate(dir);
    }

    private static java.util.List<String> schema(String yaml) {
        Problems problems = new Problems(Path.of("machine.yaml"));
        YamlNode root = YamlTreeReader.read(yaml, problems);
        return CHECK.check(root, Path.of("machine.yaml")).stream()
                .map(f -> InvalidMachinesTest.located(f.problem())).toList();
    }

    @Test
    void resumeStateTrueAsksToResumeAndTheSchemaAcceptsIt() throws IOException {
        String yaml = InvalidMachinesTest.BASE + "tend:\n  resume_state: true\n";
        MachineLoader.Validation v = validate(yaml);

        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
        assertThat(v.definition().map(MachineDefinition::resumeState)).contains(true);
        assertThat(schema(yaml)).isEmpty();
    }

    @Test
    void withoutTheBlockOrWithFalseTheMachineDoesNotResume() throws IOException {
        assertThat(validate(InvalidMachinesTest.BASE).definition().map(MachineDefinition::resumeState)).contains(false);
        String off = InvalidMachinesTest.BASE + "tend:\n  resume_state: no\n";
        assertThat(validate(off).definition().map(MachineDefinition::resumeState)).contains(false);
        assertThat(schema(off)).isEmpty();
        assertThat(schema(InvalidMachinesTest.BASE + "tend:\n")).isEmpty();
    }

    @Test
    void aValueThatIsNotABooleanIsAnErrorAtItsLine() throws IOException {
        MachineLoader.Validation v = validate(InvalidMachinesTest.BASE + "tend:\n  resume_state: maybe\n");

        assertThat(v.errors()).extracting(InvalidMachinesTest::located)
                .containsExactly("19: tend: resume_state must be true or false, not \"maybe\"");
    }

    @Test
    void aBlockThatIsNotAMappingIsAnError() throws IOException {
        MachineLoader.Validation v = validate(InvalidMachinesTest.BASE + "tend: true\n");

        assertThat(v.errors()).extracting(InvalidMachinesTest::located).singleElement().asString()
                .startsWith("18: tend must be a mapping of Tend's settings (resume_state)");
    }

    @Test
    void anUnknownKeyInTheBlockIsAWarningWithASuggestionAndTheSchemaRefusesIt() throws IOException {
        String yaml = InvalidMachinesTest.BASE + "tend:\n  resume_stat: true\n";
        MachineLoader.Validation v = validate(yaml);

        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).extracting(InvalidMachinesTest::located).singleElement().asString()
                .startsWith("19: tend: unknown field \"resume_stat\"").contains("resume_state");
        assertThat(schema(yaml)).singleElement().asString().startsWith("19: schema /tend: property 'resume_stat'");
    }
}
