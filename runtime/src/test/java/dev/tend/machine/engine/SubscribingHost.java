package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineHost;
import dev.tend.machine.Subscription;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.event.TransitionEvent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A small host, as an agent is one: answers other machines' states and forwards each transition, asynchronously, to
 * every machine (the origin included) with a transition subscribed to it.
 */
final class SubscribingHost implements MachineHost {

    private final Map<String, Machine> machines = new ConcurrentHashMap<>();
    private final Executor executor;

    SubscribingHost(Executor executor) {
        this.executor = executor;
    }

    void add(Machine machine) {
        machines.put(machine.definition().name(), machine);
    }

    @Override
    public Optional<String> stateOf(String machineName) {
        return Optional.ofNullable(machines.get(machineName)).map(Machine::state);
    }

    @Override
    public void transitioned(TransitionEvent event) {
        executor.execute(() -> {
            Subscription origin = new Subscription(event.machine(), event.transition());
            for (Machine m : machines.values()) {
                for (TransitionDefinition t : m.definition().transitions()) {
                    if (t.subscribe().contains(origin)) {
                        m.fire(t.name());
                    }
                }
            }
        });
    }
}
