package dev.tend.machine.data;

import dev.tend.machine.testing.LogCapture;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FactsFileTest {

    @TempDir
    Path tmp;

    /** Writes and gives the file a modification time of its own, so a change is seen even within one clock tick. */
    private static void write(Path file, String content, int second) throws IOException {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(second)));
    }

    @Test
    void readsJsonFacts() throws IOException {
        Path file = tmp.resolve("facts.json");
        write(file, "{\"os\": {\"family\": \"debian\"}, \"cpus\": 4, \"virtual\": false, \"ips\": [\"10.0.0.1\"]}", 1);

        assertThat(new FactsFile(file).get()).isEqualTo(Map.of(
                "os", Map.of("family", "debian"), "cpus", 4, "virtual", false, "ips", List.of("10.0.0.1")));
    }

    @Test
    void readsYamlFactsByExtensionKeepingDatesAsText() throws IOException {
        for (String name : List.of("facts.yaml", "facts.yml", "FACTS.YAML")) {
            Path file = tmp.resolve(name);
            write(file, "os:\n  family: debian\ncpus: 4\nbuilt: 2024-05-01\n1: one\n", 1);

            assertThat(new FactsFile(file).get()).as(name).isEqualTo(Map.of(
                    "os", Map.of("family", "debian"), "cpus", 4, "built", "2024-05-01", "1", "one"));
        }
    }

    @Test
    void factsAreReadAgainWhenTheFileChangesAndOnlyThen() throws IOException {
        Path file = tmp.resolve("facts.json");
        write(file, "{\"n\": 1}", 1);
        FactsFile facts = new FactsFile(file);
        Map<String, Object> first = facts.get();

        assertThat(facts.get()).isSameAs(first);

        write(file, "{\"n\": 2}", 2); // same size, newer time
        assertThat(facts.get()).isEqualTo(Map.of("n", 2));

        Files.writeString(file, "{\"n\": 333}"); // a new size, whatever the time
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:02Z")));
        assertThat(facts.get()).isEqualTo(Map.of("n", 333));
    }

    @Test
    void aMissingFileIsNoFactsLoggedOnceAtInfo() throws IOException {
        Path file = tmp.resolve("facts.json");
        FactsFile facts = new FactsFile(file);
        List<String> infos;
        try (LogCapture log = LogCapture.of(FactsFile.class)) {
            assertThat(facts.get()).isEmpty();
            assertThat(facts.get()).isEmpty();
            infos = log.lines(Level.INFO);
        }
        assertThat(infos).containsExactly("facts file " + file + " does not exist; there are no facts until it does");

        write(file, "{\"a\": 1}", 1);
        assertThat(facts.get()).isEqualTo(Map.of("a", 1));

        Files.delete(file);
        assertThat(facts.get()).isEmpty();
    }

    @Test
    void anInvalidFileKeepsThePreviousFactsAndWarnsOncePerChange() throws IOException {
        Path file = tmp.resolve("facts.json");
        write(file, "{\"good\": true}", 1);
        FactsFile facts = new FactsFile(file);
        facts.get();

        List<String> warnings;
        try (LogCapture log = LogCapture.of(FactsFile.class)) {
            write(file, "{\"good\": ", 2);
            assertThat(facts.get()).isEqualTo(Map.of("good", true));
            assertThat(facts.get()).isEqualTo(Map.of("good", true));
            write(file, "[1, 2]", 3);
            assertThat(facts.get()).isEqualTo(Map.of("good", true));
            warnings = log.lines(Level.WARN);
        }

        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith("cannot use facts file " + file + ": invalid JSON: ")
                .contains("at line 1 column").endsWith("; keeping the facts read before");
        assertThat(warnings.get(1)).isEqualTo("cannot use facts file " + file
                + ": the facts must be an object (a mapping), not a list; keeping the facts read before");

        write(file, "{\"good\": \"again\"}", 4);
        assertThat(facts.get()).isEqualTo(Map.of("good", "again"));
    }

    @Test
    void invalidYamlNamesTheLine() throws IOException {
        Path file = tmp.resolve("facts.yaml");
        write(file, "a: 1\nb: [unclosed\n", 1);
        List<String> warnings;
        try (LogCapture log = LogCapture.of(FactsFile.class)) {
            assertThat(new FactsFile(file).get()).isEmpty();
            warnings = log.lines(Level.WARN);
        }
        assertThat(warnings).singleElement().asString()
                .startsWith("cannot use facts file " + file + ": invalid YAML: ")
                .contains(" at line 3 column 1")
                .doesNotContain("\n");
    }

    @Test
    void aFileOverTheLimitKeepsThePreviousFactsUnread() throws IOException {
        Path file = tmp.resolve("facts.json");
        write(file, "{\"good\": true}", 1);
        FactsFile facts = new FactsFile(file);
        facts.get();
        String big = "{\"big\": \"" + "x".repeat(4 * 1024 * 1024) + "\"}";
        write(file, big, 2);
        List<String> warnings;
        try (LogCapture log = LogCapture.of(FactsFile.class)) {
            assertThat(facts.get()).isEqualTo(Map.of("good", true));
            warnings = log.lines(Level.WARN);
        }
        assertThat(warnings).containsExactly("cannot use facts file " + file + ": " + big.length()
                + " bytes is over the 4 MiB limit for a facts file; keeping the facts read before");
    }

    @Test
    void yamlFactsFollowTheMachineFilesRules() throws IOException {
        Path file = tmp.resolve("facts.yaml");
        List<String> warnings;
        try (LogCapture log = LogCapture.of(FactsFile.class)) {
            write(file, "os: linux\ncpus: 4\nos: bsd\n", 1);
            assertThat(new FactsFile(file).get()).isEmpty();
            Files.write(file, "\uFEFFos: linux\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
            assertThat(new FactsFile(file).get()).isEmpty();
            warnings = log.lines(Level.WARN);
        }
        assertThat(warnings).containsExactly(
                "cannot use facts file " + file + ": invalid YAML: found duplicate key os at line 3 column 1; keeping "
                        + "the facts read before",
                "cannot use facts file " + file + ": line 1: the file is UTF-16 text (it starts with a UTF-16 "
                        + "byte-order mark); save it as UTF-8; keeping the facts read before");

        write(file, "\uFEFFos: linux\n", 3);
        assertThat(new FactsFile(file).get()).isEqualTo(Map.of("os", "linux"));
    }

    @Test
    void anEmptyFileIsNotFacts() throws IOException {
        Path file = tmp.resolve("facts.json");
        write(file, "", 1);
        List<String> warnings;
        try (LogCapture log = LogCapture.of(FactsFile.class)) {
            assertThat(new FactsFile(file).get()).isEmpty();
            warnings = log.lines(Level.WARN);
        }
        assertThat(warnings).singleElement().asString().contains("the facts must be an object (a mapping), not empty");
    }

    @Test
    void theFactsCannotBeChangedByTheirReaders() throws IOException {
        Path file = tmp.resolve("facts.json");
        write(file, "{\"list\": [1]}", 1);
        Map<String, Object> facts = new FactsFile(file).get();

        assertThatThrownBy(() -> facts.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) facts.get("list");
        assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void noFactsFileMeansEmptyFacts() {
        Supplier<Map<String, Object>> none = FactsFile.of(null);

        assertThat(none.get()).isEmpty();
        assertThat(FactsFile.of(tmp.resolve("f.json"))).isInstanceOf(FactsFile.class);
    }
}
