package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KeyFilter;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keys} from the sorted keys file ({@link SortedKeysFile}, written with each snapshot) and the log after it
 * ({@link KeyLines}): as lines ({@link EmbeddedKvStore#keyLines}) and as strings ({@link Bucket#keys}), the same keys,
 * byte for byte, as the full index gives, with every filter: after puts, overwrites, deletes and purges in the log
 * after the file, with a TTL, empty, without a snapshot, with a snapshot of before the file existed, with a damaged,
 * stale or later-version file, with a file older than the snapshot (an older version wrote the snapshot). Each answer
 * is taken in a fresh store without the index and compared with one taken after loading it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KeyLinesTest {
    private static final String B = "S";
    private static final List<List<String>> FILTERS = List.of(List.of(), List.of("*"), List.of("k1", "tail.>"),
            List.of("tail.only"), List.of("k3"), List.of("nothing.*"), List.of(">"), List.of("k.*", "*.b"),
            List.of("a"), List.of("zz"));

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private EmbeddedKvStore open() {
        return (EmbeddedKvStore) KvStore.builder().directory(dir).clock(clock).durability(Durability.RELAXED).build();
    }

    private Path bucketDir() {
        return dir.resolve(B);
    }

    private Path keysFile() {
        return SortedKeysFile.path(bucketDir(), 1);
    }

    /** Writes keys k0..k(n-1) (two puts each) and a few others, and closes the store after a snapshot of all that. */
    private void fillAndSnapshot(BucketConfig config, int keys) throws IOException {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(config);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < keys; i++) {
                    b.put("k" + i, "v" + round + "." + i);
                }
            }
            b.put("a.b", "x");
            b.put("k.b", "x");
            b.put("deleted", "x");
            b.delete("deleted");
            b.put("purged", "x");
            b.purge("purged");
            s.engine(B).writeSnapshot();
        }
        assertThat(HintFile.path(bucketDir(), 1)).exists();
        assertThat(keysFile().toFile().exists()).as("sorted keys without a TTL only").isEqualTo(!config.hasTtl());
    }

    /**
     * Writes after the snapshot: new keys before the first and after the last, overwrites past the history, deletes,
     * a purge, a key deleted and back, a key put back after its delete in the snapshot, a delete of a key never there.
     */
    private void writeTail() {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            b.put("tail.only", "t");
            b.put("a", "first of all");
            b.put("zz", "last of all");
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
            b.put("deleted", "back");
            b.put("k1x", "after k1, before k10");
            b.delete("k0");
        }
    }

    /** One filter's keys, as strings and as lines. */
    private static String answers(EmbeddedKvStore s, List<String> f) {
        return "keys " + f + ": " + s.bucket(B).keys(f) + "\n" + "lines " + f + ": " + text(s.keyLines(B, f)) + "\n";
    }

    private static String text(ByteBuffer lines) {
        return new String(lines.array(), lines.arrayOffset() + lines.position(), lines.remaining(),
                StandardCharsets.US_ASCII);
    }

    /**
     * Every filter's answers without the index, each in a fresh store (a process reads a few times before it loads
     * the index); {@code scanned}: asserting that the index was never loaded.
     */
    private String scanAnswers(boolean scanned) {
        StringBuilder sb = new StringBuilder();
        for (List<String> f : FILTERS) {
            try (EmbeddedKvStore s = open()) {
                sb.append(answers(s, f));
                if (scanned) {
                    assertThat(s.engine(B).hasIndex()).as("keys needed the index").isFalse();
                }
            }
        }
        return sb.toString();
    }

    /** The answers of the index, with each answer's lines the keys' lines. */
    private String indexAnswers() {
        try (EmbeddedKvStore s = open()) {
            s.engine(B).config(); // loads the index
            assertThat(s.engine(B).hasIndex()).isTrue();
            StringBuilder sb = new StringBuilder();
            for (List<String> f : FILTERS) {
                String a = answers(s, f);
                StringBuilder lines = new StringBuilder();
                for (String k : s.bucket(B).keys(f)) {
                    lines.append(k).append('\n');
                }
                assertThat(a).endsWith("lines " + f + ": " + lines + "\n");
                sb.append(a);
            }
            return sb.toString();
        }
    }

    private void assertMatchesIndex(boolean scanned) {
        String index = indexAnswers();
        assertThat(scanAnswers(scanned)).isEqualTo(index);
    }

    /** Whether the sorted keys file answers now (rather than the snapshot or the index). */
    private boolean fileAnswers() throws IOException {
        try (EmbeddedKvStore s = open()) {
            BucketEngine e = s.engine(B);
            Generation g = e.view.generation();
            return KeyLines.read(s.io(), bucketDir(), g, g.log().size(), List.of(KeyFilter.ALL)) != null;
        }
    }

    @Test
    void theFileAndTheLogAfterIt() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 50);
        assertThat(fileAnswers()).isTrue();
        assertMatchesIndex(true);
        writeTail();
        assertThat(fileAnswers()).isTrue();
        String scan = scanAnswers(true);
        assertThat(scan).contains("lines []: a\na.b\ndeleted\nk.b\nk1\nk10\n").contains("k1x\nk2\n")
                .contains("k49\nk5\nk6\n").contains("tail.only\nzz\n").doesNotContain("tail.deleted")
                .doesNotContain("purged").contains("keys [k3]: []").contains("lines [k3]: \n")
                .contains("lines [a]: a\n").contains("lines [k.*, *.b]: a.b\nk.b\n");
        assertMatchesIndex(true);
    }

    @Test
    void theFileHoldsTheKeysWithAValueSorted() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(2).build(), 12);
        byte[] bytes = Files.readAllBytes(keysFile());
        String lines = new String(bytes, SortedKeysFile.HEADER_LENGTH,
                bytes.length - SortedKeysFile.HEADER_LENGTH - 4, StandardCharsets.US_ASCII);
        assertThat(lines).isEqualTo("a.b\nk.b\nk0\nk1\nk10\nk11\nk2\nk3\nk4\nk5\nk6\nk7\nk8\nk9\n");
        assertThat(ByteBuffer.wrap(bytes).getInt(48)).as("key count").isEqualTo(14);
    }

    @Test
    void withoutASnapshotTheOtherPathsAnswer() throws IOException {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(BucketConfig.builder(B).history(2).build());
            for (int i = 0; i < 30; i++) {
                b.put("k" + (i % 4), "v" + i);
            }
            b.delete("k1");
            b.purge("k2");
        }
        assertThat(keysFile()).doesNotExist();
        assertThat(fileAnswers()).isFalse();
        assertMatchesIndex(true);
    }

    @Test
    void aSnapshotWrittenBeforeTheFileExistedIsUsedAsBefore() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 40);
        writeTail();
        Files.delete(keysFile()); // what a version without the file leaves: the snapshot alone
        assertThat(fileAnswers()).isFalse();
        assertMatchesIndex(true);
    }

    @Test
    void aFileOlderThanTheSnapshotAnswersAsOfItsOwnOffset() throws IOException {
        // An older version wrote a later snapshot and left the file of an earlier one, which still holds as of its
        // offset: the log after it is merged.
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 40);
        byte[] older = Files.readAllBytes(keysFile());
        writeTail();
        try (EmbeddedKvStore s = open()) {
            s.engine(B).config();
            s.engine(B).writeSnapshot();
        }
        assertThat(Files.readAllBytes(keysFile())).isNotEqualTo(older);
        Files.write(keysFile(), older);
        assertThat(fileAnswers()).isTrue();
        assertMatchesIndex(true);
    }

    @Test
    void anEmptyBucket() throws IOException {
        try (EmbeddedKvStore s = open()) {
            s.create(BucketConfig.builder(B).build());
        }
        assertThat(scanAnswers(true)).contains("keys []: []").contains("lines []: \n");
        assertMatchesIndex(true);
        // Every key deleted before the snapshot: a file of no lines.
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            b.put("k", "v");
            b.delete("k");
            s.engine(B).writeSnapshot();
        }
        assertThat(Files.size(keysFile())).isEqualTo(SortedKeysFile.HEADER_LENGTH + 4);
        assertThat(fileAnswers()).isTrue();
        assertThat(scanAnswers(true)).contains("keys []: []").contains("lines []: \n");
        assertMatchesIndex(true);
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
        assertThat(scan).contains("keys []: [fresh, k1]").contains("lines []: fresh\nk1\n");
        assertThat(scan).isEqualTo(indexAnswers());
    }

    @Test
    void aLongTailIsAnsweredByTheSnapshotOrTheIndex() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(1).build(), 10);
        byte[] older = Files.readAllBytes(keysFile());
        byte[] big = new byte[64 * 1024];
        try (EmbeddedKvStore s = open()) {
            for (int i = 0; i < 70; i++) { // 4.5 MiB after the snapshot
                s.bucket(B).put("big" + (i % 3), big);
            }
        }
        Files.write(keysFile(), older);
        assertThat(fileAnswers()).as("too much log after the file").isFalse();
        try (EmbeddedKvStore s = open()) {
            assertThat(s.keyLines(B, List.of()).remaining()).isEqualTo("a.b\nbig0\nbig1\nbig2\nk.b\n".length()
                    + 10 * 3);
        }
        assertMatchesIndex(false);
    }

    enum Damage {
        HEADER, LINES, TRAILER, TRUNCATED, LONGER, LATER_VERSION, NOT_A_KEYS_FILE, OTHER_GENERATION
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedFileNeverGivesAWrongAnswer(Damage damage) throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 40);
        writeTail();
        Path file = keysFile();
        long size = Files.size(file);
        switch (damage) {
            case HEADER -> flip(file, 26);
            case LINES -> flip(file, SortedKeysFile.HEADER_LENGTH + 3);
            case TRAILER -> flip(file, size - 2);
            case TRUNCATED -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(size / 2);
                }
            }
            case LONGER -> Files.write(file, new byte[] {'x', '\n'}, StandardOpenOption.APPEND);
            case LATER_VERSION -> putInt(file, 8, SortedKeysFile.VERSION + 1);
            case NOT_A_KEYS_FILE -> putInt(file, 0, 0);
            case OTHER_GENERATION -> otherGeneration(file);
        }
        assertThat(fileAnswers()).isFalse();
        String scan = scanAnswers(true);
        assertThat(scan).isEqualTo(indexAnswers());
        assertThat(scan).contains("tail.only");
        try (EmbeddedKvStore s = open()) {
            CheckReport report = s.check(B);
            assertThat(report.ok()).as("%s", report).isTrue();
            assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith(file + " is "
                    + (damage == Damage.LATER_VERSION ? "of a later format version" : "damaged or stale")));
        }
    }

    @Test
    void checkFindsNothingToSayAboutAnIntactFile() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 40);
        writeTail();
        try (EmbeddedKvStore s = open()) {
            CheckReport report = s.check(B);
            assertThat(report.ok()).as("%s", report).isTrue();
            assertThat(report.notes()).noneMatch(n -> n.contains(".keys"));
        }
    }

    @Test
    void aFileOfALogCutAndRewrittenAfterItIsNotUsed() throws IOException {
        long cut;
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(BucketConfig.builder(B).history(3).build());
            for (int i = 0; i < 20; i++) {
                b.put("k" + (i % 5), "v" + i);
            }
            cut = Files.size(bucketDir().resolve("log-1.tkv"));
            for (int i = 20; i < 40; i++) {
                b.put("q" + (i % 5), "v" + i);
            }
            s.engine(B).writeSnapshot();
        }
        Files.delete(HintFile.path(bucketDir(), 1));
        try (RandomAccessFile f = new RandomAccessFile(bucketDir().resolve("log-1.tkv").toFile(), "rw")) {
            f.setLength(cut);
        }
        Files.delete(bucketDir().resolve("head"));
        try (EmbeddedKvStore s = open()) {
            for (int i = 0; i < 30; i++) {
                s.bucket(B).put("other" + i, "x".repeat(40));
            }
        }
        assertThat(keysFile()).exists();
        assertThat(fileAnswers()).isFalse();
        String scan = scanAnswers(true);
        assertThat(scan).doesNotContain("q1").contains("other29");
        assertMatchesIndex(true);
    }

    @Test
    void aCompactionReplacesTheFileWithTheNextGenerations() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 20);
        writeTail();
        try (EmbeddedKvStore s = open()) {
            s.update(BucketConfig.builder(B).history(1).build()); // compacts into generation 2
        }
        assertThat(keysFile()).doesNotExist();
        assertThat(SortedKeysFile.path(bucketDir(), 2)).exists();
        assertMatchesIndex(true);
    }

    @Test
    void randomKeysAndWritesMatchTheIndex() throws IOException {
        // Keys of the whole alphabet, prefixes of one another, long shared prefixes; a tail of random puts, deletes and
        // purges of keys in the file and not: the merge places each by its bytes.
        String alphabet = "-/_=.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        Random random = new Random(7);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            keys.add(randomKey(random, alphabet, 1 + random.nextInt(10)));
        }
        for (int i = 0; i < 100; i++) {
            keys.add("p".repeat(70) + randomKey(random, alphabet, 1 + random.nextInt(3)));
            keys.add("a".repeat(1 + random.nextInt(20)));
        }
        TreeSet<String> live = new TreeSet<>();
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(BucketConfig.builder(B).history(2).build());
            for (String k : keys) {
                b.put(k, "v");
                live.add(k);
            }
            s.engine(B).writeSnapshot();
        }
        List<String> known = new ArrayList<>(keys);
        Collections.sort(known);
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            for (int i = 0; i < 400; i++) {
                String k = random.nextInt(4) == 0 ? randomKey(random, alphabet, 1 + random.nextInt(10))
                        : known.get(random.nextInt(known.size()));
                switch (random.nextInt(3)) {
                    case 0 -> {
                        b.put(k, "again");
                        live.add(k);
                    }
                    case 1 -> {
                        b.delete(k);
                        live.remove(k);
                    }
                    default -> {
                        b.purge(k);
                        live.remove(k);
                    }
                }
            }
        }
        assertThat(fileAnswers()).isTrue();
        StringBuilder expected = new StringBuilder();
        for (String k : live) {
            expected.append(k).append('\n');
        }
        try (EmbeddedKvStore s = open()) {
            assertThat(text(s.keyLines(B, List.of()))).isEqualTo(expected.toString());
            assertThat(s.bucket(B).keys()).containsExactlyElementsOf(live);
            assertThat(s.engine(B).hasIndex()).isFalse();
        }
        assertMatchesIndex(true);
    }

    @Test
    void theMergePlacesEachKeyByItsBytes() {
        byte[] lines = "b\nb.a\nb.b\nc\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(KeyLines.search(lines, 0, lines.length, "a")).isZero();
        assertThat(KeyLines.search(lines, 0, lines.length, "b")).isZero();
        assertThat(KeyLines.search(lines, 0, lines.length, "b-")).isEqualTo(2); // '-' sorts before '.'
        assertThat(KeyLines.search(lines, 0, lines.length, "b.ab")).isEqualTo(6);
        assertThat(KeyLines.search(lines, 2, lines.length, "b.b")).isEqualTo(6);
        assertThat(KeyLines.search(lines, 0, lines.length, "c")).isEqualTo(10);
        assertThat(KeyLines.search(lines, 0, lines.length, "d")).isEqualTo(12);
        assertThat(KeyLines.search(lines, 0, 0, "a")).isZero();
        String[] touched = {"a", "b", "b.ab", "c", "d"};
        assertThat(text(KeyLines.merge(lines, 0, lines.length, touched, new boolean[] {true, false, true, true, true},
                List.of(KeyFilter.ALL)))).isEqualTo("a\nb.a\nb.ab\nb.b\nc\nd\n");
        assertThat(text(KeyLines.merge(lines, 0, lines.length, touched,
                new boolean[] {false, false, false, false, false}, List.of(KeyFilter.ALL)))).isEqualTo("b.a\nb.b\n");
        assertThat(text(KeyLines.merge(lines, 0, lines.length, touched, new boolean[] {true, true, true, true, true},
                List.of(KeyFilter.of("b.*"), KeyFilter.of("a"))))).isEqualTo("a\nb.a\nb.ab\nb.b\n");
        assertThat(text(KeyLines.merge(lines, 0, lines.length, new String[0], new boolean[0],
                List.of(KeyFilter.of("b.b"), KeyFilter.of("c"))))).isEqualTo("b.b\nc\n");
        assertThat(KeyLines.merge(lines, 0, lines.length, new String[0], new boolean[0], List.of(KeyFilter.ALL))
                .array()).as("no log after the file and no filter: the lines as read").isSameAs(lines);
        assertThat(KeyLines.strings(ByteBuffer.wrap(lines, 2, 8))).containsExactly("b.a", "b.b");
        assertThat(text(KeyLines.of(List.of("x", "y.z")))).isEqualTo("x\ny.z\n");
    }

    private static String randomKey(Random random, String alphabet, int length) {
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

    private static void putInt(Path p, long at, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, value), at);
        }
    }

    /** Names generation 2 in the file's header, its checksum made right again: intact, but not generation 1's. */
    private static void otherGeneration(Path p) throws IOException {
        byte[] bytes = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.putLong(16, 2);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        b.putInt(bytes.length - 4, (int) crc.getValue());
        Files.write(p, bytes);
    }
}
