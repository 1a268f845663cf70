package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Index snapshots are trusted only when they match their log, and check reports what is wrong without changing it. */
class SnapshotAndCheckTest {
    @TempDir
    Path dir;

    @Test
    void snapshotOfALogThatWasCutAndRewrittenIsIgnored() throws Exception {
        long cut;
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.create(BucketConfig.builder("S").history(3).build());
            for (int i = 0; i < 20; i++) {
                b.put("k" + (i % 5), "v" + i);
            }
            cut = Files.size(dir.resolve("S/log-1.tkv"));
            for (int i = 20; i < 40; i++) {
                b.put("k" + (i % 5), "v" + i);
            }
            store.engine("S").writeSnapshot();
        }
        // As after a power loss in relaxed mode: the tail the snapshot covered is gone, and other records took its
        // place, longer than before so the snapshot's offset lies inside them.
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("S/log-1.tkv").toFile(), "rw")) {
            f.setLength(cut);
        }
        Files.deleteIfExists(dir.resolve("S/head"));
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.bucket("S");
            for (int i = 0; i < 30; i++) {
                b.put("other" + i, "x".repeat(40));
            }
        }
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.bucket("S");
            assertThat(b.get("k0").map(Entry::valueAsString)).contains("v15");
            assertThat(b.get("other29").map(Entry::valueAsString)).contains("x".repeat(40));
            assertThat(b.keys()).hasSize(35);
            assertThat(store.check("S").ok()).isTrue();
        }
    }

    @Test
    void snapshotIsUsedWhenItMatchesTheLog() throws Exception {
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.create(BucketConfig.builder("S").history(2).build());
            for (int i = 0; i < 50; i++) {
                b.put("k" + (i % 7), "v" + i);
            }
            store.engine("S").writeSnapshot();
            b.put("k0", "after");
        }
        try (DataFile log = new NioStorageIo().open(dir.resolve("S/log-1.tkv"), false)) {
            long start = LogFormat.Header.read(log, dir.resolve("S/log-1.tkv")).length();
            assertThat(HintFile.read(new NioStorageIo(), dir.resolve("S"), 1, log, start)).isNotNull();
        }
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.bucket("S");
            assertThat(b.get("k0").map(Entry::valueAsString)).contains("after");
            assertThat(b.history("k1")).extracting(Entry::valueAsString).containsExactly("v36", "v43");
        }
    }

    @Test
    void checkReportsDamageWithFileAndOffsetAndChangesNothing() throws Exception {
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.create(BucketConfig.builder("C").history(5).build());
            for (int i = 0; i < 10; i++) {
                b.put("key" + i, "value-" + i);
            }
            assertThat(store.check("C").ok()).isTrue();
            assertThat(store.check("C").records()).isEqualTo(10);
        }
        Path log = dir.resolve("C/log-1.tkv");
        byte[] bytes = Files.readAllBytes(log);
        int middle = bytes.length / 2;
        bytes[middle] ^= 0x5a;
        Files.write(log, bytes);
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            CheckReport report = store.check("C");
            assertThat(report.ok()).isFalse();
            assertThat(report.problems()).singleElement().asString().contains("log-1.tkv").contains("offset");
        }
        assertThat(Files.readAllBytes(log)).isEqualTo(bytes);
    }

    @Test
    void checkCallsAnUncommittedTornTailANoteNotDamage() throws Exception {
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.create(BucketConfig.builder("T").build());
            b.put("a", "1");
            // Keep the bucket open so the head stays as written, then append half a record as a crash would.
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve("T/log-1.tkv").toFile(), "rw")) {
                f.seek(f.length());
                f.write(new byte[] {0, 0, 0, 40, 1, 2, 3});
            }
            CheckReport report = store.check("T");
            assertThat(report.ok()).isTrue();
            assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("interrupted write"));
        }
    }
}
