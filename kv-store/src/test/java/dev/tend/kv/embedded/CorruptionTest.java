package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.UnsupportedFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Damaged files. Damage inside the committed log is reported (a {@link CorruptDataException} naming the file and
 * offset, on one line) and never "repaired" by cutting data; a torn tail is cut; a newer format is refused; a bad
 * config names its file; a damaged index snapshot is only a lost shortcut.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CorruptionTest {
    private static final String BUCKET = "c";
    private static final String OTHER = "fine";
    private static final List<String> KEYS = List.of("k.0", "k.1", "k.2");
    private static final int PUTS = 10;

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("store");
    }

    private Path bucketDir() {
        return root().resolve(BUCKET);
    }

    /** The newest log generation of the bucket. */
    private Path currentLog() throws IOException {
        try (Stream<Path> files = Files.list(bucketDir())) {
            return files.filter(p -> p.getFileName().toString().matches("log-\\d+\\.tkv"))
                    .max((a, b) -> Long.compare(generation(a), generation(b)))
                    .orElseThrow(() -> new AssertionError("no log in " + bucketDir()));
        }
    }

    private static long generation(Path log) {
        String n = log.getFileName().toString();
        return Long.parseLong(n.substring(4, n.length() - 4));
    }

    private static byte[] value(String key, int seq) {
        return CrashValues.make(key, 1, seq, 2_000);
    }

    /** The written puts: revision i+1 is put i; and the log's size after each put (record boundaries). */
    private record Written(List<Long> revisions, List<Long> endOffsets) {
        long start(int i) {
            return i == 0 ? endOffsets.get(0) - (endOffsets.get(1) - endOffsets.get(0)) : endOffsets.get(i - 1);
        }
    }

    /** Creates the bucket and a healthy second one, puts {@link #PUTS} values, and closes the store. */
    private Written write(boolean compactAfterwards) throws IOException {
        List<Long> revisions = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        try (KvStore store = KvStore.builder().directory(root()).build()) {
            Bucket other = store.create(BucketConfig.builder(OTHER).history(5).build());
            other.put("x", value("x", 1));
            Bucket b = store.create(BucketConfig.builder(BUCKET).history(64).build());
            for (int i = 0; i < PUTS; i++) {
                revisions.add(b.put(KEYS.get(i % KEYS.size()), value(KEYS.get(i % KEYS.size()), i)));
                ends.add(Files.size(currentLog()));
            }
            if (compactAfterwards) {
                // Rewrites the log as a new generation (records copied as they are, in revision order) and writes
                // an index snapshot for it, so opening no longer replays the log.
                b.purgeDeletes(Duration.ofSeconds(-1));
                // The same records, in the same order, now end where the new log ends.
                long shift = Files.size(currentLog()) - ends.get(ends.size() - 1);
                ends.replaceAll(e -> e + shift);
            }
        }
        assertThat(revisions).as("revisions 1..n").containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, PUTS).boxed().toList());
        return new Written(revisions, ends);
    }

    /** Reads every entry of the bucket; returns the first error. */
    private static Throwable readEverything(KvStore store) {
        return catchThrowable(() -> {
            Bucket b = store.bucket(BUCKET);
            for (String k : KEYS) {
                for (Entry e : b.history(k)) {
                    CrashValues.decode(e.value());
                }
                b.get(k);
            }
            for (int i = 0; i < PUTS; i++) {
                String k = KEYS.get(i % KEYS.size());
                Optional<Entry> e = b.get(k, i + 1);
                assertThat(e).as("get(%s, %d)", k, i + 1).isPresent();
                assertThat(e.get().value()).isEqualTo(value(k, i));
            }
        });
    }

    private static void assertOneLine(Throwable t) {
        assertThat(t.getMessage()).as("message of %s", t).isNotBlank().doesNotContain("\n").doesNotContain("\tat ");
    }

    private void assertOtherBucketFine(KvStore store) {
        assertThat(store.bucket(OTHER).get("x").orElseThrow().value()).isEqualTo(value("x", 1));
    }

    @ParameterizedTest(name = "index snapshot: {0}")
    @ValueSource(booleans = {false, true})
    void damageInTheMiddleOfTheLogIsReportedAndNothingIsCut(boolean withSnapshot) throws Exception {
        Written w = write(withSnapshot);
        Path log = currentLog();
        int victim = 4;
        long recordStart = w.start(victim);
        long flipAt = recordStart + (w.endOffsets().get(victim) - recordStart) / 2;
        flip(log, flipAt, 3);
        byte[] damaged = Files.readAllBytes(log);
        byte[] config = Files.readAllBytes(bucketDir().resolve("config.json"));

        try (KvStore store = KvStore.builder().directory(root()).build()) {
            Throwable t = readEverything(store);
            assertThat(t).as("reading a bucket whose log is damaged in the middle").isInstanceOf(
                    CorruptDataException.class);
            assertOneLine(t);
            assertThat(t.getMessage()).as("the message names the file").contains(log.getFileName().toString());
            assertThat(t.getMessage()).as("the message names the offset of the damaged record (%d) or byte (%d)",
                    recordStart, flipAt).containsAnyOf("offset " + recordStart, "offset " + flipAt);
            System.out.println("CorruptionTest (snapshot " + withSnapshot + "): " + t.getMessage());
            assertOtherBucketFine(store);
            // Asking again gives the same answer (no half-opened state).
            assertThat(readEverything(store)).isInstanceOf(CorruptDataException.class);
        }
        assertThat(Files.readAllBytes(log)).as("the damaged log is left byte for byte as it was").isEqualTo(damaged);
        assertThat(Files.readAllBytes(bucketDir().resolve("config.json"))).isEqualTo(config);

        try (EmbeddedKvStore store = TestStores.open(root(), new NioStorageIo())) {
            CheckReport report = store.check(BUCKET);
            assertThat(report.ok()).as("check finds the damage: %s", report).isFalse();
            assertThat(String.join(" | ", report.problems())).contains(log.getFileName().toString());
            assertThat(store.check(OTHER).ok()).isTrue();
        }
        assertThat(Files.readAllBytes(log)).as("check changes nothing").isEqualTo(damaged);
    }

    enum Tail {
        /** The last record cut in its middle (a write interrupted by a crash). */
        TRUNCATED_MID_RECORD,
        /** Only its 8-byte frame made it. */
        TRUNCATED_AFTER_FRAME,
        /** The file grew but the data never made it: zeros (xfs, ext4 data=writeback). */
        ZEROS_APPENDED,
        /** Random bytes after the last record. */
        GARBAGE_APPENDED
    }

    @ParameterizedTest(name = "{0}, head kept")
    @EnumSource(Tail.class)
    void tornTailIsCutHeadKept(Tail tail) throws Exception {
        tornTailIsCut(tail, false);
    }

    @ParameterizedTest(name = "{0}, head lost")
    @EnumSource(Tail.class)
    void tornTailIsCutHeadLost(Tail tail) throws Exception {
        tornTailIsCut(tail, true);
    }

    private void tornTailIsCut(Tail tail, boolean deleteHead) throws Exception {
        Written w = write(false);
        Path log = currentLog();
        long lastStart = w.start(PUTS - 1);
        long end = w.endOffsets().get(PUTS - 1);
        int keep = PUTS; // records that stay whole
        switch (tail) {
            case TRUNCATED_MID_RECORD -> {
                truncate(log, lastStart + (end - lastStart) / 2);
                keep = PUTS - 1;
            }
            case TRUNCATED_AFTER_FRAME -> {
                truncate(log, lastStart + LogFormat.FRAME_LENGTH);
                keep = PUTS - 1;
            }
            case ZEROS_APPENDED -> append(log, new byte[4096]);
            case GARBAGE_APPENDED -> {
                byte[] g = new byte[3000];
                new Random(42).nextBytes(g);
                append(log, g);
            }
        }
        if (deleteHead) {
            Files.deleteIfExists(bucketDir().resolve("head"));
        }
        long cutAt = keep == PUTS ? end : lastStart;
        long newRevision;
        try (KvStore store = KvStore.builder().directory(root()).build()) {
            Bucket b = store.bucket(BUCKET);
            for (int i = 0; i < PUTS; i++) {
                String k = KEYS.get(i % KEYS.size());
                Optional<Entry> e = b.get(k, i + 1);
                if (i < keep) {
                    assertThat(e).as("%s: revision %d stays", tail, i + 1).isPresent();
                    assertThat(e.get().value()).isEqualTo(value(k, i));
                } else {
                    assertThat(e).as("%s: the torn revision %d is gone", tail, i + 1).isEmpty();
                }
            }
            assertThat(b.status().lastRevision()).isEqualTo(keep);
            newRevision = b.put("k.new", value("k.new", 1));
            assertThat(newRevision).as("the next write takes the next revision").isEqualTo(keep + 1);
        }
        long newRecord = LogFormat.recordLength("k.new".length(), value("k.new", 1).length);
        assertThat(Files.size(log)).as("the torn bytes were cut before the next record was appended")
                .isEqualTo(cutAt + newRecord);
        try (EmbeddedKvStore store = TestStores.open(root(), new NioStorageIo())) {
            Bucket b = store.bucket(BUCKET);
            assertThat(b.get("k.new").orElseThrow().revision()).isEqualTo(newRevision);
            for (int i = 0; i < keep; i++) {
                String k = KEYS.get(i % KEYS.size());
                assertThat(b.get(k, i + 1).orElseThrow().value()).isEqualTo(value(k, i));
            }
            CheckReport report = store.check(BUCKET);
            assertThat(report.ok()).as("check after recovery: %s", report).isTrue();
        }
    }

    @Test
    void newerLogFormatIsRefusedWithAClearMessage() throws Exception {
        write(false);
        Path log = currentLog();
        // What a newer Tend would write: the same magic, then format version 2. Whatever else a newer format
        // changes (checksums, lengths), the version must be what decides.
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, 2), 8);
        }
        byte[] before = Files.readAllBytes(log);
        Files.deleteIfExists(bucketDir().resolve("head"));
        try (KvStore store = KvStore.builder().directory(root()).build()) {
            Throwable t = catchThrowable(() -> store.bucket(BUCKET).get("k.0"));
            assertThat(t).isInstanceOf(UnsupportedFormatException.class);
            assertOneLine(t);
            assertThat(t.getMessage()).contains(log.getFileName().toString()).contains("2").containsIgnoringCase(
                    "newer");
            System.out.println("CorruptionTest newer format: " + t.getMessage());
            assertOtherBucketFine(store);
            Throwable w = catchThrowable(() -> store.bucket(BUCKET).put("k.0", value("k.0", 99)));
            assertThat(w).as("no write into a log of a newer format").isInstanceOf(UnsupportedFormatException.class);
        }
        assertThat(Files.readAllBytes(log)).as("the log is not touched").isEqualTo(before);
    }

    /**
     * A newer Tend's bucket: the config in the log header (the authoritative one) has a newer config format; the
     * header is otherwise valid. Refused, naming the file, nothing changed.
     */
    @Test
    void newerConfigFormatIsRefusedWithAClearMessage() throws Exception {
        write(false);
        Path log = currentLog();
        byte[] all = Files.readAllBytes(log);
        ByteBuffer b = ByteBuffer.wrap(all);
        // Header layout (LogFormat): ... int config length at 40, int CRC32C at 44 over bytes 0..44 and the JSON.
        int jsonLength = b.getInt(40);
        String json = new String(all, LogFormat.HEADER_LENGTH, jsonLength, StandardCharsets.UTF_8);
        assertThat(json).contains("\"format\":1");
        byte[] newer = json.replace("\"format\":1", "\"format\":7").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(newer, 0, all, LogFormat.HEADER_LENGTH, jsonLength);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(all, 0, 44);
        crc.update(all, LogFormat.HEADER_LENGTH, jsonLength);
        b.putInt(44, (int) crc.getValue());
        Files.write(log, all);
        Path config = bucketDir().resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"format\" : 1", "\"format\" : 7"));
        byte[] configBefore = Files.readAllBytes(config);
        Files.deleteIfExists(bucketDir().resolve("head"));

        try (KvStore store = KvStore.builder().directory(root()).build()) {
            Throwable t = catchThrowable(() -> store.bucket(BUCKET).get("k.0"));
            assertThat(t).isInstanceOf(UnsupportedFormatException.class);
            assertOneLine(t);
            assertThat(t.getMessage()).contains(log.getFileName().toString()).contains("7");
            System.out.println("CorruptionTest newer config format: " + t.getMessage());
            assertOtherBucketFine(store);
        }
        assertThat(Files.readAllBytes(log)).as("the log is not touched").isEqualTo(all);
        assertThat(Files.readAllBytes(config)).as("config.json is not touched").isEqualTo(configBefore);
    }

    /**
     * config.json is only a readable copy of the config in the log header: when it is damaged the bucket opens
     * with its real config and data, and the copy is rewritten.
     */
    @ParameterizedTest(name = "config.json: {0}")
    @ValueSource(strings = {"{not json at all", "", "[1, 2, 3]", "{\"format\": 1, \"name\": \"c\", \"history\": 999}",
            "{\"format\": 1, \"name\": \"c\", \"history\": 3}", "\u0000\u0000\u0000\u0000"})
    void damagedConfigCopyIsRewrittenFromTheLogHeader(String content) throws Exception {
        write(false);
        Path config = bucketDir().resolve("config.json");
        BucketConfig real = BucketConfig.builder(BUCKET).history(64).build();
        Files.write(config, content.getBytes(StandardCharsets.UTF_8));
        try (KvStore store = KvStore.builder().directory(root()).build()) {
            assertThat(store.bucketNames()).contains(BUCKET, OTHER);
            assertThat(readEverything(store)).as("reading the bucket whose config.json holds %s", content).isNull();
            assertThat(store.bucket(BUCKET).status().config()).isEqualTo(real);
            assertOtherBucketFine(store);
        }
        assertThat(ConfigFile.read(new NioStorageIo(), bucketDir())).as("config.json rewritten").isEqualTo(real);
    }

    enum SnapshotDamage {
        FLIPPED_BYTES, TRUNCATED, EMPTY, GARBAGE
    }

    @ParameterizedTest(name = "index snapshot {0}")
    @EnumSource(SnapshotDamage.class)
    void damagedIndexSnapshotIsIgnoredAndTheLogReplayed(SnapshotDamage damage) throws Exception {
        write(true);
        String expected;
        try (KvStore store = KvStore.builder().directory(root()).build()) {
            Bucket b = store.bucket(BUCKET);
            // Writes after the snapshot, so the log extends past what the snapshot covers.
            b.put("k.0", value("k.0", 100));
            b.delete("k.1");
            b.put("k.3", value("k.3", 101));
            expected = StoreState.capture(store, List.of("k.0", "k.1", "k.2", "k.3"), true);
        }
        Path snapshot;
        try (Stream<Path> files = Files.list(bucketDir())) {
            snapshot = files.filter(p -> p.getFileName().toString().endsWith(".hint")).findFirst()
                    .orElseThrow(() -> new AssertionError("no index snapshot after a compaction"));
        }
        byte[] bytes = Files.readAllBytes(snapshot);
        switch (damage) {
            case FLIPPED_BYTES -> flip(snapshot, bytes.length / 2, 2);
            case TRUNCATED -> truncate(snapshot, bytes.length / 2);
            case EMPTY -> truncate(snapshot, 0);
            case GARBAGE -> {
                byte[] g = new byte[bytes.length];
                new Random(7).nextBytes(g);
                Files.write(snapshot, g);
            }
        }
        for (boolean headLost : new boolean[] {false, true}) {
            if (headLost) {
                Files.deleteIfExists(bucketDir().resolve("head"));
            }
            try (KvStore store = KvStore.builder().directory(root()).build()) {
                assertThat(StoreState.capture(store, List.of("k.0", "k.1", "k.2", "k.3"), true))
                        .as("%s, head lost %s: the store reads as before", damage, headLost).isEqualTo(expected);
            }
        }
    }

    // ---- file surgery ----

    private static void flip(Path file, long at, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(count);
            ch.read(b, at);
            for (int i = 0; i < count; i++) {
                b.put(i, (byte) (b.get(i) ^ 0x5a));
            }
            b.rewind();
            ch.write(b, at);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }
}
