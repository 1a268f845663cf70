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

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The machines' states at scrape time, read from the running machines in memory: {@code tend_machine_state} is one
 * series per machine and state of its definition, 1 for the state it is in and 0 for the others;
 * {@code tend_machines} counts the machines running and those whose directory failed to load.
 *
 * <p>The state gauge keeps its series' snapshots between scrapes, in label order, and a scrape replaces only those that
 * moved (a machine that changed state, one loaded, reloaded or removed): with 1,000 machines it allocates neither
 * labels nor data points for the 2,000 series that stayed as they were.
 */
final class MachineStates implements MultiCollector {

    private static final MetricMetadata STATES = new MetricMetadata("tend_machine_state",
            "1 for the state each machine is in, 0 for its other states");

    private final RunningMachines machines;
    /** The gauge's series by their labels, in label order. Guarded by {@code this}. */
    private final TreeMap<Labels, GaugeDataPointSnapshot> states = new TreeMap<>();
    /** What the gauge holds: each machine's instance, states and the state set to 1. Guarded by {@code this}. */
    private final Map<String, Shown> shown = new HashMap<>();

    private record Shown(String instanceId, SortedSet<String> states, String current) {
    }

    private MachineStates(RunningMachines machines) {
        this.machines = machines;
    }

    /**
     * Registers the gauges.
     *
     * @param failedLoads the machine directories that failed to load, as the agent knows them now
     */
    static void register(PrometheusRegistry registry, RunningMachines machines,
                         Supplier<Map<String, List<String>>> failedLoads) {
        registry.register(new MachineStates(machines));
        GaugeWithCallback.builder().name("tend_machines")
                .help("Machines running, and machine directories that failed to load")
                .labelNames("status")
                .callback(cb -> {
                    cb.call(machines.machines().size(), "running");
                    cb.call(failedLoads.get().size(), "failed");
                })
                .register(registry);
    }

    @Override
    public synchronized MetricSnapshots collect() {
        Set<String> running = new HashSet<>();
        for (Machine m : machines.machines()) {
            String name = m.definition().name();
            running.add(name);
            String current = m.state();
            Shown before = shown.get(name);
            if (before != null && before.instanceId().equals(m.instanceId()) && before.current().equals(current)) {
                continue;
            }
            if (before != null && !before.instanceId().equals(m.instanceId())) {
                forget(name, before); // reloaded: its states may differ
                before = null;
            }
            SortedSet<String> all = m.definition().states();
            for (String state : all) {
                boolean now = state.equals(current);
                if (before == null || now || state.equals(before.current())) {
                    Labels labels = Labels.of("machine", name, "state", state);
                    states.put(labels, new GaugeDataPointSnapshot(now ? 1 : 0, labels, null));
                }
            }
            shown.put(name, new Shown(m.instanceId(), all, current));
        }
        if (running.size() != shown.size()) {
            shown.entrySet().removeIf(e -> {
                if (running.contains(e.getKey())) {
                    return false;
                }
                forget(e.getKey(), e.getValue());
                return true;
            });
        }
        return MetricSnapshots.of(new GaugeSnapshot(STATES, states.values()));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(STATES.getPrometheusName());
    }

    private void forget(String name, Shown s) {
        for (String state : s.states()) {
            states.remove(Labels.of("machine", name, "state", state));
        }
    }
}
