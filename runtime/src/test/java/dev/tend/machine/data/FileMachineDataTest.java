package dev.tend.machine.data;

import dev.tend.machine.testing.LogCapture;
import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.spi.MachineDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileMachineDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private Path dataFile() {
        return tmp.resolve("state/machines/web/machine_data.json");
    }

    private Path legacyFile() {
        return tmp.resolve("machines/web/machine_data.json");
    }

    @Test
    void aMissingFileIsNoDataAndOpeningCreatesNothing() {
        FileMachineData data = FileMachineData.open(dataFile(), legacyFile());

        assertThat(data.snapshot()).isEmpty();
        assertThat(data.get("x")).isEmpty();
        assertThat(tmp.resolve("state")).doesNotExist();
    }

    @Test
    void valuesSurviveReopeningWithTheirTypes() {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of(1, "two", false));
        nested.put("none", null);
        data.put("text", "hello");
        data.put("int", 42);
        data.put("long", 10_000_000_000L);
        data.put("double", 1.5);
        data.put("bool", true);
        data.put("null", null);
        data.put("nested", nested);

        Map<String, Object> reread = FileMachineData.open(dataFile(), null).snapshot();

        assertThat(reread).containsOnlyKeys("text", "int", "long", "double", "bool", "null", "nested");
        assertThat(reread.get("text")).isEqualTo("hello");
        assertThat(reread.get("int")).isEqualTo(42);
        assertThat(reread.get("long")).isEqualTo(10_000_000_000L);
        assertThat(reread.get("double")).isEqualTo(1.5);
        assertThat(reread.get("bool")).isEqualTo(true);
        assertThat(reread).containsEntry("null", null);
        assertThat(reread.get("nested")).isEqualTo(nested);
    }

    @Test
    void theFileIsOneJsonObjectWithSortedKeys() throws IOException {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        data.put("b", 2);
        data.put("a", "x");

        String text = Files.readString(dataFile());
        assertThat(JSON.readValue(text, MAP)).isEqualTo(Map.of("a", "x", "b", 2));
        assertThat(text.indexOf("\"a\"")).isLessThan(text.indexOf("\"b\""));
    }

    @Test
    void numbersAreWrittenAsChoriaWritesThem() throws IOException {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        data.put("bytes", 22194048.0);
        data.put("ratio", 0.5);
        data.put("huge", 1e21);
        data.put("tiny", 1e-7);
        data.put("nan", Double.NaN);

        String text = Files.readString(dataFile());
        assertThat(text).contains("\"bytes\" : 22194048,", "\"ratio\" : 0.5", "\"huge\" : 1e+21,",
                "\"tiny\" : 1e-7", "\"nan\" : \"NaN\"");
        assertThat(FileMachineData.open(dataFile(), null).get("bytes")).contains(22194048);
    }

    @Test
    void deletePersistsAndDeletingAnAbsentKeyWritesNothing() {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        data.delete("nothing");
        assertThat(dataFile()).doesNotExist();

        data.put("a", 1);
        data.put("b", 2);
        data.delete("a");

        assertThat(data.get("a")).isEmpty();
        assertThat(FileMachineData.open(dataFile(), null).snapshot()).isEqualTo(Map.of("b", 2));
    }

    @Test
    void storedValuesAreCopiesTheCallerCannotChange() {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        List<Object> list = new ArrayList<>(List.of("a"));
        Map<String, Object> map = new HashMap<>(Map.of("list", list));
        data.put("m", map);

        list.add("b");
        map.put("other", 1);

        assertThat(data.get("m")).contains(Map.of("list", List.of("a")));
        assertThat(FileMachineData.open(dataFile(), null).get("m")).contains(Map.of("list", List.of("a")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void snapshotsAreImmutableAndDoNotFollowLaterChanges() {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        data.put("m", Map.of("list", List.of("a")));
        Map<String, Object> snapshot = data.snapshot();

        data.put("later", 1);

        assertThat(snapshot).containsOnlyKeys("m");
        assertThatThrownBy(() -> snapshot.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        Map<String, Object> m = (Map<String, Object>) snapshot.get("m");
        assertThatThrownBy(() -> m.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<Object>) m.get("list")).add("b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aJacksonTreeIsStoredAsPlainValues() throws IOException {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        data.put("tree", JSON.readTree("{\"a\":[1,{\"b\":true}]}"));

        assertThat(data.get("tree")).contains(Map.of("a", List.of(1, Map.of("b", true))));
    }

    @Test
    void aValueThatIsNotJsonIsRefusedNamingTheKey() {
        FileMachineData data = FileMachineData.open(dataFile(), null);

        assertThatThrownBy(() -> data.put("when", Map.of("at", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("machine data \"when\".at: java.time.Instant is not a JSON value"
                        + " (use String, Number, Boolean, null, List or Map)");
        assertThat(data.get("when")).isEmpty();
    }

    @Test
    void directoriesAndFileAreOwnerOnly() throws IOException {
        FileMachineData.open(dataFile(), null).put("secret", "s3cret");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataFile()))).isEqualTo("rw-------");
        for (Path dir : List.of(tmp.resolve("state"), tmp.resolve("state/machines"), dataFile().getParent())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString())
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void aCrashBeforeTheRenameLeavesTheOldFileAndTheLeftoverIsRemoved() throws IOException {
        FileMachineData.open(dataFile(), null).put("version", 1);
        // What a crash between writing the temporary file and renaming it leaves behind.
        Path leftover = dataFile().resolveSibling(".machine_data.json.0b9f6f5e-crash.tmp");
        Files.writeString(leftover, "{\"version\": 2, \"half-writ");

        FileMachineData reopened = FileMachineData.open(dataFile(), null);

        assertThat(reopened.snapshot()).isEqualTo(Map.of("version", 1));
        assertThat(leftover).doesNotExist();
        try (Stream<Path> files = Files.list(dataFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("machine_data.json");
        }
    }

    @Test
    void writingLeavesNoTemporaryFiles() throws IOException {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        for (int i = 0; i < 5; i++) {
            data.put("k" + i, i);
        }
        try (Stream<Path> files = Files.list(dataFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("machine_data.json");
        }
    }

    @Test
    void aCorruptFileIsMovedAsideWithAWarningAndTheMachineStartsEmpty() throws IOException {
        Files.createDirectories(dataFile().getParent());
        Files.writeString(dataFile(), "{\"a\": 1,");

        FileMachineData data;
        List<String> warnings;
        try (LogCapture log = LogCapture.of(FileMachineData.class)) {
            data = FileMachineData.open(dataFile(), legacyFile(), CLOCK);
            warnings = log.lines(Level.WARN);
        }

        Path aside = dataFile().resolveSibling("machine_data.json.corrupt-20240102T030405Z");
        assertThat(data.snapshot()).isEmpty();
        assertThat(aside).hasContent("{\"a\": 1,");
        assertThat(dataFile()).doesNotExist();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("corrupt machine data " + dataFile() + " (")
                .endsWith(") moved to machine_data.json.corrupt-20240102T030405Z; starting without it")
                .doesNotContain("\n");
    }

    @Test
    void aSecondCorruptFileAtTheSameSecondDoesNotOverwriteTheFirst() throws IOException {
        Files.createDirectories(dataFile().getParent());
        Files.writeString(dataFile(), "first");
        FileMachineData.open(dataFile(), null, CLOCK);
        Files.writeString(dataFile(), "second");

        FileMachineData.open(dataFile(), null, CLOCK);

        assertThat(dataFile().resolveSibling("machine_data.json.corrupt-20240102T030405Z")).hasContent("first");
        assertThat(dataFile().resolveSibling("machine_data.json.corrupt-20240102T030405Z-1")).hasContent("second");
    }

    @Test
    void emptyFilesAndNonObjectsAreCorruptToo() throws IOException {
        Files.createDirectories(dataFile().getParent());
        for (String content : List.of("", "[1, 2]", "\"text\"", "null", "{\"a\":1} trailing")) {
            Files.writeString(dataFile(), content);

            assertThat(FileMachineData.open(dataFile(), null, CLOCK).snapshot()).as(content).isEmpty();
            assertThat(dataFile()).as(content).doesNotExist();
        }
    }

    @Test
    void aFileOverTheLimitIsMovedAsideUnread() throws IOException {
        Files.createDirectories(dataFile().getParent());
        Files.write(dataFile(), new byte[16 * 1024 * 1024 + 1]);

        FileMachineData data;
        List<String> warnings;
        try (LogCapture log = LogCapture.of(FileMachineData.class)) {
            data = FileMachineData.open(dataFile(), null, CLOCK);
            warnings = log.lines(Level.WARN);
        }

        assertThat(data.snapshot()).isEmpty();
        assertThat(dataFile().resolveSibling("machine_data.json.corrupt-20240102T030405Z"))
                .hasSize(16 * 1024 * 1024 + 1);
        assertThat(warnings).containsExactly("corrupt machine data " + dataFile() + " (16777217 bytes is over the"
                + " 16 MiB limit for machine data) moved to machine_data.json.corrupt-20240102T030405Z;"
                + " starting without it");
    }

    @Test
    void aChangeThatWouldMakeTheFileTooLargeIsRefusedAndTheFileKept() throws IOException {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        data.put("small", "kept");
        String big = "x".repeat(16 * 1024 * 1024);

        assertThatThrownBy(() -> data.put("big", big))
                .isInstanceOf(MachineDataException.class)
                .hasMessageStartingWith("cannot write machine data " + dataFile() + ": ")
                .hasMessageEndingWith(" bytes is over the 16 MiB limit for machine data");
        assertThat(FileMachineData.open(dataFile(), null).snapshot()).isEqualTo(Map.of("small", "kept"));
    }

    @Test
    void theLegacyFileIsImportedOnceAndLeftInPlace() throws IOException {
        Files.createDirectories(legacyFile().getParent());
        Files.writeString(legacyFile(), "{\"from\": \"legacy\", \"n\": [1, 2]}");

        FileMachineData imported = FileMachineData.open(dataFile(), legacyFile());

        assertThat(imported.snapshot()).isEqualTo(Map.of("from", "legacy", "n", List.of(1, 2)));
        assertThat(JSON.readValue(dataFile().toFile(), MAP)).isEqualTo(Map.of("from", "legacy", "n", List.of(1, 2)));
        assertThat(legacyFile()).hasContent("{\"from\": \"legacy\", \"n\": [1, 2]}");

        // Once imported, the legacy file is not read again.
        Files.writeString(legacyFile(), "{\"from\": \"changed legacy\"}");
        imported.put("more", true);
        assertThat(FileMachineData.open(dataFile(), legacyFile()).snapshot())
                .isEqualTo(Map.of("from", "legacy", "n", List.of(1, 2), "more", true));
    }

    @Test
    void aCorruptLegacyFileIsIgnoredNotMovedAndNotReadAgain() throws IOException {
        Files.createDirectories(legacyFile().getParent());
        Files.writeString(legacyFile(), "not json");

        FileMachineData data;
        List<String> warnings;
        try (LogCapture log = LogCapture.of(FileMachineData.class)) {
            data = FileMachineData.open(dataFile(), legacyFile());
            warnings = log.lines(Level.WARN);
        }

        assertThat(data.snapshot()).isEmpty();
        assertThat(legacyFile()).hasContent("not json");
        assertThat(dataFile()).hasContent("{ }");
        assertThat(warnings).singleElement().asString().startsWith("ignoring corrupt machine data " + legacyFile() + ": ");
    }

    @Test
    void aWriteFailureNamesTheFileAndKeepsTheValueInMemory() throws IOException {
        // A regular file where a directory should be: fails even for root, unlike a read-only directory.
        Path blocker = tmp.resolve("state");
        Files.writeString(blocker, "in the way");
        FileMachineData data = FileMachineData.open(dataFile(), null);

        assertThatThrownBy(() -> data.put("k", "v"))
                .isInstanceOf(MachineDataException.class)
                .hasMessageStartingWith("cannot write machine data " + dataFile() + ": ")
                .hasMessageContaining(blocker.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(data.get("k")).contains("v");

        Files.delete(blocker);
        data.put("k2", "v2"); // works again once the path is usable; both values are written
        assertThat(FileMachineData.open(dataFile(), null).snapshot()).isEqualTo(Map.of("k", "v", "k2", "v2"));
    }

    @Test
    void aDeleteThatCannotBePersistedThrowsToo() throws IOException {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        data.put("k", "v");
        Path machines = tmp.resolve("state/machines");
        Files.move(machines, tmp.resolve("moved"));
        Files.writeString(machines, "in the way");

        assertThatThrownBy(() -> data.delete("k")).isInstanceOf(MachineDataException.class)
                .hasMessageStartingWith("cannot write machine data " + dataFile());
        assertThat(data.get("k")).isEmpty();
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        FileMachineData data = FileMachineData.open(dataFile(), null);
        int threads = 8;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        data.put("t" + thread + "-" + i, i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(data.snapshot()).hasSize(threads * each);
        assertThat(FileMachineData.open(dataFile(), null).snapshot()).isEqualTo(data.snapshot());
    }

    @Test
    void theFileIsUtf8() throws IOException {
        FileMachineData.open(dataFile(), null).put("greeting", "grüße 🌍");

        assertThat(new String(Files.readAllBytes(dataFile()), StandardCharsets.UTF_8)).contains("grüße 🌍");
        assertThat(FileMachineData.open(dataFile(), null).get("greeting")).contains("grüße 🌍");
    }

    @Test
    void aFileThatCannotBeReadIsNeverOverwritten() throws IOException {
        // A directory where the file should be: reading fails with an I/O error (not "missing", not "corrupt"), as root too.
        Files.createDirectories(dataFile());
        Files.writeString(dataFile().resolve("keep"), "x");
        FileMachineData data = FileMachineData.open(dataFile(), null);

        assertThatThrownBy(() -> data.put("a", 1)).isInstanceOf(MachineDataException.class)
                .hasMessageContaining("exists but could not be read");
        assertThat(data.get("a")).contains(1);
        assertThat(dataFile().resolve("keep")).hasContent("x");
    }

    @Test
    void onceTheFileCanBeReadAgainWritesMergeWithWhatItHeld() throws IOException {
        Files.createDirectories(dataFile());
        FileMachineData data = FileMachineData.open(dataFile(), null);
        assertThatThrownBy(() -> data.put("a", 1)).isInstanceOf(MachineDataException.class);
        Files.delete(dataFile());
        Files.writeString(dataFile(), "{\"a\": 0, \"b\": 2}");

        data.put("c", 3);

        assertThat(FileMachineData.open(dataFile(), null).snapshot()).containsExactlyInAnyOrderEntriesOf(
                Map.of("a", 1, "b", 2, "c", 3));
    }

    @Test
    void unwrittenDataIsReadButNeverWritten() throws IOException {
        Files.createDirectories(dataFile().getParent());
        Files.writeString(dataFile(), "{\"a\":1}");
        FileMachineData data = FileMachineData.openUnwritten(dataFile(), legacyFile());
        data.put("b", "two");
        data.delete("a");

        assertThat(data.snapshot()).isEqualTo(Map.of("b", "two"));
        assertThat(Files.readString(dataFile())).isEqualTo("{\"a\":1}");
        try (var files = Files.list(dataFile().getParent())) {
            assertThat(files).containsExactly(dataFile());
        }
    }

    @Test
    void unwrittenDataLeavesACorruptFileInPlaceAndImportsNoLegacyFile() throws IOException {
        Files.createDirectories(legacyFile().getParent());
        Files.writeString(legacyFile(), "{\"old\":true}");
        FileMachineData fromLegacy = FileMachineData.openUnwritten(dataFile(), legacyFile());
        fromLegacy.put("x", 1);
        assertThat(fromLegacy.snapshot()).containsEntry("old", true).containsEntry("x", 1);
        assertThat(dataFile()).doesNotExist();

        Files.createDirectories(dataFile().getParent());
        Files.writeString(dataFile(), "not json");
        FileMachineData corrupt = FileMachineData.openUnwritten(dataFile(), legacyFile());
        assertThat(corrupt.snapshot()).isEmpty();
        assertThat(dataFile()).hasContent("not json");
        try (var files = Files.list(dataFile().getParent())) {
            assertThat(files).containsExactly(dataFile());
        }
    }
}
