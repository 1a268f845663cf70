package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketReplacedException;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.WatchRecorder;
import dev.tend.kv.contract.WatchRecorder.Kind;
import dev.tend.kv.spi.KvStoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bucket whose directory is removed or replaced behind the store's back, as an operator's {@code rm -rf} and a new
 * {@code tend kv add}, or a restore into a fresh directory moved into place, would do: a store that has it open notices
 * and stops using the files it holds open. Its watches end with {@link BucketReplacedException} instead of going quiet;
 * its handles go on with the bucket now on disk.
 */
class ReplacedDirectoryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final BucketConfig CFG = BucketConfig.builder("CFG").history(3).build();

    @TempDir
    Path tmp;
    private final List<KvStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(KvStore::close);
    }

    private Path root() {
        return tmp.resolve("kv");
    }

    /** Another store on the same directory: what another process would have. */
    private KvStore open() {
        KvStore s = KvStore.builder().directory(root()).build();
        stores.add(s);
        return s;
    }

    /** A store whose intervals are measured by {@code ticks} (nanoseconds), moved by hand. */
    private EmbeddedKvStore open(AtomicLong ticks) {
        KvStoreOptions options = new KvStoreOptions(root().toUri(), Clock.systemUTC(), Durability.DURABLE, null, null,
                ConnectionOptions.defaults());
        EmbeddedKvStore s = new EmbeddedKvStore(root(), options, new NioStorageIo(), ticks::get);
        stores.add(s);
        return s;
    }

    /** {@code rm -rf}: every file, then every directory, deepest first. */
    private static void removeTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WatchRecorder watch(Bucket bucket) {
        WatchRecorder r = new WatchRecorder(TIMEOUT);
        bucket.watch(List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();
        return r;
    }

    @Test
    void aWatchEndsWhenTheStoreDirectoryIsRemovedAndItsBucketCreatedAgain() {
        Bucket watched = open().create(CFG);
        watched.put("a", "old");
        WatchRecorder r = watch(watched);

        removeTree(root());
        open().create(CFG).put("a", "new");
        r.awaitEnd();

        assertThat(r.errors()).singleElement().isInstanceOfSatisfying(BucketReplacedException.class, e -> {
            assertThat(e.bucket()).isEqualTo("CFG");
            assertThat(e.getMessage()).isEqualTo("bucket CFG was removed or replaced while watching");
        });
        assertThat(r.count(Kind.END)).isZero();
        assertThat(r.liveEntries()).as("nothing of the new bucket reached the old watch").isEmpty();
        assertThat(watched.get("a").orElseThrow().valueAsString()).as("the handle reads the new bucket")
                .isEqualTo("new");
        WatchRecorder again = watch(watched);
        assertThat(again.initialEntries()).extracting(e -> e.valueAsString()).containsExactly("new");
    }

    @Test
    void aWatchEndsWhenTheBucketsDirectoryIsRemovedForGood() {
        Bucket watched = open().create(CFG);
        WatchRecorder r = watch(watched);

        removeTree(root().resolve("CFG"));
        r.awaitEnd();

        assertThat(r.errors()).singleElement().isInstanceOf(BucketReplacedException.class);
        assertThatThrownBy(() -> watched.get("a")).isInstanceOf(UnknownBucketException.class);
    }

    @Test
    void aWatchEndsWhenAnotherDirectoryIsMovedInPlaceOfItsBuckets() throws IOException {
        Bucket watched = open().create(CFG);
        WatchRecorder r = watch(watched);
        Path elsewhere = tmp.resolve("restored");
        try (KvStore restore = KvStore.builder().directory(elsewhere).build()) {
            restore.create(CFG).put("a", "restored");
        }

        // A rename raises no event on the bucket's directory: the store's poll notices within a second.
        Files.move(root().resolve("CFG"), tmp.resolve("CFG.old"));
        Files.move(elsewhere.resolve("CFG"), root().resolve("CFG"));
        r.awaitEnd();

        assertThat(r.errors()).singleElement().isInstanceOf(BucketReplacedException.class);
        assertThat(watched.get("a").orElseThrow().valueAsString()).isEqualTo("restored");
    }

    @Test
    void aBucketRemovedByAnotherStoresDeleteStillEndsItsWatchesCleanly() {
        Bucket watched = open().create(CFG);
        WatchRecorder r = watch(watched);

        KvStore other = open();
        other.delete("CFG");
        other.create(CFG);
        r.awaitEnd();

        assertThat(r.errors()).isEmpty();
        assertThat(r.count(Kind.END)).isEqualTo(1);
    }

    @Test
    void aHandleWithoutWatchesReadsTheNewBucketOnceASecondHasPassed() {
        AtomicLong ticks = new AtomicLong();
        Bucket handle = open(ticks).create(CFG);
        handle.put("a", "old");
        assertThat(handle.get("a").orElseThrow().valueAsString()).isEqualTo("old");

        removeTree(root());
        open().create(CFG).put("a", "new");
        ticks.addAndGet(BucketIdentity.FILES_RECHECK_NANOS);

        assertThat(handle.get("a").orElseThrow().valueAsString()).isEqualTo("new");
    }

    @Test
    void aWriteIsNeverAcknowledgedIntoTheFilesOfARemovedDirectory() {
        AtomicLong ticks = new AtomicLong(); // never moves: only the write's own check can notice
        Bucket handle = open(ticks).create(CFG);
        handle.put("a", "old");

        removeTree(root());
        Bucket fresh = open().create(CFG);
        assertThatThrownBy(() -> handle.put("a", "lost?")).isInstanceOf(UnknownBucketException.class);
        long revision = handle.put("a", "kept");

        assertThat(fresh.get("a").orElseThrow().valueAsString()).isEqualTo("kept");
        assertThat(revision).as("the first write of the new bucket").isEqualTo(1);
    }
}
