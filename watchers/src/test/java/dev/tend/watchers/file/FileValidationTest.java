package dev.tend.watchers.file;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.spi.WatcherDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** File properties through the real loader: what loads, and each bad property's message with its line. */
class FileValidationTest {

    @TempDir
    Path dir;

    /** The watcher item is on line 7, its interval on line 10, properties from line 12. */
    private static final String MACHINE = """
            name: files
            version: "1.0.0"
            initial_state: watching
            transitions:
              - {name: changed, from: [watching], destination: seen}
            watchers:
              - name: conf
                type: file
                success_transition: changed
                interval: %s
                properties:
            """;

    private WatcherDefinition load(String interval, String properties) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), MACHINE.formatted(interval) + properties.indent(6));
        MachineDefinition m = new MachineLoader(WatcherRegistry.of(List.of(new FileWatcherFactory()))).load(dir);
        return m.watchers().get(0);
    }

    private WatcherDefinition load(String properties) throws Exception {
        return load("5s", properties);
    }

    private List<String> problems(String interval, String properties) {
        MachineLoadException e = catchThrowableOfType(MachineLoadException.class, () -> load(interval, properties));
        assertThat(e).as("should not load").isNotNull();
        return e.problems().stream().map(Problem::toString).map(s -> s.substring(dir.toString().length() + 1))
                .toList();
    }

    private List<String> problems(String properties) {
        return problems("5s", properties);
    }

    @Test
    void aWatchedFileNeedsOnlyItsPath() throws Exception {
        WatcherDefinition w = load("path: hvac.json");
        assertThat(w.properties().string("path")).isEqualTo("hvac.json");
        assertThat(w.properties().bool("gather_initial_state")).isFalse();
        assertThat(w.properties().string("contents")).isNull();
    }

    @Test
    void contentIsAnotherNameForContentsAndAnUnquotedOctalModeKeepsItsDigits() throws Exception {
        WatcherDefinition w = load("""
                path: motd
                content: 'hello {{ lookup "facts.name" "" }}'
                owner: root
                group: root
                mode: 0644
                """);
        assertThat(w.properties().string("contents")).isEqualTo("hello {{ lookup \"facts.name\" \"\" }}");
        assertThat(w.properties().string("mode")).isEqualTo("0644");
        assertThat(PosixFilePermissions.toString(FileMode.parse(w.properties().string("mode")))).isEqualTo("rw-r--r--");
        assertThat(schemaAndSemanticProblems()).isEmpty();
    }

    /** What {@code tend machine validate} reports for the file last loaded (the JSON Schema included). */
    private List<Problem> schemaAndSemanticProblems() {
        var v = new MachineLoader(WatcherRegistry.of(List.of(new FileWatcherFactory()))).validate(dir);
        List<Problem> all = new java.util.ArrayList<>(v.errors());
        all.addAll(v.warnings());
        return all;
    }

    @Test
    void thePathIsRequired() {
        assertThat(problems("gather_initial_state: true")).containsExactly(
                "machine.yaml:7: watcher \"conf\": property \"path\" is required");
        assertThat(problems("path: ''")).containsExactly(
                "machine.yaml:12: watcher \"conf\" property \"path\": must not be empty");
    }

    @Test
    void aManagedFileNeedsAModeAndOwnerAndGroupTogether() throws Exception {
        assertThat(problems("""
                path: motd
                contents: hello
                """)).containsExactly(
                "machine.yaml:7: watcher \"conf\": property \"mode\" is required when contents is set");
        assertThat(problems("""
                path: motd
                contents: hello
                mode: "0644"
                owner: root
                """)).containsExactly(
                "machine.yaml:15: watcher \"conf\" property \"owner\": owner and group go together: set both, or "
                        + "neither to leave the file to the agent's user");
        WatcherDefinition noOwner = load("""
                path: motd
                contents: hello
                mode: "0644"
                """);
        assertThat(noOwner.properties().string("owner")).isNull();
    }

    @Test
    void ownerGroupAndModeWithoutContentsAreErrors() {
        assertThat(problems("""
                path: motd
                owner: root
                mode: "0644"
                """)).containsExactly(
                "machine.yaml:13: watcher \"conf\" property \"owner\": applies only to a managed file: set contents "
                        + "too",
                "machine.yaml:14: watcher \"conf\" property \"mode\": applies only to a managed file: set contents "
                        + "too");
    }

    @Test
    void aWrittenModeIsCheckedAtLoadATemplatedOneWhenRendered() throws Exception {
        String managed = """
                path: motd
                contents: hello
                owner: root
                group: root
                """;
        assertThat(problems(managed + "mode: \"0x1ed\"")).containsExactly(
                "machine.yaml:16: watcher \"conf\" property \"mode\": mode \"0x1ed\" is not an octal mode such as "
                        + "\"0644\"");
        assertThat(problems(managed + "mode: \"4755\"")).containsExactly(
                "machine.yaml:16: watcher \"conf\" property \"mode\": mode \"4755\": setuid, setgid and sticky bits "
                        + "are not supported; use the permission bits only, e.g. \"0755\"");
        assertThat(load(managed + "mode: '{{ lookup \"data.mode\" \"0600\" }}'").properties().string("mode"))
                .startsWith("{{");
    }

    @Test
    void theIntervalIsAtLeastHalfASecond() throws Exception {
        assertThat(problems("100ms", "path: x")).containsExactly(
                "machine.yaml:7: watcher \"conf\": interval must be at least 500ms, not 100ms");
        assertThat(load("500ms", "path: x").interval()).isEqualTo(Duration.ofMillis(500));
    }
}
