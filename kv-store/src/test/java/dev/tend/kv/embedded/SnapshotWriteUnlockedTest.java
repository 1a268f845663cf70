package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An index snapshot is written and forced without the view's lock: writers of the process go on while the disk
 * takes its time, and the snapshot still names the log position it was encoded at.
 */
class SnapshotWriteUnlockedTest {
    /** How long a step that does not wait for the held force may take on a loaded machine before it counts as stuck. */
    private static final long STUCK_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void writersGoOnWhileTheSnapshotIsForced() throws Exception {
        HeldForceIo io = new HeldForceIo();
        try (EmbeddedKvStore store = TestStores.open(dir, io)) {
            Bucket b = store.create(BucketConfig.builder("S").history(2).build());
            for (int i = 0; i < 50; i++) {
                b.put("k" + (i % 10), "v" + i);
            }
            long covered = Files.size(dir.resolve("S/log-1.tkv"));
            CompletableFuture<Void> snapshot;
            CompletableFuture<Long> put;
            try {
                snapshot = writeSnapshotAsync(store);
                assertThat(io.forcing.await(STUCK_SECONDS, TimeUnit.SECONDS)).as("the snapshot's force began").isTrue();
                put = CompletableFuture.supplyAsync(() -> b.put("during", "the force"));
                // While the snapshot's force is held: the put is applied and read back.
                assertThat(put.get(STUCK_SECONDS, TimeUnit.SECONDS)).isEqualTo(51L);
                assertThat(b.get("during").map(Entry::valueAsString)).contains("the force");
                assertThat(snapshot).isNotDone();
            } finally {
                io.release.countDown();
            }
            snapshot.get(STUCK_SECONDS, TimeUnit.SECONDS);
            // The snapshot names the position it was encoded at, before the put it let through.
            Generation g = store.engine("S").view.generation();
            HintFile.Snapshot snap = HintFile.read(new NioStorageIo(), dir.resolve("S"), 1, g.log(),
                    g.recordsStart());
            assertThat(snap).isNotNull();
            assertThat(snap.offset()).isEqualTo(covered);
            assertThat(snap.index().entries("during")).isNull();
            assertThat(KeyIndex.count(snap.index().entries("k9"))).isEqualTo(2);
        }
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.bucket("S");
            assertThat(b.keys()).hasSize(11);
            assertThat(b.get("during").map(Entry::valueAsString)).contains("the force");
            assertThat(b.get("k3").map(Entry::valueAsString)).contains("v43");
            assertThat(store.check("S").ok()).isTrue();
        }
    }

    @Test
    void aCompactionWaitingForTheSnapshotLeavesOnlyTheNewGenerationsFiles() throws Exception {
        HeldForceIo io = new HeldForceIo();
        try (EmbeddedKvStore store = TestStores.open(dir, io)) {
            Bucket b = store.create(BucketConfig.builder("S").history(1).build());
            for (int i = 0; i < 40; i++) {
                b.put("k" + (i % 4), "v" + i);
            }
            b.delete("k0");
            CompletableFuture<Void> snapshot;
            CompletableFuture<Void> compaction;
            try {
                snapshot = writeSnapshotAsync(store);
                assertThat(io.forcing.await(STUCK_SECONDS, TimeUnit.SECONDS)).isTrue();
                compaction = CompletableFuture.runAsync(() -> b.purgeDeletes(Duration.ZERO));
            } finally {
                io.release.countDown();
            }
            snapshot.get(STUCK_SECONDS, TimeUnit.SECONDS);
            compaction.get(STUCK_SECONDS, TimeUnit.SECONDS);
            assertThat(b.get("k3").map(Entry::valueAsString)).contains("v39");
        }
        try (Stream<Path> files = Files.list(dir.resolve("S"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("index-")))
                    .allMatch(f -> f.startsWith("index-2."), "only generation 2's snapshot files");
        }
        try (EmbeddedKvStore store = TestStores.open(dir, new NioStorageIo())) {
            assertThat(store.bucket("S").keys()).containsExactlyInAnyOrder("k1", "k2", "k3");
            assertThat(store.check("S").ok()).isTrue();
        }
    }

    private static CompletableFuture<Void> writeSnapshotAsync(EmbeddedKvStore store) {
        return CompletableFuture.runAsync(() -> {
            try {
                store.engine("S").writeSnapshot();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** {@link NioStorageIo} whose first force of a snapshot's temporary file waits until {@link #release}. */
    private static final class HeldForceIo extends ForwardingStorageIo {
        final CountDownLatch forcing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public DataFile open(Path path, boolean write) throws IOException {
            DataFile d = super.open(path, write);
            if (!path.getFileName().toString().matches("index-\\d+\\.hint\\..*\\.tmp")) {
                return d;
            }
            return new ForwardingDataFile(d) {
                @Override
                public void force() throws IOException {
                    if (forcing.getCount() > 0) {
                        forcing.countDown();
                        try {
                            if (!release.await(STUCK_SECONDS * 2, TimeUnit.SECONDS)) {
                                throw new IOException("the held force was never released");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    super.force();
                }
            };
        }
    }
}
