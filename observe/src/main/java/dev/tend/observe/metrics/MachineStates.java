package dev.tend.observe.metrics;

import dev.tend.machine.Machine;
import dev.tend.machine.control.RunningMachines;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * The machines' states at scrape time, read from the running machines in memory: {@code tend_machine_state} is one
 * series per machine and state of its definition, 1 for the state it is in and 0 for the others;
 * {@code tend_machines} counts the machines running and those whose directory failed to load.
 *
 * <p>The state gauge keeps its series between scrapes and a scrape changes only those that moved (a machine that
 * changed state, one loaded, reloaded or removed): with 1,000 machines it allocates no labels for the 2,000 series that
 * stayed as they were.
 */
final class MachineStates implements MultiCollector {

    private final RunningMachines machines;
    private final Gauge states;
    /** What the gauge holds: each machine's instance, states and the state set to 1. Guarded by {@code this}. */
    private final Map<String, Shown> shown = new HashMap<>();

    private record Shown(String instanceId, SortedSet<String> states, String current) {
    }

    private MachineStates(RunningMachines machines, Gauge states) {
        this.machines = machines;
        this.states = states;
    }

    /**
     * Registers the gauges.
     *
     * @param failedLoads the machine directories that failed to load, as the agent knows them now
     */
    static void register(PrometheusRegistry registry, RunningMachines machines,
                         Supplier<Map<String, List<String>>> failedLoads) {
        // Not registered itself: the registry collects it through this class, which brings it up to date first.
        Gauge states = Gauge.builder().name("tend_machine_state")
                .help("1 for the state each machine is in, 0 for its other states")
                .labelNames("machine", "state").build();
        registry.register(new MachineStates(machines, states));
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
                    states.labelValues(name, state).set(now ? 1 : 0);
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
        return MetricSnapshots.of(states.collect());
    }

    private void forget(String name, Shown s) {
        for (String state : s.states()) {
            states.remove(name, state);
        }
    }
}
