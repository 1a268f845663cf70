package dev.tend.observe.metrics;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.spi.StatsSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
        b.history("a"); // loads the index, as a watch does: the figures of a bucket come from it
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
