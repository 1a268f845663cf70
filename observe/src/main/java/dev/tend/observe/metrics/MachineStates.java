package dev.tend.observe.metrics;

import dev.tend.machine.Machine;
import dev.tend.machine.control.RunningMachines;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The machines' states at scrape time, read from the running machines in memory: {@code tend_machine_state} is one
 * series per machine and state of its definition, 1 for the state it is in and 0 for the others;
 * {@code tend_machines} counts the machines running and those whose directory failed to load.
 *
 * <p>The state gauge keeps its series between scrapes, in label order, each with its text up to the value
 * ({@link SeriesText#prefix}) made once when the series appears; a scrape changes only the values of machines that
 * moved and makes series only for machines loaded or reloaded. Through {@link MetricsHandler} it writes its text
 * itself ({@link TextFamily}): with 1,000 machines a scrape makes no object per series.
 */
final class MachineStates implements MultiCollector, TextFamily {

    private static final String NAME = "tend_machine_state";
    private static final MetricMetadata STATES = new MetricMetadata(NAME,
            "1 for the state each machine is in, 0 for its other states");
    private static final byte[] HEADER = SeriesText.header(NAME, STATES.getHelp(), "gauge");
    /** The values and line feeds, as the client's text writer writes 1 and 0. */
    private static final byte[] ONE = "1.0\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO = "0.0\n".getBytes(StandardCharsets.US_ASCII);

    private final RunningMachines machines;
    /** The gauge's series by their labels, in label order. Guarded by {@code this}. */
    private final TreeMap<Labels, Series> states = new TreeMap<>();
    /** {@link #states}' series in order, or null once a series came or went. Guarded by {@code this}. */
    private Series[] ordered;
    /** What the gauge holds of each machine: its instance, its series by state, its state. Guarded by {@code this}. */
    private final Map<String, Shown> shown = new HashMap<>();
    /** How many refreshes there were. Guarded by {@code this}. */
    private long refreshes;

    /** A series of the gauge; {@code on} is guarded by the {@code MachineStates}' lock. */
    private static final class Series {
        private final Labels labels;
        private final byte[] prefix;
        private boolean on;

        private Series(Labels labels) {
            this.labels = labels;
            this.prefix = SeriesText.prefix(NAME, labels);
        }
    }

    /** A machine as the gauge shows it; its fields are guarded by the {@code MachineStates}' lock. */
    private static final class Shown {
        private final String instanceId;
        private final Map<String, Series> series;
        private String current;
        /** The last refresh that found the machine running. */
        private long seen;

        private Shown(String instanceId, Map<String, Series> series, String current) {
            this.instanceId = instanceId;
            this.series = series;
            this.current = current;
        }
    }

    private MachineStates(RunningMachines machines) {
        this.machines = machines;
    }

    /**
     * Registers the gauges.
     *
     * @param failedLoads the machine directories that failed to load, as the agent knows them now
     * @return the state gauge, to be written by {@link MetricsHandler}
     */
    static MachineStates register(PrometheusRegistry registry, RunningMachines machines,
                                  Supplier<Map<String, List<String>>> failedLoads) {
        MachineStates states = new MachineStates(machines);
        registry.register(states);
        GaugeWithCallback.builder().name("tend_machines")
                .help("Machines running, and machine directories that failed to load")
                .labelNames("status")
                .callback(cb -> {
                    cb.call(machines.machines().size(), "running");
                    cb.call(failedLoads.get().size(), "failed");
                })
                .register(registry);
        return states;
    }

    @Override
    public MetricSnapshots collect() {
        List<GaugeDataPointSnapshot> points;
        synchronized (this) {
            refresh();
            points = new ArrayList<>(states.size());
            for (Series s : states.values()) {
                points.add(new GaugeDataPointSnapshot(s.on ? 1 : 0, s.labels, null));
            }
        }
        return MetricSnapshots.of(new GaugeSnapshot(STATES, points));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(STATES.getPrometheusName());
    }

    @Override
    public String prometheusName() {
        return STATES.getPrometheusName();
    }

    @Override
    public void writeText(TextOut out) throws IOException {
        Series[] series;
        boolean[] on;
        synchronized (this) { // the values as of one moment; written to the client outside the lock
            refresh();
            if (ordered == null) {
                ordered = states.values().toArray(new Series[0]);
            }
            series = ordered;
            on = new boolean[series.length];
            for (int i = 0; i < series.length; i++) {
                on[i] = series[i].on;
            }
        }
        if (series.length == 0) {
            return;
        }
        out.write(HEADER);
        for (int i = 0; i < series.length; i++) {
            out.write(series[i].prefix);
            out.write(on[i] ? ONE : ZERO);
        }
    }

    /** Brings the series up to the machines' states now. */
    private void refresh() {
        long now = ++refreshes;
        int running = 0;
        for (Machine m : machines.machines()) {
            String name = m.definition().name();
            running++;
            String current = m.state();
            Shown before = shown.get(name);
            if (before != null && before.instanceId.equals(m.instanceId())) {
                if (!before.current.equals(current)) {
                    set(before.series, before.current, false);
                    set(before.series, current, true);
                    before.current = current;
                }
                before.seen = now;
                continue;
            }
            if (before != null) {
                forget(before); // reloaded: its states may differ
            }
            Map<String, Series> series = new HashMap<>();
            for (String state : m.definition().states()) {
                Series s = new Series(Labels.of("machine", name, "state", state));
                s.on = state.equals(current);
                series.put(state, s);
                states.put(s.labels, s);
            }
            ordered = null;
            Shown made = new Shown(m.instanceId(), series, current);
            made.seen = now;
            shown.put(name, made);
        }
        if (running != shown.size()) { // machines removed since the last refresh
            shown.values().removeIf(s -> {
                if (s.seen == now) {
                    return false;
                }
                forget(s);
                return true;
            });
        }
    }

    private static void set(Map<String, Series> series, String state, boolean on) {
        Series s = series.get(state);
        if (s != null) {
            s.on = on;
        }
    }

    private void forget(Shown s) {
        for (Series series : s.series.values()) {
            states.remove(series.labels);
        }
        ordered = null;
    }
}
