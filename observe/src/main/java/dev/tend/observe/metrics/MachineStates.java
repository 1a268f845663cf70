package dev.tend.observe.metrics;

import dev.tend.machine.Machine;
import dev.tend.machine.control.RunningMachines;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The machines' states at scrape time, read from the running machines in memory: {@code tend_machine_state} is one
 * series per machine and state of its definition, 1 for the state it is in and 0 for the others;
 * {@code tend_machines} counts the machines running and those whose directory failed to load.
 */
public final class MachineStates {

    private MachineStates() {
    }

    /**
     * Registers the gauges.
     *
     * @param failedLoads the machine directories that failed to load, as the agent knows them now
     */
    public static void register(PrometheusRegistry registry, RunningMachines machines,
                                Supplier<Map<String, List<String>>> failedLoads) {
        GaugeWithCallback.builder().name("tend_machine_state")
                .help("1 for the state each machine is in, 0 for its other states")
                .labelNames("machine", "state")
                .callback(cb -> {
                    for (Machine m : machines.machines()) {
                        String current = m.state();
                        String name = m.definition().name();
                        for (String state : m.definition().states()) {
                            cb.call(state.equals(current) ? 1 : 0, name, state);
                        }
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("tend_machines")
                .help("Machines running, and machine directories that failed to load")
                .labelNames("status")
                .callback(cb -> {
                    cb.call(machines.machines().size(), "running");
                    cb.call(failedLoads.get().size(), "failed");
                })
                .register(registry);
    }
}
