package dev.tend.machine.load;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Subscription;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.spi.ForeignState;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachineLoaderTest {

    private final MachineLoader loader = new MachineLoader(TestTypes.registry());

    @TempDir
    Path dir;

    @Test
    void loadsTheReferenceExampleMachine() throws Exception {
        Path hvac = Fixtures.valid("hvac");
        MachineDefinition m = loader.load(hvac);

        assertThat(m.name()).isEqualTo("HVAC");
        assertThat(m.version()).isEqualTo("1.0.0");
        assertThat(m.initialState()).isEqualTo("unknown");
        assertThat(m.splayStart()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.directory()).isEqualTo(hvac.toAbsolutePath().normalize()).isAbsolute();
        assertThat(m.sha256()).isEqualTo(sha256(hvac.resolve("machine.yaml")));
        assertThat(m.transitions()).containsExactly(
                new TransitionDefinition("variables_unknown", List.of("unknown", "idle", "running"), "unknown", "",
                        List.of()),
                new TransitionDefinition("variables_changed", List.of("unknown", "idle", "running"), "idle", "",
                        List.of()),
                new TransitionDefinition("air_good", List.of("idle", "running"), "idle", "", List.of()),
                new TransitionDefinition("air_bad", List.of("idle", "running"), "running", "",
                        List.of(new Subscription("humidity_sensor", "critical"))));
        assertThat(m.states()).containsExactly("idle", "running", "unknown");

        WatcherDefinition variables = m.watchers().get(0);
        assertThat(variables.name()).isEqualTo("variables");
        assertThat(variables.type()).isEqualTo("file");
        assertThat(variables.stateMatch()).containsExactly("unknown", "idle", "running");
        assertThat(variables.failTransition()).isEqualTo("variables_unknown");
        assertThat(variables.successTransition()).isEqualTo("variables_changed");
        assertThat(variables.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(variables.announceInterval()).isZero();
        assertThat(variables.line()).isEqualTo(12);
        assertThat(variables.properties().asMap()).isEqualTo(Map.of("path", "hvac.json", "gather_initial_state", false));
        assertThat(variables.properties().isSet("path")).isTrue();
        assertThat(variables.properties().isSet("gather_initial_state")).isFalse();
        assertThat(variables.properties().line("path")).isEqualTo(14);

        WatcherDefinition monitor = m.watchers().get(1);
        assertThat(monitor.name()).isEqualTo("monitor");
        assertThat(monitor.type()).isEqualTo("exec");
        assertThat(monitor.stateMatch()).containsExactly("idle", "running");
        assertThat(monitor.foreignStateRequired()).containsExactly(new ForeignState("humidity_sensor", "healthy"));
        assertThat(monitor.successTransition()).isEqualTo("air_good");
        assertThat(monitor.failTransition()).isEqualTo("air_bad");
        assertThat(monitor.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(monitor.line()).isEqualTo(15);
        WatcherProperties p = monitor.properties();
        assertThat(p.string("command")).isEqualTo("./monitor.sh");
        assertThat(p.duration("timeout")).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.bool("disown")).isFalse();
        assertThat(p.asMap()).containsOnlyKeys("command", "timeout", "parse_as_data", "suppress_success_announce",
                "gather_initial_state", "disown");
    }

    @Test
    void loadsTheFileItselfAsWellAsItsDirectory() throws Exception {
        Path file = Fixtures.valid("hvac").resolve("machine.yaml");
        assertThat(loader.load(file)).isEqualTo(loader.load(file.getParent()));
        Path other = dir.resolve("hvac.yml");
        Files.copy(file, other);
        MachineDefinition m = loader.load(other);
        assertThat(m.directory()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(m.name()).isEqualTo("HVAC");
    }

    @Test
    void yaml11WordsStayTheStringsWrittenAndScalarsConvertLoosely() throws Exception {
        MachineLoader.Validation v = loader.validate(Fixtures.valid("loose"));
        assertThat(v.errors()).isEmpty();
        MachineDefinition m = v.definition().orElseThrow();
        assertThat(m.version()).isEqualTo("1.0");
        assertThat(m.initialState()).isEqualTo("off");
        assertThat(m.splayStart()).isEqualTo(Duration.ofSeconds(10));
        assertThat(m.transitions()).extracting(TransitionDefinition::name).containsExactly("on", "off", "yes");
        assertThat(m.transitions().get(0).from()).containsExactly("off");
        assertThat(m.transitions().get(2).from()).containsExactly("no");
        assertThat(m.transitions().get(2).description()).isEmpty();
        assertThat(m.states()).containsExactly("no", "off", "on");

        WatcherDefinition light = m.watchers().get(0);
        assertThat(light.stateMatch()).containsExactly("on"); // from the merge key
        assertThat(light.interval()).isEqualTo(Duration.ofMinutes(1)); // written beats merged
        assertThat(light.successTransition()).isEqualTo("off");
        assertThat(light.failTransition()).isEqualTo("yes");
        WatcherProperties exec = light.properties();
        assertThat(exec.string("command")).isEqualTo("./check.sh {{ lookup \"data.x\" \"\" }}");
        assertThat(exec.duration("timeout")).isEqualTo(Duration.ofMillis(1500));
        assertThat(exec.stringList("environment")).containsExactly("A=1");
        assertThat(exec.bool("disown")).isTrue();
        assertThat(exec.value("parse_as_data")).contains(false);
        assertThat(exec.bool("gather_initial_state")).isTrue();
        assertThat(exec.bool("suppress_success_announce")).isTrue();
        assertThat(exec.line("timeout")).isEqualTo(26);

        WatcherDefinition content = m.watchers().get(1);
        assertThat(content.interval()).isEqualTo(Duration.ofHours(36));
        assertThat(content.announceInterval()).isEqualTo(Duration.ofDays(14));
        assertThat(content.properties().string("contents")).startsWith("hello {{");
        assertThat(content.properties().isSet("contents")).isTrue();
        assertThat(content.properties().string("mode")).isEqualTo("0644");

        WatcherDefinition all = m.watchers().get(2);
        assertThat(all.stateMatch()).containsExactly("on", "off", "no"); // through an alias
        assertThat(all.interval()).isZero();
        WatcherProperties p = all.properties();
        assertThat(p.string("text")).isEqualTo("42");
        assertThat(p.bool("flag")).isTrue();
        assertThat(p.integer("count", -1)).isEqualTo(16);
        assertThat(p.duration("wait")).isZero();
        assertThat(p.stringList("tags")).containsExactly("a", "2", "true");
        assertThat(p.map("labels")).isEqualTo(TestTypes.map("x", 1L, "y", List.of("on", "b"), "z", null));
        assertThat(p.value("extra")).contains(List.of(1L, Map.of("a", "b")));
        assertThat(p.string("mode")).isEqualTo("watch");
        assertThat(p.string("level")).isEqualTo("2");

        assertThat(v.warnings()).extracting(Object::toString).containsExactly(
                v.file() + ":3: version \"1.0\" is not a SemVer version such as 1.0.0");
    }

    @Test
    void defaultsApplyAndUnwrittenPropertiesAreNotSet() throws Exception {
        MachineDefinition m = loader.load(Fixtures.valid("minimal"));
        WatcherProperties p = m.watchers().get(0).properties();
        assertThat(p.asMap()).isEqualTo(Map.of("count", 3L, "mode", "poll"));
        assertThat(p.isSet("count")).isFalse();
        assertThat(p.line("count")).isZero();
        assertThat(m.splayStart()).isZero();
        assertThat(m.watchers().get(0).stateMatch()).isEmpty();
        assertThat(m.transitions().get(0).from()).containsExactly("idle");
    }

    @Test
    void readsBothDurationSyntaxes() throws Exception {
        MachineDefinition m = loader.load(Fixtures.valid("durations"));
        assertThat(m.watchers()).extracting(WatcherDefinition::interval).containsExactly(
                Duration.ofMillis(500), Duration.ofHours(36), Duration.ofDays(30), Duration.ofDays(14), Duration.ZERO,
                Duration.ofHours(36), Duration.ofDays(3));
        assertThat(m.watchers()).extracting(w -> w.properties().duration("wait")).containsExactly(
                Duration.ofMinutes(90), Duration.ofMillis(300), Duration.ofMinutes(165), Duration.ofMillis(1500),
                Duration.ofHours(36), Duration.ofNanos(10_000), Duration.ofDays(7));
        assertThat(m.watchers().get(2).announceInterval()).isEqualTo(Duration.ofDays(365));
        assertThat(m.watchers().get(5).announceInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void loadReportsEveryErrorAtOnceSortedByLine() throws IOException {
        Path file = write("""
                name: bad name
                version: ""
                initial_state: idle
                splay_start: soon
                transitions:
                  - name: go
                    from: [idle]
                    destination: busy
                watchers:
                  - name: check
                    type: exce
                  - name: run
                    type: exec
                    state_match: [idel]
                    success_transition: fire_9
                    properties:
                      comand: ./x
                """);
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOfSatisfying(MachineLoadException.class, e -> assertThat(e.problems())
                        .extracting(Object::toString).containsExactly(
                                file + ":1: name \"bad name\" is not valid: use letters, digits, _ and -, starting "
                                        + "with a letter",
                                file + ":2: version must not be empty",
                                file + ":4: splay_start must be a whole number of seconds, not \"soon\"",
                                file + ":11: watcher \"check\": unknown type \"exce\" (did you mean \"exec\"?); known "
                                        + "types: exec, file, probe",
                                file + ":12: watcher \"run\": property \"command\" is required",
                                file + ":14: watcher \"run\": unknown state \"idel\" in state_match (did you mean "
                                        + "\"idle\"?)",
                                file + ":15: watcher \"run\": unknown transition \"fire_9\"; known transitions: go"))
                .hasMessageStartingWith(file + ":1: name");
        assertThat(loader.validate(file).warnings()).extracting(Object::toString).containsExactly(
                file + ":17: watcher \"run\": unknown property \"comand\" (did you mean \"command\"?)");
    }

    @Test
    void validateGivesTheDefinitionOnlyWhenValid() throws IOException {
        MachineLoader.Validation ok = loader.validate(Fixtures.valid("hvac"));
        assertThat(ok.isValid()).isTrue();
        assertThat(ok.definition()).isPresent();
        assertThat(ok.file()).isEqualTo(Fixtures.valid("hvac").resolve("machine.yaml"));

        MachineLoader.Validation bad = loader.validate(write("name: x\n"));
        assertThat(bad.isValid()).isFalse();
        assertThat(bad.definition()).isEmpty();
        assertThat(bad.errors()).isNotEmpty();
    }

    @Test
    void aChangedFileHasAnotherHash() throws Exception {
        Path file = Fixtures.valid("minimal").resolve("machine.yaml");
        Path copy = dir.resolve("machine.yaml");
        Files.copy(file, copy);
        String before = loader.load(dir).sha256();
        Files.writeString(copy, Files.readString(copy) + "\n# changed\n");
        assertThat(loader.load(dir).sha256()).isNotEqualTo(before).isEqualTo(sha256(copy));
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("machine.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
