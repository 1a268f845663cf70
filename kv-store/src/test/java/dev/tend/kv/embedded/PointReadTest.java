package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.UnknownBucketException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * Reads answered without the index ({@link PointRead}: the key's entry in the snapshot plus the log after it) give
 * exactly what the full index gives: each case reads its keys in a fresh store that never loads the index (checked)
 * and in another that loads it first, and compares every answer (get, get at each retained revision, history).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PointReadTest {
    private static final String B = "P";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private EmbeddedKvStore open() {
        return (EmbeddedKvStore) KvStore.builder().directory(dir).clock(clock).durability(Durability.RELAXED).build();
    }

    private Path bucketDir() {
        return dir.resolve(B);
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
            s.engine(B).writeSnapshot();
        }
        assertThat(HintFile.path(bucketDir(), 1)).exists();
    }

    /** Every answer about {@code key}: get, history, and get at each revision history shows and one more. */
    private static String answers(Bucket b, String key) {
        StringBuilder sb = new StringBuilder(key).append(": get=").append(describe(b.get(key)));
        List<Entry> history = b.history(key);
        sb.append(" history=[");
        long highest = 0;
        for (Entry e : history) {
            sb.append(e.revision()).append(' ').append(e.operation()).append(' ').append(e.valueAsString())
                    .append(" delta ").append(e.delta()).append("; ");
            highest = Math.max(highest, e.revision());
        }
        sb.append("]");
        for (Entry e : history) {
            sb.append(" @").append(e.revision()).append('=').append(describe(b.get(key, e.revision())));
        }
        sb.append(" @next=").append(describe(b.get(key, highest + 1)));
        return sb.toString();
    }

    private static String describe(Optional<Entry> e) {
        return e.map(x -> x.revision() + "/" + x.operation() + "/" + x.valueAsString() + "/" + x.created())
                .orElse("none");
    }

    /** The answers through point reads, asserting that the index was never loaded. */
    private String pointAnswers(String key) {
        try (EmbeddedKvStore s = open()) {
            String a = answers(s.bucket(B), key);
            assertThat(s.engine(B).hasIndex()).as("the reads of %s needed the index", key).isFalse();
            return a;
        }
    }

    /** The answers from the full index. */
    private String indexAnswers(String key) {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            s.engine(B).config(); // loads the index (keys() reads the snapshot without it)
            assertThat(s.engine(B).hasIndex()).isTrue();
            return answers(b, key);
        }
    }

    private void assertPointReadsMatchIndex(String... keys) {
        for (String k : keys) {
            assertThat(pointAnswers(k)).as("point read of %s", k).isEqualTo(indexAnswers(k));
        }
    }

    @Test
    void keysOnlyInTheSnapshotOnlyInTheTailAndChangedInTheTail() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 50);
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            b.put("tail.only", "t");
            b.put("k1", "overwritten");
            b.put("k2", "overwritten");
            b.put("k2", "twice");
            b.put("k2", "thrice"); // history 3: the snapshot's entries of k2 are all trimmed away
            b.delete("k3");
            b.purge("k4");
            b.delete("tail.deleted");
            b.put("k5", "a");
            b.delete("k5");
            b.put("k5", "back");
        }
        String point = pointAnswers("k2");
        assertThat(point).contains("get=").contains("/PUT/thrice/").doesNotContain("v0.2").doesNotContain("v1.2");
        assertThat(pointAnswers("k3")).contains("get=none").contains("DEL");
        assertThat(pointAnswers("k4")).contains("get=none").contains("PURGE").doesNotContain("v1.4");
        assertThat(pointAnswers("k0")).contains("/PUT/v1.0/");
        assertPointReadsMatchIndex("k0", "k1", "k2", "k3", "k4", "k5", "k49", "tail.only", "tail.deleted", "never");
    }

    @Test
    void withoutASnapshotTheLogIsReadFromItsStart() {
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.create(BucketConfig.builder(B).history(2).build());
            for (int i = 0; i < 30; i++) {
                b.put("k" + (i % 4), "v" + i);
            }
            b.delete("k1");
        }
        assertThat(HintFile.path(bucketDir(), 1)).doesNotExist();
        assertPointReadsMatchIndex("k0", "k1", "k2", "k3", "k4");
    }

    @Test
    void expiredEntriesAreInvisibleAlike() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(5).ttl(Duration.ofMinutes(1)).build(), 5);
        clock.advance(Duration.ofSeconds(40));
        try (EmbeddedKvStore s = open()) {
            s.bucket(B).put("k1", "younger");
            s.bucket(B).put("fresh", "x");
        }
        clock.advance(Duration.ofSeconds(30)); // the snapshot's entries are 70 s old now, the tail's 30 s
        assertThat(pointAnswers("k0")).contains("get=none").contains("history=[]");
        assertThat(pointAnswers("k1")).contains("/PUT/younger/");
        assertPointReadsMatchIndex("k0", "k1", "fresh");
    }

    @Test
    void aStaleSnapshotIsNotUsed() throws IOException {
        // A snapshot of a log that was later cut and rewritten (relaxed mode, power loss): other records now sit
        // where the snapshot's last record was, so it must not be trusted (see SnapshotAndCheckTest).
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
            s.engine(B).writeSnapshot();
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
        assertThat(pointAnswers("k0")).contains("/PUT/v15/");
        assertPointReadsMatchIndex("k0", "k1", "k4", "other0", "other29");
    }

    enum Damage {
        /** A byte of the header. */
        HEADER,
        /** A byte of the slot table. */
        SLOT_TABLE,
        /** A byte among the keys. */
        KEYS,
        /** The whole-file checksum. */
        TRAILER,
        /** The file cut in the middle. */
        TRUNCATED,
        /** A version 1 file (the format before slots). */
        OLD_VERSION
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedSnapshotNeverGivesAWrongAnswer(Damage damage) throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 40);
        try (EmbeddedKvStore s = open()) {
            s.bucket(B).put("k7", "after");
        }
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
        String[] keys = new String[41];
        for (int i = 0; i < 40; i++) {
            keys[i] = "k" + i;
        }
        keys[40] = "missing";
        for (String k : keys) {
            // The log is small: without a usable snapshot entry a point read scans it all, still without the index.
            assertThat(pointAnswers(k)).as("%s, %s", damage, k).isEqualTo(indexAnswers(k));
        }
        assertThat(pointAnswers("k7")).contains("/PUT/after/");
    }

    @Test
    void aLongTailLoadsTheIndexWhichThenWritesAFreshSnapshot() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(1).build(), 10);
        Path hint = HintFile.path(bucketDir(), 1);
        byte[] old = Files.readAllBytes(hint);
        byte[] big = new byte[64 * 1024];
        try (EmbeddedKvStore s = open()) {
            for (int i = 0; i < 70; i++) { // 4.5 MiB after the snapshot
                s.bucket(B).put("big" + (i % 3), big);
            }
        }
        // That store wrote a snapshot when it closed; put the old one back, as after processes that were killed.
        Files.write(hint, old);
        try (EmbeddedKvStore s = open()) {
            assertThat(s.bucket(B).get("k3").map(Entry::valueAsString)).contains("v1.3");
            assertThat(s.engine(B).hasIndex()).as("too much log after the snapshot to scan for one key").isTrue();
        }
        // That process replayed more than 4 MiB, so it left a snapshot that covers it: the next read is a point read.
        assertThat(Files.readAllBytes(hint)).isNotEqualTo(old);
        assertThat(pointAnswers("k3")).contains("/PUT/v1.3/");
        assertPointReadsMatchIndex("k3", "big0", "big2");
    }

    @Test
    void aProcessThatKeepsReadingLoadsTheIndex() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).build(), 5);
        try (EmbeddedKvStore s = open()) {
            Bucket b = s.bucket(B);
            for (int i = 0; i < BucketEngine.POINT_READS_BEFORE_INDEX; i++) {
                assertThat(b.get("k" + (i % 5))).isPresent();
            }
            assertThat(s.engine(B).hasIndex()).isFalse();
            assertThat(b.get("k0").map(Entry::valueAsString)).contains("v1.0");
            assertThat(s.engine(B).hasIndex()).isTrue();
        }
    }

    @Test
    void writesOfAnotherStoreAreSeenByTheNextPointRead() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(2).build(), 5);
        try (EmbeddedKvStore reader = open(); EmbeddedKvStore writer = open()) {
            Bucket r = reader.bucket(B);
            Bucket w = writer.bucket(B);
            assertThat(r.get("k0").map(Entry::valueAsString)).contains("v1.0");
            long rev = w.put("k0", "new");
            assertThat(r.get("k0").map(Entry::revision)).contains(rev);
            w.delete("k1");
            assertThat(r.get("k1")).isEmpty();
            w.put("k9", "added");
            assertThat(r.get("k9").map(Entry::valueAsString)).contains("added");
            assertThat(r.history("k0")).extracting(Entry::valueAsString).containsExactly("v1.0", "new");
            // Compaction by the other store: a new generation, which the reader follows (loading its index).
            writer.engine(B).compact(Compaction.trim());
            w.put("k2", "after compaction");
            assertThat(r.get("k2").map(Entry::valueAsString)).contains("after compaction");
            assertThat(r.get("k0").map(Entry::valueAsString)).contains("new");
            // Removed by the other store.
            writer.delete(B);
            assertThat(catchThrowable(() -> r.get("k0"))).isInstanceOf(UnknownBucketException.class);
        }
    }

    @Test
    void aPointReaderSeesAnotherStoresWriteBeforeAnyIndexIsLoaded() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(2).build(), 5);
        try (EmbeddedKvStore reader = open(); EmbeddedKvStore writer = open()) {
            Bucket r = reader.bucket(B);
            for (int i = 0; i < 5; i++) {
                long rev = writer.bucket(B).put("k" + i, "w" + i);
                Entry e = r.get("k" + i).orElseThrow();
                assertThat(e.revision()).isEqualTo(rev);
                assertThat(e.valueAsString()).isEqualTo("w" + i);
            }
            assertThat(reader.engine(B).hasIndex()).isFalse();
        }
    }

    @Test
    void bytesBeyondTheCommittedLengthAreLeftToTheIndexsRecovery() throws IOException {
        fillAndSnapshot(BucketConfig.builder(B).history(2).build(), 5);
        // A torn write after the last committed record: the head still says where the log ends.
        try (FileChannel ch = FileChannel.open(bucketDir().resolve("log-1.tkv"), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2, 3}));
        }
        try (EmbeddedKvStore s = open()) {
            assertThat(s.bucket(B).get("k0").map(Entry::valueAsString)).contains("v1.0");
            assertThat(s.engine(B).hasIndex()).as("the torn tail is the index load's to cut").isTrue();
        }
        assertPointReadsMatchIndex("k0", "k4");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void anotherProcessWritingMeanwhile() throws Exception {
        fillAndSnapshot(BucketConfig.builder(B).history(3).build(), 5);
        int puts = 300;
        try (EmbeddedKvStore reader = open();
             ChildJvm child = ChildJvm.start("point-writer", dir.resolve("logs"), "puts", dir.toString(), B,
                     Integer.toString(puts))) {
            expect(child, "READY");
            child.send("GO");
            int checked = 0;
            for (int i = 0; i < puts; i++) {
                String line = child.nextLine(60, TimeUnit.SECONDS);
                if (line == null || !line.startsWith("ACK ")) {
                    fail("expected ACK from the child, got " + line + child.stderrTail());
                }
                // Every 30th acknowledged put: this process must see it, or a later one of the same key.
                if (i % 30 == 0) {
                    String[] p = line.split(" ");
                    long rev = Long.parseLong(p[1]);
                    Entry e = reader.bucket(B).get(p[2]).orElseThrow();
                    assertThat(e.revision()).as("the read after ACK %s", line).isGreaterThanOrEqualTo(rev);
                    int seen = Integer.parseInt(e.valueAsString().substring(1));
                    assertThat(seen % 3).isEqualTo(Integer.parseInt(p[2].substring(3)));
                    checked++;
                }
            }
            expect(child, "DONE");
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("exit status" + child.stderrTail()).isZero();
            assertThat(checked).isEqualTo(10);
            assertThat(reader.engine(B).hasIndex()).as("10 reads are point reads").isFalse();
        }
        assertPointReadsMatchIndex("w.k0", "w.k1", "w.k2", "k0");
        assertThat(pointAnswers("w.k2")).contains("/PUT/v" + (puts - 1) + "/");
    }

    private static void expect(ChildJvm child, String expected) throws InterruptedException {
        String line = child.nextLine(60, TimeUnit.SECONDS);
        if (!expected.equals(line)) {
            fail("expected " + expected + " from the child, got " + line + child.stderrTail());
        }
    }

    private static void flip(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
            ch.write(b, at);
        }
    }
}
