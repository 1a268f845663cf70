package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temporary files a crash left (a killed compaction's {@code log-<g+1>.tkv.tmp}, a snapshot's or config.json's
 * temporary file, a bucket whose creation was interrupted, a removed bucket not yet deleted) are reported by check
 * and removed when the bucket is next opened (the store's when a bucket is next created); those a live process is
 * writing are left alone.
 */
class LeftoverFilesTest {
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path tmp;

    private Path createStore() {
        Path dir = tmp.resolve("store");
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            store.create(BucketConfig.builder("CFG").build()).put("k", "v");
        }
        return dir;
    }

    private static EmbeddedKvStore open(Path dir) {
        return (EmbeddedKvStore) KvStore.builder().directory(dir).build();
    }

    @Test
    void aKilledCompactionsTemporaryLogIsReportedThenRemovedWhenTheBucketOpens() throws Exception {
        Path dir = createStore();
        // What a compaction killed mid-way leaves: the next generation's log, half written, with no lock held.
        Path left = leftover(dir.resolve("CFG/log-2.tkv.tmp"), 12_345);
        Path snapshot = leftover(dir.resolve("CFG/index-1.hint.5f3a.tmp"), 10);
        Path config = leftover(dir.resolve("CFG/config.json.77.tmp"), 3);
        try (EmbeddedKvStore store = open(dir)) {
            CheckReport report = store.check("CFG");
            assertThat(report.ok()).as("%s", report).isTrue();
            assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith(left + ": 12345 bytes left by an "
                    + "interrupted compaction"));
            assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith(snapshot + ": 10 bytes"));
            assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith(config + ": 3 bytes"));
            assertThat(left).as("check changes nothing").exists();

            assertThat(store.bucket("CFG").get("k")).map(Entry::valueAsString).contains("v");
            assertThat(left).doesNotExist();
            assertThat(snapshot).doesNotExist();
            assertThat(config).doesNotExist();
            assertThat(store.check("CFG").notes()).noneMatch(n -> n.contains(".tmp"));
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aCompactionRunningInAnotherProcessKeepsItsTemporaryLog() throws Exception {
        Path dir = createStore();
        try (ChildJvm child = ChildJvm.start("compacting", tmp.resolve("logs"), "compacting", dir.toString(),
                "CFG")) {
            String line = awaitLine(child, "COMPACTING ");
            Path live = Path.of(line.substring("COMPACTING ".length()));
            assertThat(live).exists();
            try (EmbeddedKvStore store = open(dir)) {
                store.bucket("CFG").put("k", "w");
                assertThat(live).as("a live compaction's file").exists();
                assertThat(store.check("CFG").notes()).anySatisfy(n -> assertThat(n).startsWith(live + ": 1024 bytes"));
            }
            child.send("GO");
            assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as(child.stderrTail()).isZero();
        }
        try (EmbeddedKvStore store = open(dir)) {
            assertThat(store.bucket("CFG").get("k")).map(Entry::valueAsString).contains("w");
        }
    }

    @Test
    void aCompactionAndASnapshotWrittenByAnotherStoreInstanceKeepTheirFiles() throws Exception {
        Path dir = createStore();
        try (EmbeddedKvStore other = open(dir)) {
            BucketEngine engine = other.engine("CFG");
            Path compacting = dir.resolve("CFG/log-2.tkv.tmp");
            Path snapshotting = dir.resolve("CFG/index-1.hint.1234.tmp");
            engine.bucketLock.lockCompaction(true);
            try {
                Files.write(compacting, new byte[100]);
                try (EmbeddedKvStore store = open(dir)) {
                    store.bucket("CFG").get("k");
                }
                assertThat(compacting).exists();
            } finally {
                engine.bucketLock.unlockCompaction();
            }
            engine.bucketLock.runWritingSnapshot(() -> {
                Files.write(snapshotting, new byte[100]);
                try (EmbeddedKvStore store = open(dir)) {
                    store.bucket("CFG").get("k");
                }
                assertThat(compacting).as("no compaction runs now").doesNotExist();
                assertThat(snapshotting).as("a snapshot is being written").exists();
            });
            try (EmbeddedKvStore store = open(dir)) {
                store.bucket("CFG").get("k");
            }
            assertThat(snapshotting).doesNotExist();
        }
    }

    @Test
    void anInterruptedCreateAndRemoveAreReportedThenRemovedByTheNextCreate() throws Exception {
        Path dir = createStore();
        // A creator killed mid-way: its directory holds its lock file and more, and nobody holds the lock.
        Path abandoned = Files.createDirectory(dir.resolve(".tmp-abandoned"));
        Files.createFile(abandoned.resolve(BucketLock.NAME));
        Files.write(abandoned.resolve("log-1.tkv"), new byte[64]);
        // A creator at work: it holds its file lock (here another store instance's lock, in this JVM).
        Path working = Files.createDirectory(dir.resolve(".tmp-working"));
        // A creator that has just made its directory and not yet its lock file.
        Path starting = Files.createDirectory(dir.resolve(".tmp-starting"));
        Path trash = Files.createDirectories(dir.resolve(".deleted-old/sub"));
        Files.write(trash.resolve("log-3.tkv"), new byte[7]);
        try (EmbeddedKvStore store = open(dir); BucketLock creating = BucketLock.open(working, FileModes.OWNER)) {
            creating.runExclusive(() -> {
                Files.write(working.resolve("config.json"), new byte[5]);
                CheckReport report = store.check("CFG");
                assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith(abandoned + ": 64 bytes of a "
                        + "bucket whose creation was interrupted"));
                assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith(dir.resolve(".deleted-old")
                        + ": 7 bytes of a removed bucket"));

                store.create(BucketConfig.builder("NEW").build());
                assertThat(abandoned).doesNotExist();
                assertThat(dir.resolve(".deleted-old")).doesNotExist();
                assertThat(working).as("its creator holds its lock").exists();
                assertThat(starting).as("its creator may be about to lock it").exists();
                assertThat(store.bucketNames()).containsExactly("CFG", "NEW");
            });
        }
    }

    /** A file of {@code size} bytes with the mode Tend gives it, as a process killed writing it leaves it. */
    private static Path leftover(Path p, int size) throws java.io.IOException {
        try (var ch = FileModes.OWNER.create(p)) {
            ch.write(java.nio.ByteBuffer.allocate(size));
        }
        return p;
    }

    private static String awaitLine(ChildJvm child, String prefix) throws InterruptedException {
        while (true) {
            String line = child.nextLine(WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null || line.equals(ChildJvm.EOF) || line.startsWith("ERROR")) {
                throw new AssertionError("child: expected " + prefix + "..., got " + line + child.stderrTail());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }
}
