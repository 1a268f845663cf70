package dev.tend.machine.engine;

import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A watcher's logger: what it logs goes to the logger it wraps (named {@code dev.tend.machine.<machine>.<watcher>})
 * with two structured fields, {@code machine} and {@code watcher} (SLF4J key-value pairs), which the CLI's log lines
 * show in both formats.
 */
final class WatcherLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient Logger delegate;
    private final String machine;
    private final String watcher;

    WatcherLogger(Logger delegate, String machine, String watcher) {
        this.delegate = delegate;
        this.name = delegate.getName();
        this.machine = machine;
        this.watcher = watcher;
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return WatcherLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
                                               Throwable throwable) {
        LoggingEventBuilder event = delegate.makeLoggingEventBuilder(level)
                .setMessage(message)
                .addKeyValue("machine", machine)
                .addKeyValue("watcher", watcher);
        if (marker != null) {
            event.addMarker(marker);
        }
        if (arguments != null) {
            for (Object a : arguments) {
                event.addArgument(a);
            }
        }
        if (throwable != null) {
            event.setCause(throwable);
        }
        event.log();
    }
}
