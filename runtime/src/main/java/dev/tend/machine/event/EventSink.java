package dev.tend.machine.event;

/** Where events go: the log, the events file, NATS. Publishing never blocks a machine for long and never throws. */
@FunctionalInterface
public interface EventSink {

    void publish(MachineEvent event);

    /** A sink that publishes to each of these in turn. */
    static EventSink all(EventSink... sinks) {
        EventSink[] copy = sinks.clone();
        return event -> {
            for (EventSink sink : copy) {
                sink.publish(event);
            }
        };
    }
}
