package dev.tend.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LineLayout} writes what logback's pattern layout writes for {@link LogbackConfigurator#PATTERN}. */
class LineLayoutTest {

    @Test
    void writesWhatThePatternLayoutWrites() {
        LoggerContext context = new LoggerContext();
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(LogbackConfigurator.PATTERN);
        pattern.start();
        LineLayout line = new LineLayout();
        line.setContext(context);
        line.start();
        assertThat(line.isStarted()).isTrue();

        IllegalStateException cause = new IllegalStateException("the cause");
        UncheckedIOException wrapped = new UncheckedIOException("cannot read /etc/tend/x", new IOException("io", cause));
        wrapped.addSuppressed(new RuntimeException("suppressed"));
        List<ILoggingEvent> events = new ArrayList<>();
        for (Level level : List.of(Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE)) {
            events.add(event(context, "dev.tend.machine.agent.Agent", level, "agent started: {} machines from {}",
                    null, 5, "/etc/tend/machines"));
        }
        events.add(event(context, "dev.tend.machine.engine.very.long.pkg.name.SomeLongClassName", Level.WARN,
                "over {}", null, "thirty"));
        events.add(event(context, "ROOT", Level.INFO, "no arguments {}", null));
        events.add(event(context, "short", Level.ERROR, "failed: {}", wrapped, "x"));
        events.add(event(context, "org.quartz.core.QuartzScheduler", Level.WARN, "multi\nline", new Error("e")));
        for (ILoggingEvent e : events) {
            assertThat(line.doLayout(e)).as(e.toString()).isEqualTo(pattern.doLayout(e));
        }
        // ISO-8601 with the zone's offset (issue 15): 2026-12-07T13:40:01.123+00:00
        assertThat(line.doLayout(events.get(0))).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d"
                + "[+-]\\d\\d:\\d\\d ERROR \\[main\\] "
                + "dev\\.tend\\.machine\\.agent\\.Agent: agent started: 5 machines from /etc/tend/machines"
                + System.lineSeparator());
    }

    private static ILoggingEvent event(LoggerContext context, String logger, Level level, String message,
                                       Throwable t, Object... args) {
        Logger l = context.getLogger(logger);
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), l, level, message, t, args);
        e.setThreadName("main");
        return e;
    }
}
