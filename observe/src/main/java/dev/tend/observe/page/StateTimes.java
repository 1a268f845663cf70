package dev.tend.observe.page;

import dev.tend.machine.MachineStatus;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when each machine is in its state, from the transitions it hears (it is subscribed while the listener runs,
 * so from the agent's start): the time of the last transition into the current state, or, before any, when the
 * machine's watchers started.
 */
final class StateTimes {

    private record Entered(String instanceId, String state, Instant time) {
    }

    private final Map<String, Entered> entered = new ConcurrentHashMap<>();

    /** Notes a transition; called on the publishing thread, never blocks. */
    void publish(MachineEvent event) {
        if (event instanceof TransitionEvent t) {
            entered.put(t.machine(), new Entered(t.instanceId(), t.toState(), t.time()));
        }
    }

    /** Since when the machine is in its current state, or {@code null} when not known (its watchers not started). */
    Instant since(MachineStatus status) {
        Entered e = entered.get(status.name());
        if (e != null && e.instanceId().equals(status.instanceId()) && e.state().equals(status.state())) {
            return e.time();
        }
        return status.startTime();
    }

    /** Forgets machines no longer loaded. */
    void retain(java.util.Set<String> names) {
        entered.keySet().retainAll(names);
    }
}
