package dev.tend.machine.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every event at INFO in its one-line form, on the logger {@code dev.tend.machine.events} (as the reference). */
public final class LogEventSink implements EventSink {

    /** The logger's name, to raise or lower its level on its own. */
    public static final String LOGGER_NAME = "dev.tend.machine.events";

    private final Logger log;

    public LogEventSink() {
        this(LoggerFactory.getLogger(LOGGER_NAME));
    }

    LogEventSink(Logger log) {
        this.log = log;
    }

    @Override
    public void publish(MachineEvent event) {
        log.info("{}", event);
    }
}
