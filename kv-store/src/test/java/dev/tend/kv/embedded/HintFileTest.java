package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index snapshot's layout (format 2): a key is found by reading only its slot, and a damaged byte anywhere never
 * makes a lookup return anything but the key's true entries or "no usable snapshot".
 */
class HintFileTest {
    @TempDir
    Path dir;

    private final StorageIo io = new NioStorageIo();

    @Test
    void slotsArePartOfTheFormat() {
        // Written by one version and read by another: these must never change.
        assertThat(HintFile.slotOf("username", 32768)).isEqualTo(2672);
        assertThat(HintFile.slotOf("k0", 4)).isEqualTo(2);
        assertThat(HintFile.slotOf("a.b.c", 1024)).isEqualTo(563);
        assertThat(HintFile.slotOf("key.99999", 1 << 20)).isEqualTo(869171);
        assertThat(HintFile.slotOf("x", 1)).isZero();
        assertThat(HintFile.slotCount(0)).isEqualTo(1);
        assertThat(HintFile.slotCount(4)).isEqualTo(1);
        assertThat(HintFile.slotCount(5)).isEqualTo(2);
        assertThat(HintFile.slotCount(100_000)).isEqualTo(32768);
    }

    /** A bucket of {@code keys} keys (some with several entries, markers among them) and its snapshot. */
    private Path bucketWithSnapshot(int keys) throws IOException {
        try (EmbeddedKvStore store = TestStores.open(dir, io)) {
            Bucket b = store.create(BucketConfig.builder("H").history(4).build());
            for (int i = 0; i < keys; i++) {
                b.put("key." + i, "value " + i);
                if (i % 3 == 0) {
                    b.put("key." + i, "again " + i);
                }
                if (i % 7 == 0) {
                    b.delete("key." + i);
                }
                if (i % 11 == 0) {
                    b.purge("key." + i);
                }
            }
            store.engine("H").writeSnapshot();
        }
        return dir.resolve("H");
    }

    private HintFile.Snapshot fullRead(Path bucket, DataFile log, long start) {
        return HintFile.read(io, bucket, 1, log, start);
    }

    @Test
    void everyKeyIsFoundAloneAsTheWholeFileHasIt() throws IOException {
        for (int keys : new int[] {0, 1, 5, 3000}) {
            Path bucket = bucketWithSnapshot(keys);
            Path logPath = bucket.resolve("log-1.tkv");
            try (DataFile log = io.open(logPath, false)) {
                long start = LogFormat.Header.read(log, logPath).length();
                HintFile.Snapshot full = fullRead(bucket, log, start);
                assertThat(full).as("%d keys", keys).isNotNull();
                assertThat(full.index().keyCount()).isEqualTo(keys);
                for (int i = 0; i < keys; i++) {
                    HintFile.Lookup found = HintFile.lookup(io, bucket, 1, log, start, log.size(), "key." + i);
                    assertThat(found).isNotNull();
                    assertThat(found.offset()).isEqualTo(full.offset());
                    assertThat(found.entries()).as("key.%d", i).isEqualTo(full.index().entries("key." + i));
                }
                HintFile.Lookup absent = HintFile.lookup(io, bucket, 1, log, start, log.size(), "nope");
                assertThat(absent).isNotNull();
                assertThat(absent.entries()).isNull();
                // Not a snapshot of this log: another generation, or a log shorter than the snapshot says.
                assertThat(HintFile.lookup(io, bucket, 2, log, start, log.size(), "key.0")).isNull();
                assertThat(HintFile.lookup(io, bucket, 1, log, start, full.offset() - 1, "key.0")).isNull();
            }
            deleteBucket(bucket);
        }
    }

