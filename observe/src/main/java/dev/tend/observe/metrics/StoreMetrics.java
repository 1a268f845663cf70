package dev.tend.observe.metrics;

import dev.tend.kv.spi.CountHistogram;
import dev.tend.kv.spi.StoreStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The store's figures ({@link StoreStats}, kept by the store itself) as Prometheus metrics, read at scrape time:
 * {@code tend_kv_writes_total}, {@code tend_kv_forces_total}, {@code tend_kv_compactions_total},
 * {@code tend_kv_batch_size} (histogram of write requests per batch), {@code tend_kv_watch_delivery_lag_seconds}
 * (histogram), and per open bucket {@code tend_kv_bucket_entries} and {@code tend_kv_bucket_bytes}. Nothing while
 * the store is not open or keeps no figures (NATS).
 */
public final class StoreMetrics implements MultiCollector {

    private static final double MICROS = 1e6;

    private final Supplier<StoreStats> stats;

    /** @param stats the store's figures, or null while there are none */
    public StoreMetrics(Supplier<StoreStats> stats) {
        this.stats = stats;
    }

    @Override
    public MetricSnapshots collect() {
        StoreStats s = stats.get();
        if (s == null) {
            return MetricSnapshots.of();
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(counter("tend_kv_writes", "Write requests this process committed to the store", s.writes()));
        out.add(counter("tend_kv_forces", "Forces (fsync) of bucket logs made for this process's writes",
                s.forces()));
        out.add(counter("tend_kv_compactions", "Bucket compactions this process made", s.compactions()));
        out.add(histogram("tend_kv_batch_size", "Write requests per group-commit batch", null,
                s.batchSizes().snapshot(), 1));
        out.add(histogram("tend_kv_watch_delivery_lag_seconds",
                "How long after its write a watch of this process delivered an entry", Unit.SECONDS,
                s.watchLagMicros().snapshot(), MICROS));
        GaugeSnapshot.Builder entries = GaugeSnapshot.builder().name("tend_kv_bucket_entries")
                .help("Entries an open bucket holds, history and delete markers included");
        GaugeSnapshot.Builder bytes = GaugeSnapshot.builder().name("tend_kv_bucket_bytes").unit(Unit.BYTES)
                .help("Bytes an open bucket's entries take");
        for (StoreStats.BucketFigures b : s.openBuckets()) {
            Labels l = Labels.of("bucket", b.name());
            entries.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(b.entries()).build());
            bytes.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(b.bytes()).build());
        }
        out.add(entries.build());
        out.add(bytes.build());
        return new MetricSnapshots(out);
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    /** A histogram of {@code h}, each value divided by {@code scale} (microseconds to seconds). */
    private static HistogramSnapshot histogram(String name, String help, Unit unit, CountHistogram.Snapshot h,
                                               double scale) {
        long[] b = h.bounds();
        double[] bounds = new double[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            bounds[i] = b[i] / scale;
        }
        bounds[b.length] = Double.POSITIVE_INFINITY;
        HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(name).help(help);
        if (unit != null) {
            builder.unit(unit);
        }
        return builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.counts()))
                .sum(h.sum() / scale).build()).build();
    }
}
