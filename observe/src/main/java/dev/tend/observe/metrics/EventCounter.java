package dev.tend.observe.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter with labels whose series keep what does not change between scrapes: their {@link Labels}, in label order,
 * and their text up to the value ({@link SeriesText#prefix}), both made once when the series first counts. A scrape
 * through {@link MetricsHandler} writes each series as those bytes and the count ({@link TextFamily}), making no
 * object per series; {@link #collect()} gives the registry the same series as the client's {@code Counter} would
 * (name, help, a {@code _total} series per label set with its count). Counting looks the series up by its label
 * values in a hash map: it makes no {@link Labels} but for a new series.
 */
final class EventCounter implements MultiCollector, TextFamily {

    private final MetricMetadata metadata;
    private final String[] labelNames;
    private final String exposedName;
    private final byte[] header;
    /** The series by their label values, in the label names' order, to count. */
    private final ConcurrentHashMap<List<String>, Series> byValues = new ConcurrentHashMap<>();
    /** The same series in label order, to write. */
    private final ConcurrentSkipListMap<Labels, Series> series = new ConcurrentSkipListMap<>();

    private record Series(byte[] prefix, LongAdder count) {
    }

    /**
     * @param name the name without {@code _total}
     * @throws IllegalArgumentException when a name is not a Prometheus name
     */
    EventCounter(String name, String help, String... labelNames) {
        SeriesText.checkMetricName(name);
        SeriesText.checkLabelNames(labelNames);
        this.metadata = new MetricMetadata(name, help);
        this.labelNames = labelNames.clone();
        this.exposedName = name + "_total";
        this.header = SeriesText.header(exposedName, help, "counter");
    }

    /** Adds one to the series of these label values (as many as the label names, in their order). */
    void inc(String... labelValues) {
        if (labelValues.length != labelNames.length) {
            throw new IllegalArgumentException(metadata.getName() + " has " + labelNames.length + " labels, not "
                    + labelValues.length);
        }
        List<String> key = List.of(labelValues); // a copy; refuses null values as Labels does
        Series s = byValues.get(key);
        if (s == null) {
            s = byValues.computeIfAbsent(key, k -> {
                Labels labels = Labels.of(labelNames.clone(), k.toArray(new String[0]));
                Series made = new Series(SeriesText.prefix(exposedName, labels), new LongAdder());
                series.put(labels, made);
                return made;
            });
        }
        s.count().increment();
    }

    @Override
    public MetricSnapshots collect() {
        List<CounterDataPointSnapshot> points = new ArrayList<>(series.size());
        for (Map.Entry<Labels, Series> e : series.entrySet()) {
            points.add(new CounterDataPointSnapshot(e.getValue().count().sum(), e.getKey(), null, 0));
        }
        return MetricSnapshots.of(new CounterSnapshot(metadata, points));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(metadata.getPrometheusName());
    }

    @Override
    public String prometheusName() {
        return metadata.getPrometheusName();
    }

    @Override
    public void writeText(TextOut out) throws IOException {
        boolean first = true;
        for (Series s : series.values()) {
            if (first) {
                out.write(header);
                first = false;
            }
            out.write(s.prefix());
            out.value(s.count().sum());
        }
    }
}
