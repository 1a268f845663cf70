package dev.tend.cli;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

import java.io.PrintStream;

/**
 * Reports logback's own warnings and errors (a broken logback.xml, say) on stderr, one line each, and drops its
 * INFO chatter. Without it logback prints its status to standard output, which is the command's output.
 */
public final class LogbackStatusListener implements StatusListener {

    /** The system property logback reads to install a status listener at start-up. */
    static final String PROPERTY = "logback.statusListenerClass";

    private final PrintStream err = System.err;

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() >= Status.WARN) {
            Throwable t = status.getThrowable();
            err.println("tend: logging: " + status.getMessage() + (t == null ? "" : ": " + t));
        }
    }
}
