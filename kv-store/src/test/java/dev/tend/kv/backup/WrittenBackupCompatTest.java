package dev.tend.kv.backup;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.compat.CompatFixtureWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups written by an earlier Tend (src/test/resources/compat, see its README) read back the same, and today's
 * code writes a backup of the same bucket byte for byte as that Tend did (but for the time it was taken).
 */
class WrittenBackupCompatTest {

    private static Path fixture(String name) {
        try {
            return Path.of(WrittenBackupCompatTest.class.getResource("/compat/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BucketConfig embedded(String name) {
        return CompatFixtureWriter.EMBEDDED_CONFIGS.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private static List<Entry> list(Iterable<Entry> entries) {
        List<Entry> all = new ArrayList<>();
        entries.forEach(all::add);
        return all;
    }

    @Test
    void backupsReadBack() {
        Backup plain = BucketBackup.read(fixture("backup-plain"));
        assertThat(plain.config()).isEqualTo(embedded("PLAIN"));
        assertThat(plain.formatVersion()).isEqualTo(1);
        assertThat(plain.entryCount()).isEqualTo(5);
        assertThat(plain.lastRevision()).isEqualTo(7);
        assertThat(plain.created()).isBetween(Instant.parse("2026-01-01T00:00:00Z"), Instant.now());
        List<Entry> entries = list(plain.entries());
        assertThat(entries).extracting(Entry::key).containsExactly("a", "bin", "c", "d", "e.f-g_h/i=j");
        assertThat(entries).extracting(Entry::revision).containsExactly(1L, 2L, 4L, 6L, 7L);
        assertThat(entries).extracting(Entry::operation).containsExactly(Operation.PUT, Operation.PUT,
                Operation.DEL, Operation.PURGE, Operation.PUT);
        assertThat(entries.get(1).value()).containsExactly(0, 0xff, 1);
        assertThat(entries).allSatisfy(e -> assertThat(e.bucket()).isEqualTo("PLAIN"));

        Backup full = BucketBackup.read(fixture("backup-full"));
        assertThat(full.config()).isEqualTo(embedded("FULL"));
        assertThat(list(full.entries())).extracting(Entry::valueAsString).containsExactly("v1", "v2");

        Backup empty = BucketBackup.read(fixture("backup-empty"));
        assertThat(empty.config()).isEqualTo(embedded("odd_1-x"));
        assertThat(empty.entryCount()).isZero();
        assertThat(list(empty.entries())).isEmpty();

        Backup mirror = BucketBackup.read(fixture("backup-nats-mirror"));
        assertThat(mirror.config()).isEqualTo(CompatFixtureWriter.MIRROR);
        assertThat(list(mirror.entries())).extracting(Entry::key).containsExactly("x", "y");
    }

    @Test
    void bucketJsonIsWrittenByteForByte() throws IOException {
        for (String name : List.of("backup-plain", "backup-full", "backup-empty", "backup-nats-mirror")) {
            Path file = fixture(name).resolve(BucketBackup.BUCKET_FILE);
            byte[] again = BucketFile.read(file).toJson();
            byte[] old = Files.readAllBytes(file);
            assertThat(new String(again, StandardCharsets.UTF_8) + "\n").as(name)
                    .isEqualTo(new String(old, StandardCharsets.UTF_8));
            assertThat(again.length + 1).isEqualTo(old.length);
        }
    }

    /** bucket.json without its {@code created} line, which is the time the backup was taken. */
    private static List<String> headWithoutTime(Path dir) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve(BucketBackup.BUCKET_FILE)));
        lines.removeIf(l -> l.startsWith("  \"created\" : "));
        return lines;
    }

    @Test
    void aRestoredBackupIsWrittenAgainByteForByte(@TempDir Path tmp) throws IOException {
        try (KvStore store = KvStore.builder().directory(tmp.resolve("store")).build()) {
            for (String name : List.of("backup-plain", "backup-empty")) {
                Backup backup = BucketBackup.read(fixture(name));
                Bucket b = store.restore(backup.config(), backup.entries());
                Path again = tmp.resolve(name);
                BucketBackup.write(b, again);
                assertThat(Files.readAllBytes(again.resolve(BucketBackup.ENTRIES_FILE))).as(name)
                        .isEqualTo(Files.readAllBytes(fixture(name).resolve(BucketBackup.ENTRIES_FILE)));
                assertThat(headWithoutTime(again)).as(name).isEqualTo(headWithoutTime(fixture(name)));
            }
            // FULL's entries would have expired by now (36 h TTL): its config is what matters here.
            Bucket full = store.create(embedded("FULL"));
            full.put("k", "v1");
            full.put("k", "v2");
            Path again = tmp.resolve("backup-full");
            BucketBackup.write(full, again);
            List<String> head = headWithoutTime(again);
            List<String> old = headWithoutTime(fixture("backup-full"));
            assertThat(head.subList(0, 15)).isEqualTo(old.subList(0, 15));
        }
    }
}
