package dev.tend.observe.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter with labels whose series keep their {@link Labels} between scrapes, in label order: a scrape makes one
 * data point per series and neither builds nor sorts labels (the client's {@code Counter} builds every series' labels
 * anew on each scrape, thousands with 1,000 machines). Its exposition is the client counter's: name, help, a
 * {@code _total} series per label set with its count.
 */
final class EventCounter implements MultiCollector {

    private final MetricMetadata metadata;
    private final String[] labelNames;
    private final ConcurrentSkipListMap<Labels, LongAdder> series = new ConcurrentSkipListMap<>();

    /** @param name the name without {@code _total} */
    EventCounter(String name, String help, String... labelNames) {
        this.metadata = new MetricMetadata(name, help);
        this.labelNames = labelNames.clone();
    }

    /** Adds one to the series of these label values (as many as the label names, in their order). */
    void inc(String... labelValues) {
        if (labelValues.length != labelNames.length) {
            throw new IllegalArgumentException(metadata.getName() + " has " + labelNames.length + " labels, not "
                    + labelValues.length);
        }
        series.computeIfAbsent(Labels.of(labelNames.clone(), labelValues.clone()), l -> new LongAdder()).increment();
    }

    @Override
    public MetricSnapshots collect() {
        List<CounterDataPointSnapshot> points = new ArrayList<>(series.size());
        for (Map.Entry<Labels, LongAdder> e : series.entrySet()) {
            points.add(new CounterDataPointSnapshot(e.getValue().sum(), e.getKey(), null, 0));
        }
        return MetricSnapshots.of(new CounterSnapshot(metadata, points));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(metadata.getPrometheusName());
    }
}
