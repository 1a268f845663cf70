package dev.tend.kv.backup;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.ConflictException;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.NotFoundException;
import dev.tend.kv.Operation;
import dev.tend.kv.UnsupportedFormatException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BucketBackupTest {

    @TempDir
    Path tmp;

    private KvStore store;
    private Path backupDir;

    @BeforeEach
    void open() {
        store = KvStore.builder().directory(tmp.resolve("store")).build();
        backupDir = tmp.resolve("backup");
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Every retained entry of a bucket, markers included, in revision order. */
    private static List<Entry> everything(Bucket b) {
        List<Entry> all = new ArrayList<>();
        List<Entry> seen = new ArrayList<>();
        CountDownLatch caughtUp = new CountDownLatch(1);
        try (var w = b.watch(List.of(), dev.tend.kv.WatchOptions.defaults().withIncludeHistory(),
                new dev.tend.kv.WatchListener() {
                    @Override
                    public void onEntry(Entry entry) {
                        if (caughtUp.getCount() > 0) {
                            seen.add(entry.withDelta(0));
                        }
                    }

                    @Override
                    public void onCaughtUp() {
                        caughtUp.countDown();
                    }
                })) {
            assertThat(caughtUp.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        synchronized (seen) {
            all.addAll(seen);
        }
        all.sort(Comparator.comparingLong(Entry::revision));
        return all;
    }

    private static List<Entry> list(Iterable<Entry> entries) {
        List<Entry> out = new ArrayList<>();
        entries.forEach(out::add);
        return out;
    }

    private Bucket sampleBucket(String name) {
        Bucket b = store.create(BucketConfig.builder(name).history(3).description("sample")
                .maxValueSize(10240).maxBucketSize(1 << 20).ttl(Duration.ofDays(7)).build());
        for (int i = 0; i < 8; i++) {
            b.put("k" + (i % 3), "v" + i);
        }
        b.put("gone", "x");
        b.delete("gone");
        b.put("purged", "y");
        b.put("purged", "z");
        b.purge("purged");
        b.put("bin", new byte[] {0, (byte) 0xff, 7, '\n', '"'});
        b.put("empty", new byte[0]);
        b.put("a/b.c_d=e-f", "odd key");
        return b;
    }

    @Test
    void roundTripKeepsEveryRetainedEntryWithItsRevisionAndTime() {
        Bucket b = sampleBucket("CFG");
        List<Entry> before = everything(b);
        BucketConfig config = b.status().config();
        long lastRevision = b.status().lastRevision();
        long values = b.status().values();

        BackupSummary summary = BucketBackup.write(b, backupDir);
        assertThat(summary.bucket()).isEqualTo("CFG");
        assertThat(summary.entries()).isEqualTo(before.size());
        assertThat(summary.lastRevision()).isEqualTo(lastRevision);
        assertThat(summary.bytes()).isPositive();
        assertThat(backupDir.resolve("bucket.json")).isRegularFile();
        assertThat(backupDir.resolve("entries.jsonl")).isRegularFile();
        try (Stream<Path> files = list(backupDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bucket.json",
                    "entries.jsonl");
        }

        store.delete("CFG");
        Backup backup = BucketBackup.read(backupDir);
        assertThat(backup.config()).isEqualTo(config);
        assertThat(backup.entryCount()).isEqualTo(before.size());
        assertThat(backup.lastRevision()).isEqualTo(lastRevision);
        assertThat(list(backup.entries())).isEqualTo(before);
        assertThat(store.guarantees().preservesRevisions()).isTrue();

        Bucket restored = store.restore(backup.config(), backup.entries());
        assertThat(everything(restored)).isEqualTo(before);
        assertThat(restored.status().config()).isEqualTo(config);
        assertThat(restored.status().values()).isEqualTo(values);
        assertThat(restored.get("bin").orElseThrow().value()).containsExactly(0, 0xff, 7, '\n', '"');
        assertThat(restored.get("empty").orElseThrow().value()).isEmpty();
        assertThat(restored.get("gone")).isEmpty();
        assertThat(restored.history("purged")).extracting(Entry::operation).containsExactly(Operation.PURGE);
        assertThat(restored.history("k0")).hasSize(3);
        assertThat(restored.put("k0", "next")).isGreaterThan(lastRevision);
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void formatIsReadableJsonWithDocumentedFields() throws IOException {
        Bucket b = store.create(BucketConfig.builder("F").history(2).build());
        b.put("greeting", "hello");
        b.delete("greeting");
        BucketBackup.write(b, backupDir);
        String head = Files.readString(backupDir.resolve("bucket.json"));
        assertThat(head).contains("\"format\" : \"tend-kv-backup\"", "\"format_version\" : 1",
                "\"last_revision\" : 2", "\"entries\" : 2", "\"history\" : 2", "\"ttl\" : \"0s\"",
                "\"max_value_size\" : -1", "\"created\" : \"", "\"entries_sha256\"");
        List<String> lines = Files.readAllLines(backupDir.resolve("entries.jsonl"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\{\"key\":\"greeting\",\"revision\":1,\"created\":\"\\d{4}-\\d\\d-\\d\\dT"
                + "\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z\",\"operation\":\"PUT\",\"value_base64\":\"aGVsbG8=\"}");
        assertThat(lines.get(1)).contains("\"revision\":2", "\"operation\":\"DEL\"", "\"value_base64\":\"\"");
    }

    @Test
    void emptyBucketRoundTrips() {
        Bucket b = store.create(BucketConfig.builder("EMPTY").history(5).build());
        BackupSummary summary = BucketBackup.write(b, backupDir);
        assertThat(summary.entries()).isZero();
        assertThat(summary.lastRevision()).isZero();
        store.delete("EMPTY");
        Backup backup = BucketBackup.read(backupDir);
        assertThat(list(backup.entries())).isEmpty();
        Bucket restored = store.restore(backup.config(), backup.entries());
        assertThat(restored.status().values()).isZero();
        assertThat(restored.keys()).isEmpty();
    }

    @Test
    void purgedBucketKeepsItsLastRevisionInTheHeader() {
        Bucket b = store.create(BucketConfig.builder("P").history(5).build());
        b.put("a", "1");
        b.put("a", "2");
        b.purgeAll();
        BackupSummary summary = BucketBackup.write(b, backupDir);
        assertThat(summary.entries()).isEqualTo(b.status().values());
        assertThat(BucketBackup.read(backupDir).lastRevision()).isEqualTo(b.status().lastRevision());
    }

    @Test
    void historyLimitIsRespectedAndRestoredBucketKeepsIt() {
        Bucket b = store.create(BucketConfig.builder("H").history(2).build());
        for (int i = 1; i <= 10; i++) {
            b.put("k", "v" + i);
        }
        BucketBackup.write(b, backupDir);
        Backup backup = BucketBackup.read(backupDir);
        assertThat(list(backup.entries())).extracting(Entry::valueAsString, Entry::revision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("v9", 9L),
                        org.assertj.core.groups.Tuple.tuple("v10", 10L));
        store.delete("H");
        Bucket restored = store.restore(backup.config(), backup.entries());
        assertThat(restored.status().config().history()).isEqualTo(2);
        restored.put("k", "v11");
        assertThat(restored.history("k")).extracting(Entry::valueAsString).containsExactly("v10", "v11");
    }

    @Test
    void largeBucketStreamsThroughTheBoundedQueue() {
        Bucket b = store.create(BucketConfig.builder("BIG").history(1).build());
        byte[] value = new byte[4096];
        for (int i = 0; i < 2000; i++) {
            value[0] = (byte) i;
            b.put("key" + i, value);
        }
        BackupSummary s = BucketBackup.write(b, backupDir);
        assertThat(s.entries()).isEqualTo(2000);
        long n = 0;
        long last = 0;
        for (Entry e : BucketBackup.read(backupDir).entries()) {
            assertThat(e.revision()).isGreaterThan(last);
            last = e.revision();
            n++;
        }
        assertThat(n).isEqualTo(2000);
    }

    @Test
    void writesDuringTheBackupDoNotBreakIt() throws Exception {
        Bucket b = store.create(BucketConfig.builder("LIVE").history(1).build());
        for (int i = 0; i < 500; i++) {
            b.put("k" + i, "v" + i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                b.put("live" + (i++ % 50), "x");
            }
        });
        writer.start();
        try {
            BucketBackup.write(b, backupDir);
        } finally {
            stop.set(true);
            writer.join();
        }
        Backup backup = BucketBackup.read(backupDir);
        List<Entry> entries = list(backup.entries());
        assertThat(entries.size()).isGreaterThanOrEqualTo(500).isEqualTo(backup.entryCount());
        assertThat(entries.stream().map(Entry::key).distinct().count()).isEqualTo(entries.size());
    }

    @Test
    void refusesADirectoryThatHoldsABackupUnlessOverwriting() throws IOException {
        Bucket b = store.create(BucketConfig.builder("O").build());
        b.put("a", "1");
        BucketBackup.write(b, backupDir);
        b.put("a", "2");
        assertThatThrownBy(() -> BucketBackup.write(b, backupDir)).isInstanceOf(ConflictException.class)
                .hasMessageContaining(backupDir.toString()).hasMessageContaining("already holds a backup");
        assertThat(list(BucketBackup.read(backupDir).entries())).extracting(Entry::valueAsString).containsExactly("1");
        BucketBackup.write(b, backupDir, true);
        assertThat(list(BucketBackup.read(backupDir).entries())).extracting(Entry::valueAsString).containsExactly("2");
        try (Stream<Path> files = list(backupDir)) {
            assertThat(files.count()).isEqualTo(2);
        }
    }

    @Test
    void anOtherwiseNonEmptyDirectoryIsAccepted() throws IOException {
        Files.createDirectories(backupDir);
        Files.writeString(backupDir.resolve("README"), "mine");
        Bucket b = store.create(BucketConfig.builder("N").build());
        b.put("a", "1");
        BucketBackup.write(b, backupDir);
        assertThat(backupDir.resolve("README")).hasContent("mine");
        assertThat(BucketBackup.read(backupDir).entryCount()).isEqualTo(1);
    }

    @Test
    void aFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Bucket b = store.create(BucketConfig.builder("N").build());
        assertThatThrownBy(() -> BucketBackup.write(b, file)).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> BucketBackup.read(file)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void aMissingBackupIsNotFound() {
        assertThatThrownBy(() -> BucketBackup.read(tmp)).isInstanceOf(NotFoundException.class)
                .hasMessage("no backup in " + tmp.toAbsolutePath().normalize() + ": bucket.json not found");
    }

    // ---- damaged backups: each a one-line error that names the file (and the line)

    private void backupSample() {
        Bucket b = store.create(BucketConfig.builder("D").history(5).build());
        b.put("a", "1");
        b.put("b", "2");
        b.put("c", "3");
        BucketBackup.write(b, backupDir);
    }

    private void editEntries(UnaryOperator<List<String>> edit) throws IOException {
        Path f = backupDir.resolve("entries.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        Files.write(f, edit.apply(lines));
    }

    private void editHead(String from, String to) throws IOException {
        Path f = backupDir.resolve("bucket.json");
        String s = Files.readString(f);
        assertThat(s).contains(from);
        Files.writeString(f, s.replace(from, to));
    }

    private void assertDamaged(String fileName, String... fragments) {
        assertThatThrownBy(() -> {
            Backup backup = BucketBackup.read(backupDir);
            list(backup.entries());
        }).isInstanceOf(CorruptDataException.class)
                .hasMessageStartingWith("damaged backup: " + backupDir.toAbsolutePath().resolve(fileName))
                .hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aLineThatIsNotJsonNamesFileAndLine() throws IOException {
        backupSample();
        editEntries(l -> {
            l.set(1, "{\"key\":\"b\",\"revision\":2,");
            return l;
        });
        assertDamaged("entries.jsonl", "line 2: not valid JSON");
    }

    @Test
    void missingAndInvalidFieldsAreNamed() throws IOException {
        backupSample();
        String good = Files.readAllLines(backupDir.resolve("entries.jsonl")).get(0);
        record Case(String line, String message) {
        }
        for (Case c : List.of(
                new Case(good.replace("\"key\":\"a\"", "\"key\":\"..bad\""), "line 1: invalid key \"..bad\""),
                new Case(good.replace("\"key\":\"a\",", ""), "line 1: key is missing"),
                new Case(good.replace("\"revision\":1", "\"revision\":\"one\""), "line 1: revision is missing"),
                new Case(good.replace("\"operation\":\"PUT\"", "\"operation\":\"SET\""), "line 1: operation"),
                new Case(good.replaceAll("\"created\":\"[^\"]*\"", "\"created\":\"yesterday\""), "line 1: created"),
                new Case(good.replace("\"value_base64\":\"MQ==\"", "\"value_base64\":\"%%%\""),
                        "line 1: value_base64 is not valid base64"),
                new Case("[1,2]", "line 1: not a JSON object"),
                new Case("", "line 1: empty line"),
                new Case(good + " trailing", "line 1: not valid JSON"))) {
            editEntries(l -> {
                List<String> copy = new ArrayList<>(l);
                copy.set(0, c.line());
                return copy;
            });
            assertDamaged("entries.jsonl", c.message());
            editEntries(l -> {
                List<String> copy = new ArrayList<>(l);
                copy.set(0, good);
                return copy;
            });
        }
        assertThat(BucketBackup.read(backupDir).entryCount()).isEqualTo(3);
    }

    @Test
    void entriesOutOfOrderAreRefused() throws IOException {
        backupSample();
        editEntries(l -> List.of(l.get(1), l.get(0), l.get(2)));
        assertDamaged("entries.jsonl", "line 2: revision 1 is not after revision 2");
    }

    @Test
    void aMissingLineIsACountMismatch() throws IOException {
        backupSample();
        editEntries(l -> List.of(l.get(0), l.get(2)));
        assertDamaged("entries.jsonl", "holds 2 entries but bucket.json says 3");
    }

    @Test
    void aChangedValueFailsTheChecksum() throws IOException {
        backupSample();
        editEntries(l -> {
            l.set(2, l.get(2).replace("Mw==", "NA=="));
            return l;
        });
        assertDamaged("entries.jsonl", "checksum does not match bucket.json");
    }

    @Test
    void aTornLastLineIsDetected() throws IOException {
        backupSample();
        Path f = backupDir.resolve("entries.jsonl");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 5));
        assertDamaged("entries.jsonl", "line 3: incomplete");
    }

    @Test
    void invalidUtf8IsDetected() throws IOException {
        backupSample();
        Path f = backupDir.resolve("entries.jsonl");
        byte[] all = Files.readAllBytes(f);
        all[3] = (byte) 0xC3;
        all[4] = (byte) 0x28;
        Files.write(f, all);
        assertDamaged("entries.jsonl", "line 1: not valid UTF-8");
    }

    @Test
    void aMissingEntriesFileIsIncomplete() throws IOException {
        backupSample();
        Files.delete(backupDir.resolve("entries.jsonl"));
        assertDamaged("entries.jsonl", "missing");
    }

    @Test
    void aDamagedHeadIsNamed() throws IOException {
        backupSample();
        Path head = backupDir.resolve("bucket.json");
        String good = Files.readString(head);
        Files.writeString(head, good.substring(0, good.length() / 2));
        assertDamaged("bucket.json", "not valid JSON");
        Files.writeString(head, "[]");
        assertDamaged("bucket.json", "not a JSON object");
        Files.writeString(head, good.replace("tend-kv-backup", "something-else"));
        assertDamaged("bucket.json", "not a tend kv backup");
        Files.writeString(head, good.replace("\"history\" : 5", "\"history\" : 65"));
        assertDamaged("bucket.json", "invalid config: history must be from 1 to 64, not 65");
        Files.writeString(head, good.replace("\"name\" : \"D\"", "\"name\" : \"a.b\""));
        assertDamaged("bucket.json", "invalid config");
        Files.writeString(head, good.replace("\"entries\" : 3", "\"entries\" : \"3\""));
        assertDamaged("bucket.json", "entries is missing or not a whole number");
        Files.writeString(head, good.replace("\"format_version\" : 1", "\"format_version\" : 0"));
        assertDamaged("bucket.json", "invalid format_version 0");
        Files.writeString(head, good);
        assertThat(BucketBackup.read(backupDir).entryCount()).isEqualTo(3);
    }

    @Test
    void aNewerFormatIsRefusedClearly() throws IOException {
        backupSample();
        editHead("\"format_version\" : 1", "\"format_version\" : 2");
        assertThatThrownBy(() -> BucketBackup.read(backupDir)).isInstanceOf(UnsupportedFormatException.class)
                .hasMessage(backupDir.toAbsolutePath().resolve("bucket.json")
                        + ": backup format version 2 is newer than this tend reads (1); restore it with a newer tend");
    }

    @Test
    void restoreIntoAnExistingBucketIsRefusedAndLeavesItAlone() {
        Bucket b = store.create(BucketConfig.builder("X").build());
        b.put("a", "1");
        BucketBackup.write(b, backupDir);
        b.put("a", "2");
        Backup backup = BucketBackup.read(backupDir);
        assertThatThrownBy(() -> store.restore(backup.config(), backup.entries()))
                .isInstanceOf(dev.tend.kv.BucketExistsException.class);
        assertThat(b.get("a").orElseThrow().valueAsString()).isEqualTo("2");
    }

    @Test
    void aLeftoverTempFileIsNeverABackup() throws IOException {
        Files.createDirectories(backupDir);
        Files.writeString(backupDir.resolve(".entries.jsonl.1234.tmp"), "{}\n");
        assertThat(BucketBackup.isBackup(backupDir)).isFalse();
        assertThatThrownBy(() -> BucketBackup.read(backupDir)).isInstanceOf(NotFoundException.class);
        Bucket b = store.create(BucketConfig.builder("T").build());
        b.put("a", "1");
        BucketBackup.write(b, backupDir);
        assertThat(BucketBackup.read(backupDir).entryCount()).isEqualTo(1);
        assertThat(new String(Files.readAllBytes(backupDir.resolve("entries.jsonl")), StandardCharsets.UTF_8))
                .endsWith("}\n");
    }
}
