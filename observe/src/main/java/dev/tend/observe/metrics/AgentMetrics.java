package dev.tend.observe.metrics;

import dev.tend.kv.spi.StoreStats;
import dev.tend.machine.control.RunningMachines;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every metric of a running agent in one registry of its own (never the client's default one): the machines' states
 * ({@link MachineStates}), what their events tell ({@link MachineEventMetrics}, subscribed to the agent), the store's
 * figures ({@link StoreMetrics}) and the JVM's (the client's {@code JvmMetrics}). {@link #handler()} serves them;
 * {@link #close()} ends the subscription.
 */
public final class AgentMetrics implements AutoCloseable {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AutoCloseable subscription;
    /** The families written from their own bytes rather than through the client's text writer. */
    private final List<TextFamily> textFamilies;

    /**
     * @param machines    the running machines, whose events are subscribed to from now on
     * @param failedLoads the machine directories that failed to load
     * @param storeStats  the store's figures, or null while there are none
     */
    public AgentMetrics(RunningMachines machines, Supplier<Map<String, List<String>>> failedLoads,
                        Supplier<StoreStats> storeStats) {
        MachineStates states = MachineStates.register(registry, machines, failedLoads);
        MachineEventMetrics events = new MachineEventMetrics(registry);
        List<TextFamily> text = new ArrayList<>(events.textFamilies());
        text.add(states);
        textFamilies = List.copyOf(text);
        registry.register(new StoreMetrics(storeStats));
        JvmMetrics.builder().register(registry);
        subscription = machines.subscribe(events);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The families written from their own bytes. */
    List<TextFamily> textFamilies() {
        return textFamilies;
    }

    /** The {@code /metrics} route's handler. */
    public MetricsHandler handler() {
        return new MetricsHandler(registry, textFamilies);
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
