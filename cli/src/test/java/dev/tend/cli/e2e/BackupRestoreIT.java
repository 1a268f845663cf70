package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend kv backup}, {@code restore} and {@code check}, end to end. The bucket the tests back up is filled once
 * for the class, by {@code tend} commands into a store of its own; each test starts from a copy of that store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(1) // long: started first
class BackupRestoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("username", "config", "gone", "purged", "bin", "a.b.c");

    /** The embedded store that {@link #fillTemplate} filled; copied by {@link #fill}. */
    private Path filled;

    private Path tmp;

    private Tend tend;

    @BeforeAll
    void fillTemplate(@TempDir Path dir) throws Exception {
        try (Tend template = new Tend(dir)) {
            assertOk(template.run("kv", "add", "CFG", "--history", "3", "--description", "backed up", "--ttl",
                    "30d"));
            for (int i = 1; i <= 5; i++) {
                assertOk(template.run("kv", "put", "CFG", "username", "user" + i));
            }
            assertOk(template.runWithInput("{\"port\": 8080}\n".getBytes(), "kv", "put", "CFG", "config", "-"));
            assertOk(template.run("kv", "put", "CFG", "gone", "soon"));
            assertOk(template.run("kv", "del", "CFG", "gone", "-f"));
            assertOk(template.run("kv", "put", "CFG", "purged", "x"));
            assertOk(template.run("kv", "purge", "CFG", "purged", "-f"));
            assertOk(template.runWithInput(new byte[] {0, (byte) 0xff, (byte) 0xfe, 10, 13}, "kv", "put", "CFG",
                    "bin", "-"));
            assertOk(template.run("kv", "put", "CFG", "a.b.c", "dotted"));
            filled = template.store();
        }
    }

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        tmp = dir;
        tend = new Tend(tmp);
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    /** This test's store becomes a copy of the filled one (no process has either open). */
    private void fill() throws Exception {
        try (Stream<Path> files = Files.walk(filled)) {
            for (Path from : files.sorted().toList()) { // directories before what they hold
                Files.copy(from, tend.store().resolve(filled.relativize(from).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** Every key's history as JSON, plus the bucket's info (minus what a restore may legitimately change). */
    private Map<String, JsonNode> state(String bucket) throws Exception {
        return state(tend, bucket);
    }

    private static Map<String, JsonNode> state(Tend tend, String bucket) throws Exception {
        Map<String, JsonNode> state = new LinkedHashMap<>();
        for (String key : KEYS) {
            Tend.Result r = tend.run("kv", "history", bucket, key, "--json");
            assertOk(r);
            state.put(key, JSON.readTree(r.out()));
        }
        Tend.Result info = tend.run("kv", "info", bucket, "--json");
        assertOk(info);
        state.put("(info)", JSON.readTree(info.out()));
        return state;
    }

    @Test
    void backupRemoveRestoreGivesBackEveryRetainedEntryWithItsRevision() throws Exception {
        fill();
        Map<String, JsonNode> before = state("CFG");
        assertThat(before.get("username")).hasSize(3);
        assertThat(before.get("gone")).hasSize(2);
        assertThat(before.get("purged")).hasSize(1);

        Path dir = tmp.resolve("backup");
        Tend.Result backup = tend.run("kv", "backup", "CFG", dir.toString());
        assertOk(backup);
        assertThat(dir.resolve("bucket.json")).isRegularFile();
        assertThat(dir.resolve("entries.jsonl")).isRegularFile();
        assertThat(Files.readAllLines(dir.resolve("entries.jsonl"))).hasSize(
                before.get("(info)").get("values").asInt());

        assertOk(tend.run("kv", "rm", "CFG", "-f"));
        assertOneLineError(tend.run("kv", "get", "CFG", "username"), 1);

        Tend.Result restore = tend.run("kv", "restore", dir.toString());
        assertOk(restore);
        Map<String, JsonNode> after = state("CFG");
        assertThat(after).isEqualTo(before);

        Tend.Result raw = tend.run("kv", "get", "CFG", "bin", "--raw");
        assertOk(raw);
        assertThat(raw.stdout()).containsExactly(0, 0xff, 0xfe, 10, 13);
        assertOneLineError(tend.run("kv", "get", "CFG", "gone"), 1);

        long lastRevision = 0;
        for (String key : KEYS) {
            for (JsonNode e : after.get(key)) {
                lastRevision = Math.max(lastRevision, e.get("revision").asLong());
            }
        }
        Tend.Result next = tend.run("kv", "get", "CFG", "username", "--json");
        assertOk(tend.run("kv", "put", "CFG", "username", "after-restore"));
        Tend.Result newest = tend.run("kv", "get", "CFG", "username", "--json");
        assertThat(JSON.readTree(newest.out()).get("revision").asLong())
                .as("a write after the restore continues the sequence: " + next.out())
                .isGreaterThan(lastRevision);
    }

    /**
     * The migration: an embedded store's backup restored into NATS gives the same entries, and a backup of
     * that NATS bucket restored into a new embedded store gives them back.
     */
    @Test
    void migrationFromEmbeddedToNatsAndBack() throws Exception {
        fill();
        Map<String, JsonNode> embedded = state("CFG");
        Path toNats = tmp.resolve("to-nats");
        assertOk(tend.run("kv", "backup", "CFG", toNats.toString()));

        try (Tend nats = Tend.on(Tend.Backend.NATS, tmp.resolve("nats"))) {
            assertOk(nats.run("kv", "restore", toNats.toString()));
            Map<String, JsonNode> onNats = state(nats, "CFG");
            // JetStream numbers and stamps what it is given: new revisions and times, the entries in the same order.
            assertThat(without(onNats, "revision", "created", "bytes", "backend"))
                    .isEqualTo(without(embedded, "revision", "created", "bytes", "backend"));
            assertThat(inRevisionOrder(onNats)).isEqualTo(inRevisionOrder(embedded));
            assertThat(onNats.get("(info)").get("backend").asText()).isEqualTo("nats");
            Tend.Result raw = nats.run("kv", "get", "CFG", "bin", "--raw");
            assertOk(raw);
            assertThat(raw.stdout()).containsExactly(0, 0xff, 0xfe, 10, 13);

            Path fromNats = tmp.resolve("from-nats");
            assertOk(nats.run("kv", "backup", "CFG", fromNats.toString()));
            try (Tend back = Tend.on(Tend.Backend.EMBEDDED, tmp.resolve("back"))) {
                assertOk(back.run("kv", "restore", fromNats.toString()));
                // The embedded store keeps a backup's revisions and times: everything but the storage figures.
                assertThat(without(state(back, "CFG"), "bytes", "backend"))
                        .isEqualTo(without(onNats, "bytes", "backend"));
            }
        }
    }

    /** The state with the named fields removed from every entry and from the bucket's info. */
    private static Map<String, JsonNode> without(Map<String, JsonNode> state, String... fields) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            JsonNode copy = v.deepCopy();
            for (JsonNode n : copy.isArray() ? copy : List.of(copy)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove(List.of(fields));
            }
            out.put(k, copy);
        });
        return out;
    }

    /** Every retained entry as "key OPERATION", ordered by revision across keys. */
    private static List<String> inRevisionOrder(Map<String, JsonNode> state) {
        List<JsonNode> all = new java.util.ArrayList<>();
        state.forEach((k, v) -> {
            if (v.isArray()) {
                v.forEach(all::add);
            }
        });
        all.sort(java.util.Comparator.comparingLong(e -> e.get("revision").asLong()));
        return all.stream().map(e -> e.get("key").asText() + " " + e.get("operation").asText()).toList();
    }

    @Test
    void restoreUnderAnotherNameKeepsTheOriginal() throws Exception {
        fill();
        Path dir = tmp.resolve("backup");
        assertOk(tend.run("kv", "backup", "CFG", dir.toString()));
        Map<String, JsonNode> original = state("CFG");
        assertOk(tend.run("kv", "restore", dir.toString(), "--bucket", "COPY"));
        Map<String, JsonNode> copy = state("COPY");
        assertThat(copy.get("username")).hasSize(3);
        for (String key : KEYS) {
            assertThat(copy.get(key)).hasSameSizeAs(original.get(key));
            for (int i = 0; i < copy.get(key).size(); i++) {
                JsonNode a = original.get(key).get(i);
                JsonNode b = copy.get(key).get(i);
                assertThat(b.get("bucket").asText()).isEqualTo("COPY");
                assertThat(b.get("revision")).isEqualTo(a.get("revision"));
                assertThat(b.get("created")).isEqualTo(a.get("created"));
                assertThat(b.get("operation")).isEqualTo(a.get("operation"));
            }
        }
        assertThat(state("CFG")).isEqualTo(original);
    }

    @Test
    void restoreRefusesAnExistingBucketAndBackupRefusesAnExistingBackup() throws Exception {
        fill();
        Path dir = tmp.resolve("backup");
        assertOk(tend.run("kv", "backup", "CFG", dir.toString()));
        Map<String, JsonNode> before = state("CFG");

        Tend.Result again = tend.run("kv", "backup", "CFG", dir.toString());
        assertThat(again.code()).as(again.describe()).isNotZero();
        assertOneLineError(again, again.code());
        assertThat(again.err()).contains(dir.toString());

        Tend.Result exists = tend.run("kv", "restore", dir.toString());
        assertThat(exists.code()).as(exists.describe()).isNotZero();
        assertOneLineError(exists, exists.code());
        assertThat(exists.err()).contains("CFG");
        assertThat(state("CFG")).isEqualTo(before);
    }

    @Test
    void restoreFromNothingOrADamagedBackupIsOneLineAndCreatesNoBucket() throws Exception {
        fill();
        Path dir = tmp.resolve("backup");
        assertOk(tend.run("kv", "backup", "CFG", dir.toString()));
        assertOk(tend.run("kv", "rm", "CFG", "-f"));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Tend.Result none = tend.run("kv", "restore", empty.toString());
        assertOneLineError(none, 1);
        assertThat(none.err()).contains("no backup", "bucket.json");

        Path entries = dir.resolve("entries.jsonl");
        List<String> lines = Files.readAllLines(entries);
        Files.write(entries, Stream.concat(lines.subList(0, 2).stream(),
                Stream.concat(Stream.of("{\"key\":"), lines.subList(3, lines.size()).stream())).toList());
        Tend.Result damaged = tend.run("kv", "restore", dir.toString());
        assertOneLineError(damaged, 3);
        assertThat(damaged.err()).contains(entries.toString() + " line 3");
        assertOneLineError(tend.run("kv", "info", "CFG"), 1);

        Path head = dir.resolve("bucket.json");
        Files.write(entries, lines);
        Files.writeString(head, Files.readString(head).replace("\"format_version\" : 1", "\"format_version\" : 9"));
        Tend.Result newer = tend.run("kv", "restore", dir.toString());
        assertOneLineError(newer, 3);
        assertThat(newer.err()).contains("format version 9 is newer");
        assertOneLineError(tend.run("kv", "info", "CFG"), 1);
    }

    @Test
    void checkFindsADamagedLogAndNamesTheFile() throws Exception {
        assertOk(tend.run("kv", "add", "CFG", "--history", "5"));
        for (int i = 0; i < 20; i++) {
            assertOk(tend.run("kv", "put", "CFG", "key" + i, "value number " + i + " " + "v".repeat(40)));
        }
        Tend.Result healthy = tend.run("kv", "check", "CFG");
        assertThat(healthy.code()).as(healthy.describe()).isZero();

        Path log;
        try (Stream<Path> files = Files.walk(tend.store())) {
            log = files.filter(p -> p.getFileName().toString().equals("log-1.tkv")
                    && p.toString().contains("CFG")).findFirst().orElseThrow(
                            () -> new AssertionError("no log-1.tkv for CFG under " + tend.store()));
        }
        byte[] bytes = Files.readAllBytes(log);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(log, bytes);

        Tend.Result damaged = tend.run("kv", "check", "CFG");
        assertThat(damaged.code()).as(damaged.describe()).isEqualTo(1);
        assertThat(damaged.out() + damaged.err()).as(damaged.describe()).contains("log-1.tkv")
                .doesNotContain("Exception", "\tat ");
    }
}
