package dev.tend.machine.testing;

import dev.tend.machine.event.EventSink;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;

import java.util.ArrayList;
import java.util.List;

/** An {@link EventSink} that keeps every event, for assertions. Thread-safe. */
public final class EventRecorder implements EventSink {

    private final List<MachineEvent> events = new ArrayList<>();

    @Override
    public synchronized void publish(MachineEvent event) {
        events.add(event);
    }

    public synchronized List<MachineEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<TransitionEvent> transitions() {
        return events.stream().filter(TransitionEvent.class::isInstance).map(TransitionEvent.class::cast).toList();
    }

    public synchronized List<WatcherStateEvent> watcherStates() {
        return events.stream().filter(WatcherStateEvent.class::isInstance).map(WatcherStateEvent.class::cast).toList();
    }

    public synchronized void clear() {
        events.clear();
    }
}