    @Test
    void aDamagedByteAnywhereNeverGivesAWrongLookup() throws IOException {
        Path bucket = bucketWithSnapshot(24);
        Path hint = HintFile.path(bucket, 1);
        byte[] good = Files.readAllBytes(hint);
        Path logPath = bucket.resolve("log-1.tkv");
        try (DataFile log = io.open(logPath, false)) {
            long start = LogFormat.Header.read(log, logPath).length();
            HintFile.Snapshot truth = fullRead(bucket, log, start);
            List<String> keys = new ArrayList<>();
            truth.index().forEach((k, e) -> keys.add(k));
            keys.add("absent");
            int detected = 0;
            for (int at = 0; at < good.length; at++) {
                byte[] bad = good.clone();
                bad[at] ^= (byte) (1 + (at % 255));
                Files.write(hint, bad);
                for (String k : keys) {
                    HintFile.Lookup found = HintFile.lookup(io, bucket, 1, log, start, log.size(), k);
                    if (found == null) {
                        detected++;
                        continue;
                    }
                    assertThat(found.offset()).as("byte %d, key %s", at, k).isEqualTo(truth.offset());
                    assertThat(found.entries()).as("byte %d, key %s", at, k).isEqualTo(truth.index().entries(k));
                }
                if (at % 97 == 0) {
                    assertThat(fullRead(bucket, log, start)).as("full read with byte %d damaged", at).isNull();
                }
            }
            assertThat(detected).as("lookups that noticed the damage").isGreaterThan(good.length);
        }
    }

    @Test
    void anIndexReadInSmallPiecesIsTheIndexReadWhole() throws IOException {
        Path bucket = bucketWithSnapshot(3000);
        Path hint = HintFile.path(bucket, 1);
        byte[] good = Files.readAllBytes(hint);
        assertThat(good.length).isGreaterThan(8 * 1024);
        Path logPath = bucket.resolve("log-1.tkv");
        try (DataFile log = io.open(logPath, false)) {
            long start = LogFormat.Header.read(log, logPath).length();
            KeyIndex whole = HintFile.read(io, bucket, 1, log, start, Integer.MAX_VALUE).index();
            // A key record here is at most 2 + 9 + 1 + 4 * 32 = 140 bytes: every piece holds one, most split one.
            for (int piece : new int[] {140, 141, 1000, 4093, HintFile.PIECE}) {
                HintFile.Snapshot read = HintFile.read(io, bucket, 1, log, start, piece);
                assertThat(read).as("pieces of %d", piece).isNotNull();
                assertThat(contents(read.index())).as("pieces of %d", piece).isEqualTo(contents(whole));
                assertThat(read.index().values()).isEqualTo(whole.values());
                assertThat(read.index().bytes()).isEqualTo(whole.bytes());
                assertThat(read.index().lastRevision()).isEqualTo(whole.lastRevision());
                assertThat(read.index().lastCreated()).isEqualTo(whole.lastCreated());
                assertThat(read.index().maxDropped()).isEqualTo(whole.maxDropped());
                assertThat(read.index().lastOffset()).isEqualTo(whole.lastOffset());
            }
            for (int at = 0; at < good.length; at += 251) {
                byte[] bad = good.clone();
                bad[at] ^= (byte) (1 + (at % 255));
                Files.write(hint, bad);
                assertThat(HintFile.read(io, bucket, 1, log, start, 1000)).as("byte %d damaged", at).isNull();
            }
            Files.write(hint, java.util.Arrays.copyOf(good, good.length - 1));
            assertThat(HintFile.read(io, bucket, 1, log, start, 1000)).as("cut short").isNull();
        }
    }

    private static java.util.Map<String, List<Long>> contents(KeyIndex index) {
        java.util.Map<String, List<Long>> out = new java.util.HashMap<>();
        index.forEach((k, e) -> {
            List<Long> l = new ArrayList<>();
            for (long v : e) {
                l.add(v);
            }
            out.put(k, l);
        });
        return out;
    }

    private static void deleteBucket(Path bucket) throws IOException {
        try (var files = Files.list(bucket)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(bucket);
    }
}
