package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;
import dev.tend.kv.contract.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bucket-wide reads answered without the index ({@link SnapshotScan}: the whole snapshot walked in place plus
 * the log after it): {@code status} (values, bytes, last revision, config) and {@code keys} with and without
 * filters give exactly what the full index gives, with a fresh snapshot and a tail, a stale one, a damaged one, none,
 * and where only the index can answer (a TTL, a long tail). Each answer is taken in a fresh store, once without the
 * index (checked where the scan must answer) and once after loading it. The snapshots here have no sorted keys file
 * beside them (as those of versions before it), which would answer {@code keys} first (KeyLinesTest).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SnapshotScanTest {
    private static final String B = "S";
    private static final List<List<String>> FILTERS = List.of(List.of(), List.of("*"), List.of("k1", "tail.>"),
            List.of("tail.only"), List.of("k3"), List.of("nothing.*"), List.of(">"));

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private EmbeddedKvStore open() {
        return (EmbeddedKvStore) KvStore.builder().directory(dir).clock(clock).durability(Durability.RELAXED).build();
    }

    private Path bucketDir() {
        return dir.resolve(B);
    }

    /**
     * Writes a snapshot as versions before the sorted keys file wrote it, alone: {@code keys} from a fresh sorted keys
     * file is {@link KeyLines}' (KeyLinesTest); here the snapshot walked in place answers.
     */
    private void snapshotWithoutSortedKeys(EmbeddedKvStore s) throws IOException {
        s.engine(B).writeSnapshot();
        Files.deleteIfExists(SortedKeysFile.path(bucketDir(), 1)); // none with a TTL
    }

    /** Writes keys k0..k(n-1) (two puts each) and closes the store after a snapshot of all that. */
    private void fillAndSnapshot(BucketConfig config, int keys) throws IOException {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(config);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < keys; i++) {
                    b.put("k" + i, "v" + round + "." + i);
                }
            }
            snapshotWithoutSortedKeys(s);
        }
        assertThat(HintFile.path(bucketDir(), 1)).exists();
    }

    /** Writes after the snapshot: new keys, overwrites past the history, deletes, a purge, a key deleted and back. */
    private void writeTail() {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            b.put("tail.only", "t");
            b.put("k1", "overwritten");
            b.put("k2", "overwritten");
            b.put("k2", "twice");
            b.put("k2", "thrice");
            b.delete("k3");
            b.purge("k4");
            b.delete("tail.deleted");
            b.put("k5", "a");
            b.delete("k5");
            b.put("k5", "back");
            b.put("k6", "x".repeat(300));
        }
    }

    /** Every bucket-wide answer. */
    private static String answers(Bucket b) {
        StringBuilder sb = new StringBuilder();
        BucketStatus st = b.status();
        sb.append("status ").append(st).append('\n');
        for (List<String> f : FILTERS) {
            sb.append("keys ").append(f).append(": ").append(b.keys(f)).append('\n');
        }
        return sb.toString();
    }

    /** The answers without the index; {@code scanned}: asserting that the index was never loaded. */
    private String scanAnswers(boolean scanned) {
        try (EmbeddedKvStore s = open()) {
            String a = answers(s.bucket(B));
            if (scanned) {
                assertThat(s.engine(B).hasIndex()).as("the bucket-wide reads needed the index").isFalse();
            }
            return a;
        }
    }

    private String indexAnswers() {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            s.engine(B).config(); // loads the index
            assertThat(s.engine(B).hasIndex()).isTrue();
            return answers(b);
        }
    }

    private void assertScanMatchesIndex(boolean scanned) {
        String index = indexAnswers();
        assertThat(scanAnswers(scanned)).isEqualTo(index);
    }

    @Test
    void aFreshSnapshotAndTheLogAfterIt() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 50);
        assertScanMatchesIndex(true);
        writeTail();
        String scan = scanAnswers(true);
        assertThat(scan).contains("tail.only").doesNotContain("tail.deleted").contains("k5");
        assertThat(scan).contains("keys [k3]: []");
        assertScanMatchesIndex(true);
    }

    @Test
    void withoutASnapshotTheLogIsReadFromItsStart() {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(BucketConfig.builder(B).history(2).build());
            for (int i = 0; i < 30; i++) {
                b.put("k" + (i % 4), "v" + i);
            }
            b.delete("k1");
            b.purge("k2");
        }
        assertThat(HintFile.path(bucketDir(), 1)).doesNotExist();
        assertScanMatchesIndex(true);
    }

    @Test
    void anEmptyBucket() {
        try (EmbeddedKvStore s = open()) {
            s.create(BucketConfig.builder(B).build());
        }
        assertThat(scanAnswers(true)).contains("keys []: []");
        assertScanMatchesIndex(true);
    }

    @Test
    void aStaleSnapshotIsNotUsed() throws IOException {
        long cut;
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(BucketConfig.builder(B).history(3).build());
            for (int i = 0; i < 20; i++) {
                b.put("k" + (i % 5), "v" + i);
            }
            cut = Files.size(bucketDir().resolve("log-1.tkv"));
            for (int i = 20; i < 40; i++) {
                b.put("k" + (i % 5), "v" + i);
            }
            snapshotWithoutSortedKeys(s);
        }
        try (RandomAccessFile f = new RandomAccessFile(bucketDir().resolve("log-1.tkv").toFile(), "rw")) {
            f.setLength(cut);
        }
        Files.delete(bucketDir().resolve("head"));
        try (EmbeddedKvStore s = open()) {
            for (int i = 0; i < 30; i++) {
                s.bucket(B).put("other" + i, "x".repeat(40));
            }
        }
        assertScanMatchesIndex(true);
    }

    enum Damage {
        HEADER, SLOT_TABLE, KEYS, TRAILER, TRUNCATED, OLD_VERSION
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedSnapshotNeverGivesAWrongAnswer(Damage damage) throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 40);
        writeTail();
        Path hint = HintFile.path(bucketDir(), 1);
        long size = Files.size(hint);
        switch (damage) {
            case HEADER -> flip(hint, 30);
            case SLOT_TABLE -> flip(hint, HintFile.HEADER_LENGTH + 5);
            case KEYS -> flip(hint, size - 100);
            case TRAILER -> flip(hint, size - 2);
            case TRUNCATED -> {
                try (FileChannel ch = FileChannel.open(hint, StandardOpenOption.WRITE)) {
                    ch.truncate(size / 2);
                }
            }
            case OLD_VERSION -> {
                try (FileChannel ch = FileChannel.open(hint, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.allocate(4).putInt(0, 1), 8);
                }
            }
        }
        // The log is small: without a usable snapshot the scan reads it all, still without the index. The index
        // (loaded first, by indexAnswers) writes no snapshot on close for so little log, so the damage stays.
        String scan = scanAnswers(true);
        assertThat(scan).isEqualTo(indexAnswers());
        assertThat(scan).contains("tail.only");
    }

    @Test
    void aBucketWithATtlIsAnsweredByTheIndex() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(5).ttl(Duration.ofMinutes(1)).build(), 5);
        clock.advance(Duration.ofSeconds(40));
        try (EmbeddedKvStore s = open()) {
            s.bucket(B).put("k1", "younger");
            s.bucket(B).put("fresh", "x");
        }
        clock.advance(Duration.ofSeconds(30));
        String scan = scanAnswers(false);
        assertThat(scan).contains("keys []: [fresh, k1]");
        assertThat(scan).isEqualTo(indexAnswers());
    }

    @Test
    void aLongTailIsAnsweredByTheIndex() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(1).build(), 10);
        Path hint = HintFile.path(bucketDir(), 1);
        byte[] old = Files.readAllBytes(hint);
        byte[] big = new byte[64 * 1024];
        try (EmbeddedKvStore s = open()) {
            for (int i = 0; i < 70; i++) { // 4.5 MiB after the snapshot
                s.bucket(B).put("big" + (i % 3), big);
            }
        }
        Files.write(hint, old);
        // The writer wrote a snapshot on close, with its sorted keys (which would answer keys): as before it, none.
        Files.delete(SortedKeysFile.path(bucketDir(), 1));
        try (EmbeddedKvStore s = open()) {
            assertThat(s.bucket(B).keys()).hasSize(13);
            assertThat(s.engine(B).hasIndex()).as("too much log after the snapshot to scan").isTrue();
        }
        assertScanMatchesIndex(true);
    }

    @Test
    void writesOfAnotherStoreAreSeen() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(2).build(), 5);
        try (EmbeddedKvStore reader = open(); EmbeddedKvStore writer = open()) {
            Bucket r = reader.bucket(B);
            Bucket w = writer.bucket(B);
            assertThat(r.status().values()).isEqualTo(10);
            w.put("k9", "added");
            w.delete("k0");
            assertThat(r.keys()).containsExactly("k1", "k2", "k3", "k4", "k9");
            assertThat(r.status().values()).isEqualTo(11);
            assertThat(reader.engine(B).hasIndex()).isFalse();
        }
    }

    @Test
    void theHeaderCountsStandForTheKeysAndASnapshotWithoutThemIsCounted() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 50);
        writeTail();
        Path hint = HintFile.path(bucketDir(), 1);
        byte[] bytes = Files.readAllBytes(hint);
        ByteBuffer header = ByteBuffer.wrap(bytes);
        assertThat(header.getInt(HintFile.TOTALS_AT + 16)).as("the header holds the counts").isEqualTo(1);
        // The counts in the header are the keys' counts: status from the header alone matches the index.
        assertScanMatchesIndex(true);
        String withCounts = scanAnswers(true);

        // A snapshot written before the header held them (zeros there, the header's checksum over them): counted.
        header.putLong(HintFile.TOTALS_AT, 0).putLong(HintFile.TOTALS_AT + 8, 0).putInt(HintFile.TOTALS_AT + 16, 0);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, HintFile.HEADER_LENGTH - 4);
        header.putInt(HintFile.HEADER_LENGTH - 4, (int) crc.getValue());
        crc.reset();
        crc.update(bytes, 0, bytes.length - 4);
        header.putInt(bytes.length - 4, (int) crc.getValue());
        Files.write(hint, bytes);
        assertThat(scanAnswers(true)).isEqualTo(withCounts);
        assertScanMatchesIndex(true);
    }

    @Test
    void aTailTouchingManyKeysIsCountedFromTheWholeSnapshot() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(2).build(), 300);
        try (EmbeddedKvStore s = open()) {
            for (int i = 0; i < SnapshotScan.MAX_LOOKUPS * 2; i++) {
                s.bucket(B).put("k" + i, "again");
            }
            s.bucket(B).delete("k299");
        }
        assertScanMatchesIndex(true);
    }

    @Test
    void keysOfEveryCharacterComeSortedAsStringsSort() throws IOException {
        // Keys of the whole alphabet, prefixes of one another, long shared prefixes, in the snapshot's hash order;
        // then a tail that adds, overwrites and deletes keys between them: the merged list is String-sorted.
        String alphabet = "-/_=.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        java.util.Random random = new java.util.Random(42);
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < 3_000; i++) {
            keys.add(randomKey(random, alphabet, 1 + random.nextInt(12)));
        }
        String longPrefix = "p".repeat(KeyBytesSort.MAX_RADIX_DEPTH + 10);
        for (int i = 0; i < 200; i++) {
            keys.add(longPrefix + randomKey(random, alphabet, random.nextInt(4) + 1));
            keys.add("a".repeat(1 + random.nextInt(30)));
        }
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(BucketConfig.builder(B).history(2).build());
            for (String k : keys) {
                b.put(k, "v");
            }
            snapshotWithoutSortedKeys(s);
        }
        List<String> sorted = new java.util.ArrayList<>(keys);
        java.util.Collections.sort(sorted);
        try (EmbeddedKvStore s = open()) {
            assertThat(s.bucket(B).keys()).containsExactlyElementsOf(sorted);
            assertThat(s.engine(B).hasIndex()).isFalse();
        }
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            for (int i = 0; i < 300; i++) {
                String k = sorted.get(random.nextInt(sorted.size()));
                if (random.nextBoolean()) {
                    b.delete(k);
                } else {
                    b.put(k, "again");
                }
                b.put(randomKey(random, alphabet, 1 + random.nextInt(12)), "new");
            }
        }
        assertScanMatchesIndex(true);
    }

    private static String randomKey(java.util.Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            if (c == '.' && (sb.length() == 0 || sb.length() == length - 1 || sb.charAt(sb.length() - 1) == '.')) {
                continue; // no leading, trailing or double dot
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static void flip(Path p, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
    }
}
