package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.WatchRecorder;
import dev.tend.kv.spi.CountHistogram;
import dev.tend.kv.spi.StatsSource;
import dev.tend.kv.spi.StoreStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded store's figures move with what it does: writes, forces, batches, compactions, deliveries, buckets. */
class EngineStatsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private KvStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void countsWhatTheStoreDoes() throws Exception {
        store = KvStore.builder().directory(dir).durability(Durability.DURABLE).build();
        StoreStats stats = ((StatsSource) store).stats();
        assertThat(stats.writes()).isZero();
        assertThat(stats.openBuckets()).isEmpty();

        Bucket bucket = store.create(BucketConfig.builder("B").history(3).build());
        WatchRecorder watch = new WatchRecorder(TIMEOUT);
        bucket.watch(List.of(), WatchOptions.defaults(), watch);
        watch.awaitCaughtUp();
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = bucket.put("k", "v" + i);
        }
        bucket.delete("k");
        watch.awaitRevision(last + 1);

        assertThat(stats.writes()).isEqualTo(6);
        assertThat(stats.forces()).isPositive().isLessThanOrEqualTo(6);
        CountHistogram.Snapshot batches = stats.batchSizes().snapshot();
        assertThat(batches.sum()).isEqualTo(6);
        assertThat(batches.count()).isBetween(1L, 6L);
        // Every live entry delivered is timed (the watch is the bucket's only one), just after its listener returns:
        // the last one may still be on its way when the recorder has seen it.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (stats.watchLagMicros().snapshot().count() < 6 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(stats.watchLagMicros().snapshot().count()).isGreaterThanOrEqualTo(6);
        assertThat(stats.openBuckets()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("B");
            assertThat(f.entries()).isEqualTo(3); // history 3: the delete marker and the two newest values
            assertThat(f.bytes()).isPositive();
        });

        ((EmbeddedBucket) bucket).compactNow();
        assertThat(stats.compactions()).isEqualTo(1);
    }

    @Test
    void aHistogramCountsEachValueInItsBucket() {
        CountHistogram h = new CountHistogram(1, 10, 100);
        for (long v : new long[]{-5, 0, 1, 2, 10, 11, 100, 101, 5000}) {
            h.record(v);
        }
        CountHistogram.Snapshot s = h.snapshot();
        assertThat(s.counts()).containsExactly(3, 2, 2, 2);
        assertThat(s.count()).isEqualTo(9);
        assertThat(s.sum()).isEqualTo(0 + 0 + 1 + 2 + 10 + 11 + 100 + 101 + 5000);
        assertThat(s.bounds()).containsExactly(1, 10, 100);
    }
}
