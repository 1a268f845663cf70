package dev.tend.watchers.archive;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Archive properties through the real loader: what loads, and each bad property's one-line message with its line. */
class ArchiveValidationTest {

    private static final String SUM = "a".repeat(64);

    @TempDir
    Path dir;

    /** The watcher item is on line 8, its properties from line 13 (source, checksum, creates, target, then more). */
    private static final String MACHINE = """
            name: archives
            version: "1.0.0"
            initial_state: MANAGE
            transitions:
              - {name: enter_maintenance, from: [MANAGE], destination: MAINTENANCE}
              - {name: resume, from: [MAINTENANCE], destination: MANAGE}
            watchers:
              - name: download
                type: archive
                interval: %s
                state_match: [MANAGE]
                properties:
            """;

    private final MachineLoader loader = new MachineLoader(WatcherRegistry.of(List.of(new ArchiveWatcherFactory())));

    private MachineDefinition load(String interval, String properties) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), MACHINE.formatted(interval) + properties.indent(6));
        return loader.load(dir);
    }

    private List<String> problems(String interval, String properties) {
        MachineLoadException e = catchThrowableOfType(MachineLoadException.class, () -> load(interval, properties));
        assertThat(e).as("should not load").isNotNull();
        return e.problems().stream().map(Problem::toString).map(s -> s.substring(dir.toString().length() + 1))
                .toList();
    }

    private List<String> warnings(String properties) throws Exception {
        return load("1m", properties).warnings().stream().map(Problem::toString)
                .map(s -> s.substring(dir.toString().length() + 1)).toList();
    }

    private static String valid(String... more) {
        StringBuilder s = new StringBuilder("source: https://repo.example.net/m.tgz\nchecksum: " + SUM
                + "\ncreates: m\ntarget: /etc/tend/machines\n");
        for (String line : more) {
            s.append(line).append('\n');
        }
        return s.toString();
    }

    @Test
    void theReferencesPropertiesLoadWithTheirDefaults() throws Exception {
        MachineDefinition m = load("1m", valid("verify: SHA256SUMS", "verify_checksum: " + SUM,
                "username: u", "password: p", "governor: deploys", "insecure: true"));
        assertThat(m.warnings()).isEmpty();
        ArchiveProperties p = ArchiveProperties.of(m.watchers().get(0).properties(), dir);
        assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.governorTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.insecure()).isTrue();
        assertThat(p.createsPath()).isEqualTo(Path.of("/etc/tend/machines/m"));
    }

    @Test
    void aRelativeTargetIsTakenFromTheMachinesDirectory() throws Exception {
        MachineDefinition m = load("0", valid().replace("target: /etc/tend/machines", "target: deployed"));
        assertThat(ArchiveProperties.of(m.watchers().get(0).properties(), dir).createsPath())
                .isEqualTo(dir.resolve("deployed/m"));
    }

    @Test
    void kvAndFileSourcesLoad() throws Exception {
        load("0", valid().replace("https://repo.example.net/m.tgz", "kv://FLEET/machines/m"));
        load("0", valid().replace("https://repo.example.net/m.tgz", "file:///srv/m.tgz"));
        load("0", valid().replace("https://repo.example.net/m.tgz", "'{{ lookup \"data.source\" \"\" }}'"));
    }

    @Test
    void anIntervalUnderTenSecondsIsRefused() {
        assertThat(problems("5s", valid())).containsExactly("machine.yaml:8: watcher \"download\": interval 5s is too"
                + " short for an archive watcher: the minimum is 10s (without an interval it runs at start and on"
                + " state changes)");
    }

    @Test
    void requiredPropertiesAndTheirPairsAreChecked() {
        assertThat(problems("0", "source: https://x.example.net/m.tgz\ncreates: m\ntarget: /t\n")).singleElement()
                .asString().contains("checksum").contains("required");
        assertThat(problems("0", valid("verify: SHA256SUMS"))).containsExactly(
                "machine.yaml:8: watcher \"download\" property \"verify_checksum\": is required when verify is set");
        assertThat(problems("0", valid("verify_checksum: " + SUM))).containsExactly(
                "machine.yaml:17: watcher \"download\" property \"verify_checksum\": needs verify, the name of the"
                        + " sums file it is the checksum of");
        assertThat(problems("0", valid("username: u"))).singleElement().asString()
                .contains("property \"password\": is required when username is given");
        assertThat(problems("0", valid().replace("creates: m", "creates: ''"))).containsExactly(
                "machine.yaml:15: watcher \"download\" property \"creates\": must not be empty");
    }

    @Test
    void badValuesAreOneLineErrorsWithTheirLine() {
        assertThat(problems("0", valid().replace(SUM, "abc"))).containsExactly(
                "machine.yaml:14: watcher \"download\" property \"checksum\": is not a SHA-256: give 64 hexadecimal"
                        + " digits");
        assertThat(problems("0", valid().replace("https://repo.example.net/m.tgz", "ftp://x/m.tgz")))
                .containsExactly("machine.yaml:13: watcher \"download\" property \"source\": ftp://x/m.tgz is not"
                        + " supported: use http://, https://, file:///PATH or kv://BUCKET/KEY");
        assertThat(problems("0", valid().replace("https://repo.example.net/m.tgz", "kv://FLEET")))
                .containsExactly("machine.yaml:13: watcher \"download\" property \"source\": source kv://FLEET is not"
                        + " kv://BUCKET/KEY");
        assertThat(problems("0", valid().replace("creates: m", "creates: tmp"))).singleElement().asString()
                .contains("property \"creates\": must be one directory name");
        assertThat(problems("0", valid().replace("creates: m", "creates: a/b"))).singleElement().asString()
                .contains("property \"creates\": must be one directory name");
        assertThat(problems("0", valid("verify: ../SUMS", "verify_checksum: " + SUM))).singleElement().asString()
                .contains("property \"verify\": must be a file inside creates");
        assertThat(problems("0", valid("governor: 'no spaces'"))).singleElement().asString()
                .contains("property \"governor\":");
    }

    @Test
    void whatTheReferenceIgnoresOrRaisesIsAWarning() throws Exception {
        assertThat(warnings(valid("timeout: 1s"))).containsExactly(
                "machine.yaml:17: watcher \"download\" property \"timeout\": 1s is raised to the minimum, 5s");
        assertThat(warnings(valid("password: p"))).containsExactly(
                "machine.yaml:17: watcher \"download\" property \"password\": has no effect without username");
        assertThat(warnings(valid("governor_timeout: 1m"))).containsExactly(
                "machine.yaml:17: watcher \"download\" property \"governor_timeout\": has no effect without a"
                        + " governor");
    }
}
