package dev.tend.machine.engine;

import dev.tend.machine.event.EventSink;
import dev.tend.machine.event.MachineEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes a machine's events to the environment's sinks; a sink that throws despite its contract is only logged. */
final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final EventSink sink;

    EventPublisher(EventSink sink) {
        this.sink = sink;
    }

    void publish(MachineEvent event) {
        try {
            sink.publish(event);
        } catch (RuntimeException e) {
            LOG.warn("could not publish {} of machine \"{}\": {}", event.type(), event.machine(), e.toString(), e);
        }
    }
}
