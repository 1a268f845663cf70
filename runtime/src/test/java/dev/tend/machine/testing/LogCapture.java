package dev.tend.machine.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Captures what one logger (and its children) logs while open, for assertions on log lines. Loggers are shared by the
 * whole test JVM, and test classes run side by side: a class that captures a logger which other classes' tests log to
 * as well holds {@code @ResourceLock(value = "<the logger's name>", mode = READ_WRITE)}, and those classes hold the same
 * lock {@code READ}, so that nothing else logs there while it listens.
 *
 * <p>Every test that adds an appender of its own gets its logger from {@link #logbackLogger(String)}, never by casting
 * what {@link LoggerFactory#getLogger(String)} returns.
 */
public final class LogCapture implements AutoCloseable {

    /** How long SLF4J may take to initialise before a capture gives up (it takes well under a second). */
    private static final long INIT_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long INIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        logger = logbackLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /**
     * Logback's logger of that name, once SLF4J has initialised logback. While one thread initialises SLF4J (test
     * classes start side by side), SLF4J gives the other threads a substitute factory whose loggers are not logback's
     * (casting them throws ClassCastException): so this waits until SLF4J's factory is logback's context, configured.
     */
    public static Logger logbackLogger(String name) {
        long deadline = System.nanoTime() + INIT_DEADLINE_NANOS;
        while (true) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                return context.getLogger(name);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("SLF4J did not finish initialising logback within 30s; its factory is "
                        + LoggerFactory.getILoggerFactory().getClass().getName());
            }
            LockSupport.parkNanos(INIT_POLL_NANOS);
        }
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
