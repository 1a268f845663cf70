package dev.tend.observe.metrics;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.spi.StatsSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The store's figures in Prometheus's form, from a real embedded store. */
class StoreMetricsTest {

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
    void nothingUntilTheStoreIsOpenThenItsFigures() throws Exception {
        AtomicReference<KvStore> opened = new AtomicReference<>();
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new StoreMetrics(() -> opened.get() instanceof StatsSource s ? s.stats() : null));
        assertThat(MachineEventMetricsTest.text(registry)).doesNotContain("tend_kv_");

        store = KvStore.builder().directory(dir).build();
        opened.set(store);
        Bucket b = store.create(BucketConfig.builder("CFG").history(2).build());
        b.put("a", "one");
        b.put("b", "two");
        // A watch loads the bucket's index (as the agent's kv watchers do): the figures of a bucket come from it.
        CountDownLatch caughtUp = new CountDownLatch(1);
        Watch w = b.watch(List.of(), WatchOptions.defaults(), new WatchListener() {
            @Override
            public void onEntry(Entry entry) {
            }

            @Override
            public void onCaughtUp() {
                caughtUp.countDown();
            }
        });
        assertThat(caughtUp.await(60, TimeUnit.SECONDS)).isTrue();
        w.close();
        String t = MachineEventMetricsTest.text(registry);
        assertThat(t).contains("# TYPE tend_kv_writes_total counter", "tend_kv_writes_total 2.0",
                "# TYPE tend_kv_batch_size histogram", "tend_kv_batch_size_count 2", "tend_kv_batch_size_sum 2.0",
                "tend_kv_batch_size_bucket{le=\"1.0\"} 2", "tend_kv_batch_size_bucket{le=\"+Inf\"} 2",
                "# TYPE tend_kv_watch_delivery_lag_seconds histogram",
                "tend_kv_watch_delivery_lag_seconds_bucket{le=\"1.0E-4\"} 0",
                "tend_kv_bucket_entries{bucket=\"CFG\"} 2.0", "# TYPE tend_kv_bucket_bytes gauge",
                "tend_kv_compactions_total 0.0");
        assertThat(t).containsPattern("tend_kv_forces_total [12]\\.0");
        assertThat(t).containsPattern("tend_kv_bucket_bytes\\{bucket=\"CFG\"} [1-9]");
    }
}
