package dev.tend.machine.event;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogEventSinkTest {

    /** What the sink logs for these events, with their levels. */
    private static List<ILoggingEvent> logged(MachineEvent... events) {
        Logger logger = LogCapture.logbackLogger("dev.tend.machine.events");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            LogEventSink sink = new LogEventSink();
            for (MachineEvent e : events) {
                sink.publish(e);
            }
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list;
    }

    @Test
    void logsEachEventAtInfoInItsOneLineForm() {
        List<ILoggingEvent> logged = logged(
                new TransitionEvent("node1", "web", "i", "1.0.0", Instant.EPOCH, "fire", "a", "b"),
                new WatcherStateEvent("node1", "web", "i", "1.0.0", Instant.EPOCH, "exec", "check",
                        Map.of("previous_outcome", "success")));

        assertThat(logged).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "node1 web transitioned via event fire: a => b",
                "node1 web exec watcher check {previous_outcome=success}");
    }

    @Test
    void logsNumbersAsTheEventsJsonHasThem() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("value", 22194048.0);
        fields.put("metrics", new LinkedHashMap<>(Map.of("f", 0.1f)));
        fields.put("list", List.of(1e21, 1e-7, 0.0, 3L, "text"));
        fields.put("nan", Double.NaN);

        assertThat(logged(new WatcherStateEvent("node1", "web", "i", "1.0.0", Instant.EPOCH, "metric", "m", fields)))
                .extracting(ILoggingEvent::getFormattedMessage).containsExactly("node1 web metric watcher m"
                        + " {value=22194048, metrics={f=0.1}, list=[1e+21, 1e-7, 0, 3, text], nan=NaN}");
    }
}
