package dev.tend.machine.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
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
        logger = logbackContext().getLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    /**
     * Logback's context. While another thread is still initialising SLF4J (test classes start side by side), SLF4J
     * hands out substitute loggers that no appender can be added to: wait for the initialisation to end.
     */
    private static LoggerContext logbackContext() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                return context;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("SLF4J did not finish initialising logback: "
                        + LoggerFactory.getILoggerFactory().getClass().getName());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
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
