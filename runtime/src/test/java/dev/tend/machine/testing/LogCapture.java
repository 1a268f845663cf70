package dev.tend.machine.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Captures what one logger (and its children) logs while open, for assertions on log lines. Loggers are shared by the
 * whole test JVM, and test classes run side by side: a class that captures a logger which other classes' tests log to
 * as well holds {@code @ResourceLock(value = "<the logger's name>", mode = READ_WRITE)}, and those classes hold the same
 * lock {@code READ}, so that nothing else logs there while it listens.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Formatted messages logged at {@code level}. */
    public List<String> lines(Level level) {
        synchronized (appender) { // AppenderBase.doAppend holds the appender's monitor
            return appender.list.stream().filter(e -> e.getLevel().equals(level))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
